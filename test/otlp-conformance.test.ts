// End to end: createTelemetry → real fetch → loopback receiver → decoded by protobufjs (not our code),
// compared field by field with the spans the SDK recorded.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attributesToObject } from "../src/common/attributes.ts";
import { ROOT_CONTEXT } from "../src/context/context.ts";
import { createTelemetry } from "../src/telemetry.ts";
import { InMemorySpanExporter } from "../src/testing/in-memory-span-exporter.ts";
import { decodeTraceRequestJson } from "../src/testing/decode.ts";
import { SimpleSpanProcessor } from "../src/trace/simple-span-processor.ts";
import { setSpanContext } from "../src/trace/span-context.ts";
import { SpanKind, SpanStatusCode, type ReadableSpan } from "../src/trace/span-record.ts";
import { VERSION } from "../src/version.ts";
import { decodeTraces, type DecodedMessage } from "./helpers/proto-decoder.ts";
import { startReceiver, type Receiver } from "./helpers/otlp-receiver.ts";

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

/** Records a varied batch: nesting, a remote parent, every attribute type, events, links, statuses. */
function recordSpans(protocol: "http/protobuf" | "http/json", compression: "gzip" | "none") {
  const memory = new InMemorySpanExporter();
  const telemetry = createTelemetry({
    service: { name: "checkout", version: "1.4.2" },
    resource: { "deployment.environment.name": "staging" },
    exporter: { url: receiver.url, protocol, compression, headers: { authorization: "Bearer t0ken" } },
    spanProcessors: [new SimpleSpanProcessor(memory)],
    diag: { error() {}, warn() {}, info() {}, debug() {} },
  });
  const tracer = telemetry.tracer("payments-api", "1.0.0");
  const remote = setSpanContext(ROOT_CONTEXT, {
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "00f067aa0ba902b7",
    traceFlags: 1,
    isRemote: true,
  });
  tracer.startActiveSpan("charge", { kind: SpanKind.SERVER, attributes: { "payment.amount": 1.5 } }, remote, (span) => {
    const child = tracer.startSpan("db.query ✓", {
      kind: SpanKind.CLIENT,
      attributes: { s: "héllo \u{1F600}", lone: "a\uD800b", i: -42, big: 2n ** 62n, f: 0.25, t: true, arr: ["x", null, "z"], nums: [1, 2.5], empty: "" },
      links: [{ context: { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1, isRemote: true }, attributes: { k: "v" } }],
    });
    child.addEvent("rows", { count: 3 });
    child.setStatus({ code: SpanStatusCode.OK });
    child.end();
    span.setStatus({ code: SpanStatusCode.ERROR, message: "declined" });
    span.recordException(new Error("card declined"));
    span.end();
  });
  tracer.startSpan("orphan").end();
  telemetry.tracer("other-scope").startSpan("in other scope", { kind: SpanKind.PRODUCER }).end();
  return { telemetry, memory };
}

/** ms float → the decimal nanoseconds string the encoder must produce (exact integer math). */
const nanos = (ms: number) => (BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.round((ms - Math.floor(ms)) * 1e6))).toString();

/** Our attribute list in the decoded AnyValue form. */
function anyValue(v: unknown): DecodedMessage {
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  if (typeof v === "bigint") return { intValue: v.toString() };
  if (typeof v === "number") return Number.isSafeInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map((x) => (x == null ? {} : anyValue(x))) } };
  throw new Error("unexpected value");
}
function keyValues(list: unknown[]): DecodedMessage[] {
  const out: DecodedMessage[] = [];
  for (let i = 0; i < list.length; i += 2) out.push({ key: list[i], value: anyValue(list[i + 1]) });
  return out;
}
// Lone surrogates cannot survive UTF-8: the wire carries U+FFFD, as TextEncoder writes it.
const wellFormed = (kv: DecodedMessage[]) =>
  JSON.parse(JSON.stringify(kv, (_k, v) => (typeof v === "string" ? new TextDecoder().decode(new TextEncoder().encode(v)) : v)));

function expectedSpan(s: ReadableSpan): DecodedMessage {
  const sc = s.spanContext();
  const out: DecodedMessage = {
    traceId: sc.traceId,
    spanId: sc.spanId,
    name: s.name,
    kind: s.kind + 1,
    startTimeUnixNano: nanos(s.startTime),
    endTimeUnixNano: nanos(s.endTime),
    flags: (sc.traceFlags | 0x100 | (s.parentIsRemote ? 0x200 : 0)) >>> 0,
  };
  if (s.parentSpanId) out.parentSpanId = s.parentSpanId;
  if (s.attributes.length) out.attributes = wellFormed(keyValues(s.attributes));
  if (s.events.length)
    out.events = s.events.map((e) => ({ name: e.name, timeUnixNano: nanos(e.time), ...(e.attributes.length ? { attributes: wellFormed(keyValues(e.attributes)) } : {}) }));
  if (s.links.length)
    out.links = s.links.map((l) => ({
      traceId: l.context.traceId,
      spanId: l.context.spanId,
      attributes: keyValues(l.attributes),
      flags: (l.context.traceFlags | 0x100 | (l.context.isRemote ? 0x200 : 0)) >>> 0,
    }));
  if (s.status.code !== SpanStatusCode.UNSET) out.status = { code: s.status.code, ...(s.status.message ? { message: s.status.message } : {}) };
  return out;
}

function checkRequest(decoded: DecodedMessage, spans: ReadableSpan[], telemetry: ReturnType<typeof createTelemetry>) {
  expect(decoded.resourceSpans).toHaveLength(1);
  const rs = decoded.resourceSpans[0];
  const resource = Object.fromEntries(rs.resource.attributes.map((kv: DecodedMessage) => [kv.key, kv.value.stringValue]));
  expect(resource).toMatchObject({
    "service.name": "checkout",
    "service.version": "1.4.2",
    "deployment.environment.name": "staging",
    "telemetry.sdk.name": "edge-otel",
    "telemetry.sdk.language": "webjs",
    "telemetry.sdk.version": VERSION,
  });
  expect(resource["service.instance.id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(attributesToObject(telemetry.resource.attributes)["service.instance.id"]).toBe(resource["service.instance.id"]);
  const scopes = rs.scopeSpans.map((ss: DecodedMessage) => ss.scope.name);
  expect(scopes).toEqual(["payments-api", "other-scope"]);
  expect(rs.scopeSpans[0].scope.version).toBe("1.0.0");
  const got = rs.scopeSpans.flatMap((ss: DecodedMessage) => ss.spans);
  expect(got).toEqual(spans.map(expectedSpan));
}

describe("OTLP conformance against a loopback receiver", () => {
  it("protobuf + gzip: every field decodes (protobufjs) to what the SDK recorded", async () => {
    const { telemetry, memory } = recordSpans("http/protobuf", "gzip");
    const result = await telemetry.flush();
    expect(result.ok).toBe(true);
    // Counts deliveries: 4 spans to the receiver and the same 4 to the in-memory processor.
    expect(result.traces.exported).toBe(8);
    expect(receiver.requests).toHaveLength(1);
    const req = receiver.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/v1/traces");
    expect(req.headers["content-type"]).toBe("application/x-protobuf");
    expect(req.headers["content-encoding"]).toBe("gzip");
    expect(req.headers["authorization"]).toBe("Bearer t0ken");
    expect(req.headers["user-agent"]).toBe(`edge-otel/${VERSION}`);
    expect(req.rawBody).not.toEqual(req.body);
    checkRequest(decodeTraces(req.body), memory.getFinishedSpans(), telemetry);
  });

  it("OTLP/JSON: hex ids, int64 as strings, enums as integers, and the same content", async () => {
    const { telemetry, memory } = recordSpans("http/json", "none");
    expect((await telemetry.flush()).ok).toBe(true);
    const req = receiver.requests[0]!;
    expect(req.headers["content-type"]).toBe("application/json");
    const text = new TextDecoder().decode(req.body);
    const json = JSON.parse(text);
    const span = json.resourceSpans[0].scopeSpans[0].spans[1];
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.parentSpanId).toBe("00f067aa0ba902b7");
    expect(typeof span.startTimeUnixNano).toBe("string");
    expect(span.kind).toBe(2);
    // The same request, read by a decoder that is not ours, equals the protobuf form's content.
    const viaJson = decodeTraceRequestJson(text);
    expect(viaJson.resourceSpans[0]!.scopeSpans.map((ss) => ss.spans.map((s) => s.name))).toEqual([
      ["db.query ✓", "charge", "orphan"],
      ["in other scope"],
    ]);
    const attrs = Object.fromEntries(json.resourceSpans[0].scopeSpans[0].spans[0].attributes.map((kv: DecodedMessage) => [kv.key, kv.value]));
    expect(attrs.big).toEqual({ intValue: String(2n ** 62n) });
    expect(attrs.i).toEqual({ intValue: "-42" });
    expect(attrs.f).toEqual({ doubleValue: 0.25 });
    expect(attrs.lone).toEqual({ stringValue: "a\uFFFDb" });
    expect(memory.getFinishedSpans()).toHaveLength(4);
  });

  it("sends nothing when there is nothing to send", async () => {
    const telemetry = createTelemetry({ exporter: { url: receiver.url } });
    const r = await telemetry.flush();
    const none = { status: "success", exported: 0, dropped: 0 };
    expect(r).toEqual({ ok: true, traces: none, metrics: none, logs: none });
    expect(receiver.requests).toHaveLength(0);
  });

  it("honours the OTEL_EXPORTER_OTLP_* variables and a per-signal endpoint", async () => {
    const telemetry = createTelemetry({
      env: {
        OTEL_SERVICE_NAME: "from-env",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/custom/path`,
        OTEL_EXPORTER_OTLP_HEADERS: "x-api-key=abc%20def",
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      },
    });
    telemetry.tracer("t").startSpan("x").end();
    expect((await telemetry.flush()).ok).toBe(true);
    const req = receiver.requests[0]!;
    expect(req.path).toBe("/custom/path");
    expect(req.headers["x-api-key"]).toBe("abc def");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(new TextDecoder().decode(req.body)).toContain('"from-env"');
  });

  it("accepts a url that already ends in /v1/traces", async () => {
    const telemetry = createTelemetry({ exporter: { url: `${receiver.url}/v1/traces` } });
    telemetry.tracer("t").startSpan("x").end();
    await telemetry.flush();
    expect(receiver.requests.map((r) => r.path)).toEqual(["/v1/traces"]);
  });
});

