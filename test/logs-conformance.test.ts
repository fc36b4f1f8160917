// End to end for logs: logger → BatchLogRecordProcessor → OtlpLogExporter → real fetch → loopback receiver,
// decoded by protobufjs (not our code; the JSON form first through @bufbuild's JSON parser), compared field by
// field with the records the SDK made.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { toBinary } from "@bufbuild/protobuf";
import { ExportLogsServiceRequestSchema } from "../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import type { DiagLogger } from "../src/common/types.ts";
import { ROOT_CONTEXT } from "../src/context/context.ts";
import type { ContextManager } from "../src/context/context-manager.ts";
import { BatchLogRecordProcessor } from "../src/logs/batch-log-record-processor.ts";
import { createLoggerProvider } from "../src/logs/logger.ts";
import type { ReadableLogRecord } from "../src/logs/log-record.ts";
import { MultiLogRecordProcessor } from "../src/logs/log-record-processor.ts";
import { SimpleLogRecordProcessor } from "../src/logs/simple-log-record-processor.ts";
import { createOtlpTransport } from "../src/otlp/http-transport.ts";
import { OtlpLogExporter } from "../src/otlp/otlp-log-exporter.ts";
import { decodeOtlpJson } from "../src/testing/decode.ts";
import { setSpanContext } from "../src/trace/span-context.ts";
import { createStats } from "../src/trace/telemetry-stats.ts";
import { decodeLogs, type DecodedMessage } from "./helpers/proto-decoder.ts";
import { memoryTelemetry } from "./helpers/memory-telemetry.ts";
import { startReceiver, type Receiver } from "./helpers/otlp-receiver.ts";

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

const quiet: DiagLogger = { error() {}, warn() {}, info() {}, debug() {} };

function transport(protocol: "http/protobuf" | "http/json", compression: "gzip" | "none") {
  const endpoints = { traces: `${receiver.url}/v1/traces`, metrics: `${receiver.url}/v1/metrics`, logs: `${receiver.url}/v1/logs` };
  return createOtlpTransport({ endpoints, headers: { authorization: "Bearer t0ken" }, protocol, compression, timeoutMs: 5000 }, quiet);
}

/** Emits a varied set of records through a batch processor to the receiver, keeping a copy of each. */
function emitRecords(protocol: "http/protobuf" | "http/json", compression: "gzip" | "none") {
  const { telemetry } = memoryTelemetry({ service: { name: "checkout" } });
  const kept: ReadableLogRecord[] = [];
  const memory = new SimpleLogRecordProcessor({ export: async (r) => (kept.push(...r), { status: "success" }) });
  const stats = createStats();
  const batch = new BatchLogRecordProcessor(new OtlpLogExporter(transport(protocol, compression), protocol, telemetry.resource), { stats });
  const provider = createLoggerProvider({
    processor: new MultiLogRecordProcessor([batch, memory]),
    limits: { countLimit: 128, valueLengthLimit: Infinity },
    contextManager: telemetry.context as ContextManager,
    diag: quiet,
  });
  const logger = provider.logger("payments-api", "1.0.0");
  const span = telemetry.tracer("t").startActiveSpan("charge", (span) => {
    logger.emit({
      severityNumber: 17,
      severityText: "ERROR",
      body: { message: "card declined", code: 402, retry: false, amount: 12.5, big: 2n ** 62n, raw: new Uint8Array([0, 255]), tags: ["a", 1], none: null },
      attributes: { "user.id": "u-1", attempt: 2, ratio: 0.5, ok: true, nested: { list: ["x", { y: 1 }] }, text: "héllo \u{1F600}", lone: "a\uD800b" },
      eventName: "payment.declined",
      timestamp: 1732240000123.25,
    });
    return span;
  });
  span.end();
  logger.emit({ body: "no span", severityNumber: 9, severityText: "INFO" });
  const remote = setSpanContext(ROOT_CONTEXT, { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 1, isRemote: true });
  provider.logger("other-scope").emit({ body: ["list", "body"], context: remote });
  provider.logger("other-scope").emit({});
  return { batch, kept, stats, telemetry };
}

/** ms float → the decimal nanoseconds string the encoder must produce (exact integer math). */
const nanos = (ms: number) => (BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.round((ms - Math.floor(ms)) * 1e6))).toString();
const utf8 = (s: string) => new TextDecoder().decode(new TextEncoder().encode(s));

/** One of our values in protobufjs's decoded AnyValue form (bytes as hex, int64 as strings). */
function anyValue(v: unknown): DecodedMessage {
  if (typeof v === "string") return { stringValue: utf8(v) };
  if (typeof v === "boolean") return { boolValue: v };
  if (typeof v === "bigint") return { intValue: v.toString() };
  if (typeof v === "number") return Number.isSafeInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (v instanceof Uint8Array) return { bytesValue: Buffer.from(v).toString("hex") };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  if (v && typeof v === "object") return { kvlistValue: { values: Object.entries(v).map(([key, x]) => ({ key, value: anyValue(x) })) } };
  return {};
}

function expectedRecord(r: ReadableLogRecord): DecodedMessage {
  const out: DecodedMessage = { observedTimeUnixNano: nanos(r.observedTime) };
  if (r.time) out.timeUnixNano = nanos(r.time);
  if (r.severityNumber) out.severityNumber = r.severityNumber;
  if (r.severityText) out.severityText = r.severityText;
  if (r.body != null) out.body = anyValue(r.body);
  if (r.attributes.length) {
    out.attributes = [];
    for (let i = 0; i < r.attributes.length; i += 2) out.attributes.push({ key: r.attributes[i], value: anyValue(r.attributes[i + 1]) });
  }
  if (r.traceFlags) out.flags = r.traceFlags;
  if (r.traceId) out.traceId = r.traceId;
  if (r.spanId) out.spanId = r.spanId;
  if (r.eventName) out.eventName = r.eventName;
  return out;
}

function checkRequest(decoded: DecodedMessage, kept: ReadableLogRecord[]) {
  expect(decoded.resourceLogs).toHaveLength(1);
  const rl = decoded.resourceLogs[0];
  const resource = Object.fromEntries(rl.resource.attributes.map((kv: DecodedMessage) => [kv.key, kv.value.stringValue]));
  expect(resource["service.name"]).toBe("checkout");
  expect(rl.scopeLogs.map((sl: DecodedMessage) => sl.scope)).toEqual([{ name: "payments-api", version: "1.0.0" }, { name: "other-scope" }]);
  const got = rl.scopeLogs.flatMap((sl: DecodedMessage) => sl.logRecords);
  expect(got).toEqual(kept.map(expectedRecord));
}

describe("logs: OTLP conformance against a loopback receiver", () => {
  it("protobuf + gzip: every field decodes (protobufjs) to what the SDK recorded", async () => {
    const { batch, kept, stats } = emitRecords("http/protobuf", "gzip");
    const result = await batch.forceFlush();
    expect(result).toEqual({ status: "success", exported: 4, dropped: 0 });
    expect(stats.exportedLogRecords).toBe(4);
    expect(receiver.requests).toHaveLength(1);
    const req = receiver.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/v1/logs");
    expect(req.headers["content-type"]).toBe("application/x-protobuf");
    expect(req.headers["content-encoding"]).toBe("gzip");
    expect(req.headers["authorization"]).toBe("Bearer t0ken");
    checkRequest(decodeLogs(req.body), kept);
    // The records really were correlated: the first with the span it was emitted in.
    expect(kept[0]!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(kept[2]!.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
  });

  it("OTLP/JSON: the same content, read by @bufbuild's JSON parser, hex ids and int64 as strings", async () => {
    const { batch, kept } = emitRecords("http/json", "none");
    expect((await batch.forceFlush()).exported).toBe(4);
    const req = receiver.requests[0]!;
    expect(req.path).toBe("/v1/logs");
    expect(req.headers["content-type"]).toBe("application/json");
    const text = new TextDecoder().decode(req.body);
    const json = JSON.parse(text);
    const first = json.resourceLogs[0].scopeLogs[0].logRecords[0];
    expect(first.traceId).toBe(kept[0]!.traceId);
    expect(first.timeUnixNano).toBe(nanos(1732240000123.25));
    expect(first.body.kvlistValue.values[4]).toEqual({ key: "big", value: { intValue: String(2n ** 62n) } });
    const message = decodeOtlpJson(ExportLogsServiceRequestSchema, text);
    checkRequest(decodeLogs(toBinary(ExportLogsServiceRequestSchema, message)), kept);
  });

  it("sends no request when there is nothing to send", async () => {
    const exporter = new OtlpLogExporter(transport("http/protobuf", "none"), "http/protobuf", { attributes: [], droppedAttributesCount: 0 });
    expect(await exporter.export([])).toEqual({ status: "success" });
    const batch = new BatchLogRecordProcessor(exporter);
    expect(await batch.forceFlush()).toEqual({ status: "success", exported: 0, dropped: 0 });
    expect(receiver.requests).toHaveLength(0);
  });

  it("reports a receiver's refusal as a failed export with the records dropped", async () => {
    receiver.respondWith(() => ({ status: 400, body: "bad" }));
    const { batch, stats } = emitRecords("http/protobuf", "none");
    const result = await batch.forceFlush();
    expect(result).toMatchObject({ status: "failure", exported: 0, dropped: 4 });
    expect(stats).toMatchObject({ droppedLogRecords: 4, failedExports: 1 });
  });
});
