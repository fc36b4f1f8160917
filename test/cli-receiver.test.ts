import { afterEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { create, equals, fromBinary, toBinary, toJsonString, type Message } from "@bufbuild/protobuf";
import type { AnyValue, KeyValue } from "../gen/opentelemetry/proto/common/v1/common_pb.js";
import {
  ExportTraceServiceRequestSchema,
  ExportTraceServiceResponseSchema,
  type ExportTraceServiceRequest,
} from "../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import {
  ExportMetricsServiceRequestSchema,
  type ExportMetricsServiceRequest,
} from "../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js";
import {
  ExportLogsServiceRequestSchema,
  type ExportLogsServiceRequest,
} from "../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import { Span_SpanKind, Status_StatusCode, type Span } from "../gen/opentelemetry/proto/trace/v1/trace_pb.js";
import { AggregationTemporality } from "../gen/opentelemetry/proto/metrics/v1/metrics_pb.js";
import { SeverityNumber } from "../gen/opentelemetry/proto/logs/v1/logs_pb.js";
import {
  DEFAULT_MAX_BODY_BYTES,
  decodeOtlpJson,
  isLoopbackHost,
  startOtlpReceiver,
  type OtlpReceiver,
  type OtlpReceiverOptions,
  type OtlpSignal,
} from "../cli/receiver-server.ts";
import { BAR_EMPTY, BAR_FILL, renderTraces } from "../cli/render-traces.ts";
import { renderMetrics } from "../cli/render-metrics.ts";
import { renderLogs } from "../cli/render-logs.ts";

const WIDTH = 30;
const NS_PER_MS = 1_000_000n;
const T0 = 1_700_000_000_000n * NS_PER_MS; // an arbitrary epoch instant, in ns

const str = (value: string): AnyValue => ({ $typeName: "opentelemetry.proto.common.v1.AnyValue", value: { case: "stringValue", value } });
const kv = (key: string, value: string): KeyValue => ({ $typeName: "opentelemetry.proto.common.v1.KeyValue", key, value: str(value) });
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const spanId = (n: number): Uint8Array => Uint8Array.of(0xa0, 0, 0, 0, 0, 0, 0, n);
const TRACE_ID = Uint8Array.from({ length: 16 }, (_, i) => 0x10 + i);
const ORPHAN_TRACE_ID = Uint8Array.from({ length: 16 }, (_, i) => 0xf0 - i);

interface SpanSpec {
  readonly id: number;
  readonly parent?: number;
  readonly name: string;
  readonly kind: Span_SpanKind;
  readonly startMs: number;
  readonly endMs: number;
  readonly error?: string;
  readonly traceId?: Uint8Array;
  readonly attributes?: KeyValue[];
  readonly events?: Array<{ name: string; atMs: number }>;
}

// A three-level trace, listed out of order so the renderer has to sort and nest it.
const LONG_VALUE = "x".repeat(100);
const SPECS: readonly SpanSpec[] = [
  { id: 3, parent: 2, name: "parse", kind: Span_SpanKind.INTERNAL, startMs: 40, endMs: 60, error: "boom", events: [{ name: "retry", atMs: 45 }] },
  { id: 4, parent: 1, name: "render", kind: Span_SpanKind.INTERNAL, startMs: 95, endMs: 105 },
  { id: 1, name: "GET /checkout", kind: Span_SpanKind.SERVER, startMs: 0, endMs: 120, attributes: [kv("http.method", "GET"), kv("long", LONG_VALUE)] },
  { id: 2, parent: 1, name: "db.query", kind: Span_SpanKind.CLIENT, startMs: 20, endMs: 80 },
];
// Expected tree order: by parent, then start time.
const TREE = [
  { id: 1, depth: 0 },
  { id: 2, depth: 1 },
  { id: 3, depth: 2 },
  { id: 4, depth: 1 },
];

function buildSpan(s: SpanSpec): Span {
  const start = T0 + BigInt(s.startMs) * NS_PER_MS;
  return create(ExportTraceServiceRequestSchema, {
    resourceSpans: [{ scopeSpans: [{ spans: [{
      traceId: s.traceId ?? TRACE_ID,
      spanId: spanId(s.id),
      parentSpanId: s.parent === undefined ? new Uint8Array(0) : spanId(s.parent),
      name: s.name,
      kind: s.kind,
      startTimeUnixNano: start,
      endTimeUnixNano: T0 + BigInt(s.endMs) * NS_PER_MS,
      attributes: s.attributes ?? [],
      events: (s.events ?? []).map((e) => ({ name: e.name, timeUnixNano: T0 + BigInt(e.atMs) * NS_PER_MS })),
      ...(s.error === undefined ? {} : { status: { code: Status_StatusCode.ERROR, message: s.error } }),
    }] }] }],
  }).resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
}

function traceRequest(specs: readonly SpanSpec[] = SPECS, service = "checkout"): ExportTraceServiceRequest {
  return create(ExportTraceServiceRequestSchema, {
    resourceSpans: [{ resource: { attributes: [kv("service.name", service)] }, scopeSpans: [{ spans: specs.map(buildSpan) }] }],
  });
}

const ms = (n: number): string => `${n.toFixed(1)} ms`;
const bySpecId = (id: number): SpanSpec => SPECS.find((s) => s.id === id)!;

// The bar a span at [startMs, endMs] should get in a trace of totalMs, for numbers that fall on column edges.
function expectedBar(startMs: number, endMs: number, totalMs: number): string {
  const first = Math.floor((startMs * WIDTH) / totalMs);
  const last = Math.ceil((endMs * WIDTH) / totalMs);
  return BAR_EMPTY.repeat(first) + BAR_FILL.repeat(last - first) + BAR_EMPTY.repeat(WIDTH - last);
}

interface SpanLine {
  readonly bar: string;
  readonly depth: number;
  readonly text: string;
}

const SPAN_LINE = new RegExp(`^  ([${BAR_FILL}${BAR_EMPTY}]{${WIDTH}})  ( *)(\\S.*)$`);

function spanLines(output: string): SpanLine[] {
  const out: SpanLine[] = [];
  for (const line of output.split("\n")) {
    const m = SPAN_LINE.exec(line);
    if (m) out.push({ bar: m[1]!, depth: m[2]!.length / 2, text: m[3]! });
  }
  return out;
}

function checkWaterfall(output: string): void {
  const totalMs = Math.max(...SPECS.map((s) => s.endMs)) - Math.min(...SPECS.map((s) => s.startMs));
  expect(output).toContain(`trace ${hex(TRACE_ID)}  service=checkout  ${SPECS.length} spans  ${ms(totalMs)}`);
  const lines = spanLines(output);
  expect(lines.map((l) => l.text.split("  ")[0])).toEqual(TREE.map((t) => bySpecId(t.id).name));
  expect(lines.map((l) => l.depth)).toEqual(TREE.map((t) => t.depth));
  TREE.forEach((t, i) => {
    const spec = bySpecId(t.id);
    const line = lines[i]!;
    expect(line.bar).toBe(expectedBar(spec.startMs, spec.endMs, totalMs));
    expect(line.text).toContain(`  ${ms(spec.endMs - spec.startMs)}`);
    expect(line.text).toContain(`  ${Span_SpanKind[spec.kind].toLowerCase()}  `);
    if (spec.error === undefined) expect(line.text).not.toContain("ERROR");
    else expect(line.text).toContain(`ERROR: ${spec.error}`);
  });
}

describe("renderTraces", () => {
  it("nests spans by parent, sorts siblings by start, and draws bars and durations from the times", () => {
    const out = renderTraces(traceRequest());
    checkWaterfall(out);
    expect(out.endsWith("\n")).toBe(true);
    expect(out).not.toContain("\x1b[");
  });

  it("shows attributes compactly, truncating long values", () => {
    const root = spanLines(renderTraces(traceRequest()))[0]!.text;
    expect(root).toContain("http.method=GET");
    expect(root).toMatch(/long=x+…/);
    expect(root).not.toContain(LONG_VALUE);
  });

  it("puts events on a sub-line with their offset from the span start", () => {
    const spec = SPECS.find((s) => s.events !== undefined)!;
    const event = spec.events![0]!;
    const lines = renderTraces(traceRequest()).split("\n");
    const spanAt = lines.findIndex((l) => l.includes(`${spec.name}  `));
    expect(lines[spanAt + 1]!.trim()).toBe(`• +${ms(event.atMs - spec.startMs)}  ${event.name}`);
  });

  it("treats spans whose parent is not in the batch as roots, and groups by trace id", () => {
    const orphan: SpanSpec = { id: 9, parent: 77, name: "late child", kind: Span_SpanKind.CONSUMER, startMs: 5, endMs: 7, traceId: ORPHAN_TRACE_ID };
    const out = renderTraces(traceRequest([...SPECS, orphan]));
    const headers = out.split("\n").filter((l) => l.startsWith("trace "));
    expect(headers.map((h) => h.split("  ")[0])).toEqual([`trace ${hex(TRACE_ID)}`, `trace ${hex(ORPHAN_TRACE_ID)}`]);
    expect(headers[1]).toContain(`1 span  ${ms(orphan.endMs - orphan.startMs)}`);
    const last = spanLines(out).at(-1)!;
    expect(last.text.startsWith(orphan.name)).toBe(true);
    expect(last.depth).toBe(0);
    expect(last.bar).toBe(BAR_FILL.repeat(WIDTH)); // alone in its trace, it spans the whole bar
  });

  it("orders orphans among the roots of their trace by start time, with their own children", () => {
    const early: SpanSpec = { id: 20, parent: 99, name: "early orphan", kind: Span_SpanKind.INTERNAL, startMs: -5, endMs: 2 };
    const child: SpanSpec = { id: 21, parent: 20, name: "orphan child", kind: Span_SpanKind.INTERNAL, startMs: -4, endMs: 1 };
    const lines = spanLines(renderTraces(traceRequest([...SPECS, child, early])));
    const expected = [{ name: early.name, depth: 0 }, { name: child.name, depth: 1 }, ...TREE.map((t) => ({ name: bySpecId(t.id).name, depth: t.depth }))];
    expect(lines.map((l) => ({ name: l.text.split("  ")[0], depth: l.depth }))).toEqual(expected);
  });

  it("colours only on request", () => {
    expect(renderTraces(traceRequest(), { color: true })).toContain("\x1b[31m"); // the ERROR span in red
  });

  it("renders nothing for an empty request", () => {
    expect(renderTraces(create(ExportTraceServiceRequestSchema))).toBe("");
  });
});

function metricsRequest(): ExportMetricsServiceRequest {
  return create(ExportMetricsServiceRequestSchema, {
    resourceMetrics: [{
      resource: { attributes: [kv("service.name", "checkout")] },
      scopeMetrics: [{
        scope: { name: "shop", version: "2.0.0" },
        metrics: [
          { name: "orders", unit: "{order}", data: { case: "sum", value: {
            aggregationTemporality: AggregationTemporality.CUMULATIVE, isMonotonic: true,
            dataPoints: [{ attributes: [kv("region", "eu")], value: { case: "asInt", value: 42n } }],
          } } },
          { name: "queue.depth", data: { case: "gauge", value: { dataPoints: [{ value: { case: "asDouble", value: 2.5 } }] } } },
          { name: "latency", unit: "ms", data: { case: "histogram", value: {
            aggregationTemporality: AggregationTemporality.DELTA,
            dataPoints: [{ count: 3n, sum: 36, min: 2, max: 30, bucketCounts: [1n, 2n], explicitBounds: [10] }],
          } } },
        ],
      }],
    }],
  });
}

function logsRequest(): ExportLogsServiceRequest {
  return create(ExportLogsServiceRequestSchema, {
    resourceLogs: [{
      resource: { attributes: [kv("service.name", "checkout")] },
      scopeLogs: [{ logRecords: [
        { timeUnixNano: T0, severityNumber: SeverityNumber.WARN, body: str("disk almost full"), traceId: TRACE_ID, spanId: spanId(1), attributes: [kv("disk", "/dev/sda")] },
        { observedTimeUnixNano: T0 + NS_PER_MS, severityNumber: SeverityNumber.INFO3, severityText: "", body: str("line1\nline2") },
      ] }],
    }],
  });
}

describe("renderMetrics and renderLogs", () => {
  it("prints one line per data point with name, type, attributes and value", () => {
    const lines = renderMetrics(metricsRequest()).trimEnd().split("\n");
    expect(lines[0]).toBe("metrics  service=checkout  scope=shop@2.0.0");
    expect(lines.slice(1)).toEqual([
      "  orders  sum(cumulative,monotonic)  {region=eu}  = 42 {order}",
      "  queue.depth  gauge  = 2.5",
      "  latency  histogram(delta)  = count=3 sum=36 min=2 max=30",
    ]);
  });

  it("prints one line per log record with time, severity, body, trace prefix and attributes", () => {
    const lines = renderLogs(logsRequest()).trimEnd().split("\n");
    const t0 = new Date(Number(T0 / NS_PER_MS));
    expect(lines).toEqual([
      "logs  service=checkout",
      `  ${t0.toISOString()}  WARN  disk almost full  trace=${hex(TRACE_ID).slice(0, 8)}  disk=/dev/sda`,
      // Falls back to observed time; severity name from the number (INFO3); newline escaped to stay on one line.
      `  ${new Date(t0.getTime() + 1).toISOString()}  INFO3  line1\\nline2`,
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// The HTTP receiver, in process.

interface Running {
  readonly receiver: OtlpReceiver;
  readonly output: () => string;
  readonly warnings: () => string;
  readonly received: Array<{ signal: OtlpSignal; message: Message }>;
}

const open: OtlpReceiver[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

async function start(options: OtlpReceiverOptions = {}): Promise<Running> {
  let output = "";
  let warnings = "";
  const received: Array<{ signal: OtlpSignal; message: Message }> = [];
  const receiver = await startOtlpReceiver({
    port: 0,
    write: (t) => void (output += t),
    warn: (t) => void (warnings += t),
    onRequest: (signal, message) => void received.push({ signal, message }),
    ...options,
  });
  open.push(receiver);
  return { receiver, output: () => output, warnings: () => warnings, received };
}

function post(url: string, body: Uint8Array<ArrayBuffer> | string, headers: Record<string, string>): Promise<Response> {
  return fetch(url, { method: "POST", body, headers });
}

const PROTO = { "content-type": "application/x-protobuf" };
const JSON_CT = { "content-type": "application/json" };

// Everything after the per-request "──" line: the renderer's own text.
const rendered = (output: string): string => output.split("\n").slice(1).join("\n");

describe("startOtlpReceiver", () => {
  it("accepts protobuf traces, replies with an empty protobuf response, and prints the waterfall", async () => {
    const r = await start();
    expect(r.receiver.url).toBe(`http://127.0.0.1:${r.receiver.port}`);
    expect(r.receiver.port).toBeGreaterThan(0);
    const request = traceRequest();
    const res = await post(`${r.receiver.url}/v1/traces`, toBinary(ExportTraceServiceRequestSchema, request), PROTO);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-protobuf");
    const reply = new Uint8Array(await res.arrayBuffer());
    expect(reply.length).toBe(0);
    expect(equals(ExportTraceServiceResponseSchema, fromBinary(ExportTraceServiceResponseSchema, reply), create(ExportTraceServiceResponseSchema))).toBe(true);
    checkWaterfall(r.output());
    expect(r.output().split("\n")[0]).toContain(`traces · ${SPECS.length} spans · protobuf`);
    expect(r.received).toHaveLength(1);
    expect(r.received[0]!.signal).toBe("traces");
    expect(equals(ExportTraceServiceRequestSchema, r.received[0]!.message as ExportTraceServiceRequest, request)).toBe(true);
    expect(r.warnings()).toBe("");
  });

  it("accepts gzip'd protobuf and JSON bodies and renders them the same", async () => {
    const r = await start();
    const request = traceRequest();
    const url = `${r.receiver.url}/v1/traces`;
    const gz = await post(url, gzipSync(toBinary(ExportTraceServiceRequestSchema, request)), { ...PROTO, "content-encoding": "gzip" });
    expect(gz.status).toBe(200);
    const afterGzip = r.output();
    expect(afterGzip.split("\n")[0]).toContain("protobuf+gzip");
    checkWaterfall(afterGzip);

    const json = await post(url, toJsonString(ExportTraceServiceRequestSchema, request), JSON_CT);
    expect(json.status).toBe(200);
    expect(json.headers.get("content-type")).toBe("application/json");
    expect(await json.json()).toEqual({});
    const jsonOut = r.output().slice(afterGzip.length);
    expect(rendered(jsonOut)).toBe(rendered(afterGzip));
    for (const { message } of r.received) {
      expect(equals(ExportTraceServiceRequestSchema, message as ExportTraceServiceRequest, request)).toBe(true);
    }
  });

  it("reads OTLP/JSON's hex ids (the official example payloads)", async () => {
    const r = await start();
    for (const signal of ["traces", "metrics", "logs"] as const) {
      const file = { traces: "trace", metrics: "metrics", logs: "logs" }[signal];
      const text = readFileSync(fileURLToPath(new URL(`./vectors/${file}.json`, import.meta.url)), "utf8");
      const res = await post(`${r.receiver.url}/v1/${signal}`, text, JSON_CT);
      expect(res.status).toBe(200);
    }
    const vector = JSON.parse(readFileSync(fileURLToPath(new URL("./vectors/trace.json", import.meta.url)), "utf8"));
    const span = vector.resourceSpans[0].scopeSpans[0].spans[0];
    expect(r.output()).toContain(`trace ${span.traceId.toLowerCase()}`);
    const logVector = JSON.parse(readFileSync(fileURLToPath(new URL("./vectors/logs.json", import.meta.url)), "utf8"));
    const record = logVector.resourceLogs[0].scopeLogs[0].logRecords[0];
    expect(r.output()).toContain(`${record.severityText}  ${record.body.stringValue}  trace=${record.traceId.toLowerCase().slice(0, 8)}`);
    const metricVector = JSON.parse(readFileSync(fileURLToPath(new URL("./vectors/metrics.json", import.meta.url)), "utf8"));
    for (const m of metricVector.resourceMetrics[0].scopeMetrics[0].metrics) expect(r.output()).toContain(`  ${m.name}  `);
    expect(r.received.map((x) => x.signal)).toEqual(["traces", "metrics", "logs"]);
  });

  it("renders metrics and logs lines", async () => {
    const r = await start();
    expect((await post(`${r.receiver.url}/v1/metrics`, toBinary(ExportMetricsServiceRequestSchema, metricsRequest()), PROTO)).status).toBe(200);
    expect((await post(`${r.receiver.url}/v1/logs`, toBinary(ExportLogsServiceRequestSchema, logsRequest()), PROTO)).status).toBe(200);
    expect(r.output()).toContain(renderMetrics(metricsRequest()));
    expect(r.output()).toContain(renderLogs(logsRequest()));
    expect(r.output()).toContain("metrics · 3 data points");
    expect(r.output()).toContain("logs · 2 log records");
  });

  it("prints one OTLP/JSON line per request in json mode", async () => {
    const r = await start({ json: true });
    const request = traceRequest();
    await post(`${r.receiver.url}/v1/traces`, toBinary(ExportTraceServiceRequestSchema, request), PROTO);
    await post(`${r.receiver.url}/v1/logs`, toBinary(ExportLogsServiceRequestSchema, logsRequest()), PROTO);
    const lines = r.output().trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]!);
    expect(first.signal).toBe("traces");
    const spans = first.body.resourceSpans[0].scopeSpans[0].spans;
    expect(spans.map((s: { spanId: string }) => s.spanId)).toEqual(SPECS.map((s) => hex(spanId(s.id))));
    expect(spans[0].kind).toBe(SPECS[0]!.kind); // enums as integers, as OTLP/JSON requires
    const back = decodeOtlpJson(ExportTraceServiceRequestSchema, new TextEncoder().encode(JSON.stringify(first.body)));
    expect(equals(ExportTraceServiceRequestSchema, back as ExportTraceServiceRequest, request)).toBe(true);
    expect(JSON.parse(lines[1]!).signal).toBe("logs");
  });

  it("answers 404 for unknown paths and 405 for other methods", async () => {
    const r = await start();
    const missing = await post(`${r.receiver.url}/v1/trace`, "{}", JSON_CT);
    expect(missing.status).toBe(404);
    expect((await missing.json()).code).toBe(5);
    const get = await fetch(`${r.receiver.url}/v1/traces`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(r.warnings()).toContain("/v1/trace: 404");
    expect(r.warnings()).toContain("GET /v1/traces: 405");
    expect(r.received).toHaveLength(0);
  });

  it("answers 400 with a message for undecodable bodies, and warns", async () => {
    const r = await start();
    const url = `${r.receiver.url}/v1/traces`;
    // Field 1, length 5, but only one byte follows.
    const badProto = await post(url, Uint8Array.of(0x0a, 0x05, 0x01), PROTO);
    expect(badProto.status).toBe(400);
    expect(badProto.headers.get("content-type")).toBe("application/x-protobuf");
    expect(new TextDecoder().decode(await badProto.arrayBuffer())).toContain("cannot decode");
    const badJson = await post(url, '{"resourceSpans": [', JSON_CT);
    expect(badJson.status).toBe(400);
    const status = await badJson.json();
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/cannot decode application\/json traces request/);
    const badGzip = await post(url, "not gzip", { ...PROTO, "content-encoding": "gzip" });
    expect(badGzip.status).toBe(400);
    expect(r.warnings().trimEnd().split("\n")).toHaveLength(3);
    expect(r.warnings()).toContain("POST /v1/traces: 400 cannot decode");
    expect(r.output()).toBe("");
    expect(r.received).toHaveLength(0);
  });

  it("answers 415 for other content types and encodings", async () => {
    const r = await start();
    const url = `${r.receiver.url}/v1/traces`;
    expect((await post(url, "x", { "content-type": "text/plain" })).status).toBe(415);
    expect((await post(url, "{}", { ...JSON_CT, "content-encoding": "br" })).status).toBe(415);
  });

  it("answers 413 for bodies over the limit, before and after gzip", async () => {
    const limit = 1000;
    const r = await start({ maxBodyBytes: limit });
    const url = `${r.receiver.url}/v1/traces`;
    expect((await post(url, new Uint8Array(limit + 1), PROTO)).status).toBe(413);
    const bomb = gzipSync(new Uint8Array(limit * 50));
    expect(bomb.length).toBeLessThan(limit);
    expect((await post(url, bomb, { ...PROTO, "content-encoding": "gzip" })).status).toBe(413);
    // A body of exactly the limit is read in full; it then fails to decode (0 is not a valid tag): 400, not 413.
    expect((await post(url, new Uint8Array(limit), PROTO)).status).toBe(400);
  });

  it("limits bodies to 16 MiB by default", async () => {
    const r = await start();
    expect(DEFAULT_MAX_BODY_BYTES).toBe(16 * 1024 * 1024);
    const res = await post(`${r.receiver.url}/v1/traces`, new Uint8Array(DEFAULT_MAX_BODY_BYTES + 1), PROTO);
    expect(res.status).toBe(413);
    expect(r.warnings()).toContain("413");
  });

  it("answers 413 for a body streamed without a length", async () => {
    const limit = 1000;
    const r = await start({ maxBodyBytes: limit });
    const chunk = new Uint8Array(400);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await fetch(`${r.receiver.url}/v1/traces`, { method: "POST", body, headers: PROTO, duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
  });

  it("refuses non-loopback hosts", async () => {
    for (const host of ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com"]) {
      await expect(startOtlpReceiver({ host, port: 0, write: () => {} })).rejects.toThrow(/non-loopback/);
      expect(isLoopbackHost(host)).toBe(false);
    }
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST"]) expect(isLoopbackHost(host)).toBe(true);
  });

  it("binds localhost to a loopback address", async () => {
    const r = await start({ host: "localhost" });
    expect(isLoopbackHost(new URL(r.receiver.url).hostname)).toBe(true);
    expect((await post(`${r.receiver.url}/v1/traces`, new Uint8Array(0), PROTO)).status).toBe(200);
  });

  it("rejects a busy port and invalid ports", async () => {
    const r = await start();
    await expect(startOtlpReceiver({ port: r.receiver.port, write: () => {} })).rejects.toMatchObject({ code: "EADDRINUSE" });
    await expect(startOtlpReceiver({ port: 70000, write: () => {} })).rejects.toThrow(/invalid port/);
  });

  it("stops accepting connections after close()", async () => {
    const receiver = await startOtlpReceiver({ port: 0, write: () => {} });
    await receiver.close();
    await expect(fetch(`${receiver.url}/v1/traces`, { method: "POST" })).rejects.toThrow();
  });
});

describe("the edge-otel-receiver CLI", () => {
  it("prints where it listens, prints a received trace, and exits cleanly on SIGTERM", async () => {
    const script = fileURLToPath(new URL("../cli/receiver.ts", import.meta.url));
    const child = spawn(process.execPath, [script, "--port", "0"], { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    let stdout = "";
    let stderr = "";
    const waiters = new Set<() => void>();
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      for (const w of waiters) w();
    });
    child.stderr.on("data", (d: Buffer) => void (stderr += d.toString()));
    const waitFor = (pattern: RegExp): Promise<RegExpMatchArray> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const m = stdout.match(pattern);
          if (m) {
            waiters.delete(check);
            resolve(m);
          }
        };
        waiters.add(check);
        exited.then((code) => reject(new Error(`CLI exited with ${code}: ${stderr}`)));
        check();
      });
    try {
      const [, url] = await waitFor(/listening on (http:\/\/127\.0\.0\.1:(\d+))/);
      expect(Number(new URL(url!).port)).toBeGreaterThan(0);
      const res = await post(`${url}/v1/traces`, toBinary(ExportTraceServiceRequestSchema, traceRequest()), PROTO);
      expect(res.status).toBe(200);
      await waitFor(new RegExp(`${bySpecId(TREE.at(-1)!.id).name}  `));
      checkWaterfall(stdout);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe("");
  });
});
