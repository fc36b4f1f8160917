// One flush, three signals: traces, metrics and logs each in their own request, concurrently, decoded by protobufjs.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTelemetry } from "../src/telemetry.ts";
import { setSpan } from "../src/trace/span-context.ts";
import { ROOT_CONTEXT } from "../src/context/context.ts";
import { decodeLogs, decodeMetrics, decodeTraces } from "./helpers/proto-decoder.ts";
import { startReceiver, type Receiver } from "./helpers/otlp-receiver.ts";

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(() => receiver.close());

const byPath = (path: string) => receiver.requests.find((r) => r.path === path)!;

describe("one flush for all three signals", () => {
  it("sends traces, metrics and logs in their own requests, correlated, and reports each", async () => {
    const telemetry = createTelemetry({ service: { name: "shop" }, exporter: { url: receiver.url }, diag: { warn() {}, error() {}, info() {}, debug() {} } });
    const tracer = telemetry.tracer("t");
    const counter = telemetry.meter("m").createCounter("orders", { unit: "{order}" });
    const logger = telemetry.logger("l");
    const span = tracer.startSpan("checkout");
    const ctx = setSpan(ROOT_CONTEXT, span);
    counter.add(2, { region: "eu" }, ctx);
    logger.emit({ body: "paid", severityNumber: 9, context: ctx });
    span.end();

    // Every request starts before any answers: the signals go concurrently.
    let held = 0;
    const release: (() => void)[] = [];
    receiver.respondWith(() => new Promise((resolve) => (held++, release.push(() => resolve({ status: 200 })))));
    const flushing = telemetry.flush();
    await vi.waitFor(() => expect(held).toBe(3));
    release.forEach((r) => r());
    const result = await flushing;

    expect(result).toEqual({
      ok: true,
      traces: { status: "success", exported: 1, dropped: 0 },
      metrics: { status: "success", exported: 1, dropped: 0 },
      logs: { status: "success", exported: 1, dropped: 0 },
    });
    expect(receiver.requests.map((r) => r.path).sort()).toEqual(["/v1/logs", "/v1/metrics", "/v1/traces"]);
    const { traceId, spanId } = span.spanContext();
    const traces = decodeTraces(byPath("/v1/traces").body);
    expect(traces.resourceSpans[0].scopeSpans[0].spans[0]).toMatchObject({ name: "checkout", traceId, spanId });
    const metric = decodeMetrics(byPath("/v1/metrics").body).resourceMetrics[0].scopeMetrics[0].metrics[0];
    expect(metric).toMatchObject({ name: "orders", unit: "{order}", sum: { isMonotonic: true, aggregationTemporality: 2 } });
    expect(metric.sum.dataPoints[0].asDouble).toBe(2);
    // The measurement was made in a sampled span: it is kept as an exemplar with that span's ids.
    expect(metric.sum.dataPoints[0].exemplars[0]).toMatchObject({ traceId, spanId });
    const record = decodeLogs(byPath("/v1/logs").body).resourceLogs[0].scopeLogs[0].logRecords[0];
    expect(record).toMatchObject({ body: { stringValue: "paid" }, severityNumber: 9, traceId, spanId, flags: 1 });
    const service = (r: { resource: { attributes: { key: string; value: { stringValue: string } }[] } }) =>
      r.resource.attributes.find((a) => a.key === "service.name")?.value.stringValue;
    expect(service(decodeLogs(byPath("/v1/logs").body).resourceLogs[0])).toBe("shop");
  });

  it("reports a failed signal without hiding the others' results", async () => {
    const telemetry = createTelemetry({ exporter: { url: receiver.url, retry: { maxAttempts: 1 } }, diag: { warn() {}, error() {}, info() {}, debug() {} } });
    receiver.respondWith((req) => ({ status: req.path === "/v1/metrics" ? 400 : 200 }));
    telemetry.tracer("t").startSpan("s").end();
    telemetry.meter("m").createHistogram("latency").record(12);
    telemetry.logger("l").emit({ body: "x" });
    const result = await telemetry.flush();
    expect(result.ok).toBe(false);
    expect(result.traces).toMatchObject({ status: "success", exported: 1 });
    expect(result.logs).toMatchObject({ status: "success", exported: 1 });
    expect(result.metrics).toMatchObject({ status: "failure", exported: 0, dropped: 1 });
  });

  it("sends nothing at all when OTEL_SDK_DISABLED=true", async () => {
    const telemetry = createTelemetry({ exporter: { url: receiver.url }, env: { OTEL_SDK_DISABLED: "true" }, captureConsole: true });
    telemetry.meter("m").createCounter("c").add(1);
    telemetry.logger("l").emit({ body: "x" });
    expect((await telemetry.flush()).ok).toBe(true);
    expect(receiver.requests).toHaveLength(0);
  });

  it("captures console output as log records when asked, and gives the console back on shutdown", async () => {
    const original = console.info;
    const seen: unknown[][] = [];
    console.info = (...a: unknown[]) => void seen.push(a);
    const before = console.info;
    try {
      const telemetry = createTelemetry({ exporter: { url: receiver.url }, captureConsole: true });
      console.info("cart has %d items", 3);
      expect(seen).toEqual([["cart has %d items", 3]]); // the original output still appears
      const result = await telemetry.shutdown();
      expect(result.logs.exported).toBe(1);
      const record = decodeLogs(byPath("/v1/logs").body).resourceLogs[0].scopeLogs[0].logRecords[0];
      expect(record).toMatchObject({ body: { stringValue: "cart has 3 items" }, severityNumber: 9, severityText: "INFO" });
      expect(console.info).toBe(before);
    } finally {
      console.info = original;
    }
  });

  it("exports metrics on an interval only when asked (periodic), and never before a meter exists", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      const telemetry = createTelemetry({ exporter: { url: receiver.url }, metrics: { periodic: true, exportIntervalMillis: 1000 } });
      vi.advanceTimersByTime(5000);
      expect(vi.getTimerCount()).toBe(0);
      telemetry.meter("m").createCounter("c").add(1);
      expect(vi.getTimerCount()).toBe(1);
      vi.advanceTimersByTime(1000);
      await vi.waitFor(() => expect(receiver.requests.map((r) => r.path)).toEqual(["/v1/metrics"]));
      await telemetry.shutdown();
      expect(vi.getTimerCount()).toBe(0);
      const plain = createTelemetry({ exporter: { url: receiver.url } });
      plain.meter("m").createCounter("c").add(1);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("createTraceTelemetry", () => {
  it("sends traces only: meters and loggers are no-ops and flush reports nothing for them", async () => {
    const { createTraceTelemetry } = await import("../src/telemetry.ts");
    const telemetry = createTraceTelemetry({ exporter: { url: receiver.url } });
    telemetry.tracer("t").startSpan("s").end();
    telemetry.meter("m").createCounter("c").add(1);
    telemetry.meter("m").createObservableGauge("g").addCallback((r) => r.observe(1));
    telemetry.logger("l").emit({ body: "x" });
    const none = { status: "success", exported: 0, dropped: 0 };
    expect(await telemetry.flush()).toEqual({ ok: true, traces: { ...none, exported: 1 }, metrics: none, logs: none });
    expect(receiver.requests.map((r) => r.path)).toEqual(["/v1/traces"]);
  });
});
