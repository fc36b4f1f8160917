/**
 * Decodes OTLP request bodies with protobufjs, loaded from the .proto files in proto/: an
 * independent decoder, so tests of our encoders don't check our code against itself.
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import protobuf from "protobufjs";

const PROTO_DIR = fileURLToPath(new URL("../../proto/", import.meta.url));
const SERVICES = {
  traces: "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest",
  metrics: "opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest",
  logs: "opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest",
} as const;

/** A decoded message as a plain object (keys in lowerCamelCase, like OTLP/JSON). */
export type DecodedMessage = { [key: string]: any };

let root: protobuf.Root | undefined;

/** The protobufjs root with the three OTLP collector services loaded (loaded once, on first use). */
export function otlpProtoRoot(): protobuf.Root {
  if (!root) {
    const r = new protobuf.Root();
    // Imports in the .proto files are relative to proto/, e.g. "opentelemetry/proto/common/v1/common.proto".
    r.resolvePath = (_origin, target) => join(PROTO_DIR, target);
    r.loadSync([
      "opentelemetry/proto/collector/trace/v1/trace_service.proto",
      "opentelemetry/proto/collector/metrics/v1/metrics_service.proto",
      "opentelemetry/proto/collector/logs/v1/logs_service.proto",
    ]);
    root = r;
  }
  return root;
}

/**
 * Decodes a message of `typeName` to a plain object shaped like OTLP/JSON: int64s as decimal
 * strings, enums as numbers, bytes (trace and span ids) as lowercase hex, fields left at their
 * defaults omitted.
 */
export function decodeMessage(typeName: string, bytes: Uint8Array): DecodedMessage {
  const type = otlpProtoRoot().lookupType(typeName);
  const obj = type.toObject(type.decode(bytes), { longs: String });
  return bytesToHex(obj) as DecodedMessage;
}

/** Decodes an `ExportTraceServiceRequest`. */
export function decodeTraces(bytes: Uint8Array): DecodedMessage {
  return decodeMessage(SERVICES.traces, bytes);
}

/** Decodes an `ExportMetricsServiceRequest`. */
export function decodeMetrics(bytes: Uint8Array): DecodedMessage {
  return decodeMessage(SERVICES.metrics, bytes);
}

/** Decodes an `ExportLogsServiceRequest`. */
export function decodeLogs(bytes: Uint8Array): DecodedMessage {
  return decodeMessage(SERVICES.logs, bytes);
}

/** Replaces every byte array (Buffer under Node) in `value` with its lowercase hex string. */
function bytesToHex(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex");
  if (Array.isArray(value)) return value.map(bytesToHex);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = bytesToHex(v);
    return out;
  }
  return value;
}
