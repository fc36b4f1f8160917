import { fromBinary, fromJsonString } from "@bufbuild/protobuf";
import {
  ExportTraceServiceRequestSchema,
  type ExportTraceServiceRequest,
} from "../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";

/** Decodes an OTLP/protobuf trace export body with the generated codec (for tests and debugging). */
export function decodeTraceRequest(bytes: Uint8Array): ExportTraceServiceRequest {
  return fromBinary(ExportTraceServiceRequestSchema, bytes);
}

/**
 * Decodes an OTLP/JSON trace export body. OTLP/JSON writes ids as hex where protobuf JSON expects
 * base64, so ids are converted first. https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
 */
export function decodeTraceRequestJson(json: string): ExportTraceServiceRequest {
  const fixed = json.replace(/"(traceId|spanId|parentSpanId)":"([0-9a-fA-F]*)"/g, (_m, key: string, hex: string) => {
    let bin = "";
    for (let i = 0; i < hex.length; i += 2) bin += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
    return `"${key}":"${btoa(bin)}"`;
  });
  return fromJsonString(ExportTraceServiceRequestSchema, fixed);
}
