// Regression tests from a correctness review of the tracing core: user code that misbehaves, odd input,
// concurrent flushes, shutdown races and the OTEL_SDK_DISABLED path.
import { describe, expect, it } from "vitest";
import { ROOT_CONTEXT } from "../src/context/context.ts";
import { ExplicitContextManager } from "../src/context/context-manager.ts";
import type { ExportResult } from "../src/otlp/export-result.ts";
import { W3CTraceContextPropagator } from "../src/propagation/trace-context-propagator.ts";
import { createTelemetry } from "../src/telemetry.ts";
import { BatchSpanProcessor } from "../src/trace/batch-span-processor.ts";
import { SimpleSpanProcessor } from "../src/trace/simple-span-processor.ts";
import { isSpanContextValid, setSpanContext } from "../src/trace/span-context.ts";
import type { SpanExporter } from "../src/trace/span-exporter.ts";
import type { SpanProcessor } from "../src/trace/span-processor.ts";
import { SpanKind, type ReadableSpan } from "../src/trace/span-record.ts";
import { createStats } from "../src/trace/telemetry-stats.ts";
import { memoryTelemetry } from "./helpers/memory-telemetry.ts";
import { encodeTraceRequest } from "../src/otlp/trace-encoder.ts";

const quiet = { error() {}, warn() {}, info() {}, debug() {} };
/** Lets pending promise callbacks and zero-delay timers run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

/** An exporter whose every export waits for the test to release it. */
class GatedExporter implements SpanExporter {
  batches: string[][] = [];
  releases: (() => void)[] = [];
  export(spans: readonly ReadableSpan[]): Promise<ExportResult> {
    this.batches.push(spans.map((s) => s.name));
    return new Promise((resolve) => this.releases.push(() => resolve({ status: "success" })));
  }
}

const throwingProcessor = (): SpanProcessor => ({
  onStart() {
    throw new Error("onStart");
  },
  onEnd() {
    throw new Error("onEnd");
  },
  forceFlush() {
    throw new Error("forceFlush");
  },
  shutdown() {
    throw new Error("shutdown");
  },
});

describe("user processors and exporters that misbehave", () => {
  it("a processor that throws from every hook never throws into user code or out of flush()", async () => {
    const telemetry = createTelemetry({ exporters: [], diag: quiet, spanProcessors: [throwingProcessor()] });
    const tracer = telemetry.tracer("t");
    expect(() => tracer.startSpan("x").end()).not.toThrow();
    const flushed = await telemetry.flush();
    expect(flushed.ok).toBe(false);
    expect(flushed.traces.status).toBe("failure");
    const shut = await telemetry.shutdown();
    expect(shut.ok).toBe(false);
  });

  it("a throwing processor beside a working one: the other still gets spans and reports its result", async () => {
    const exported: string[] = [];
    const good = new SimpleSpanProcessor({ export: async (s) => (exported.push(...s.map((x) => x.name)), { status: "success" }) });
    const telemetry = createTelemetry({ exporters: [], diag: quiet, spanProcessors: [throwingProcessor(), good] });
    expect(() => telemetry.tracer("t").startSpan("kept").end()).not.toThrow();
    expect(exported).toEqual(["kept"]);
    const r = await telemetry.flush();
    expect(r.traces.exported).toBe(1);
    expect(r.traces.status).toBe("failure");
  });

  it("an exporter that resolves without a result counts its spans as dropped instead of rejecting flush()", async () => {
    const stats = createStats();
    const exporter = { export: () => Promise.resolve(undefined as unknown as ExportResult) };
    const bsp = new BatchSpanProcessor(exporter, { stats });
    const telemetry = createTelemetry({ exporters: [], diag: quiet, spanProcessors: [bsp] });
    telemetry.tracer("t").startSpan("a").end();
    telemetry.tracer("t").startSpan("b").end();
    const r = await telemetry.flush();
    expect(r.traces.status).toBe("failure");
    expect(r.traces.dropped).toBe(2);
    expect(stats).toMatchObject({ exportedSpans: 0, droppedSpans: 2, failedExports: 1 });
  });

  it("the same through a SimpleSpanProcessor", async () => {
    const simple = new SimpleSpanProcessor({ export: () => Promise.resolve(undefined as unknown as ExportResult) });
    const telemetry = createTelemetry({ exporters: [], diag: quiet, spanProcessors: [simple] });
    telemetry.tracer("t").startSpan("a").end();
    const r = await telemetry.flush();
    expect(r.traces).toMatchObject({ status: "failure", exported: 0, dropped: 1 });
  });

  it("an exporter whose shutdown throws or rejects: shutdown() still reports what the final flush sent", async () => {
    for (const shutdown of [
      () => {
        throw new Error("sync");
      },
      () => Promise.reject(new Error("async")),
    ]) {
      const exporter: SpanExporter = { export: async () => ({ status: "success" }), shutdown };
      for (const processor of [new BatchSpanProcessor(exporter), new SimpleSpanProcessor(exporter)]) {
        const telemetry = createTelemetry({ exporters: [], diag: quiet, spanProcessors: [processor] });
        telemetry.tracer("t").startSpan("a").end();
        const r = await telemetry.shutdown();
        expect(r.traces).toEqual({ status: "success", exported: 1, dropped: 0 });
      }
    }
  });
});

describe("processors under concurrent flushes", () => {
  it("flush() waits for what ended before it, not for exports started later", async () => {
    const exporter = new GatedExporter();
    const bsp = new BatchSpanProcessor(exporter, { maxExportBatchSize: 2, stats: createStats() });
    const telemetry = createTelemetry({ exporters: [], diag: quiet, spanProcessors: [bsp] });
    const tracer = telemetry.tracer("t");
    tracer.startSpan("before").end();
    let result: Awaited<ReturnType<typeof telemetry.flush>> | undefined;
    void telemetry.flush().then((r) => (result = r));
    // Another invocation keeps ending spans: a full batch goes out while the flush waits.
    tracer.startSpan("later-1").end();
    tracer.startSpan("later-2").end();
    expect(exporter.batches).toEqual([["before"], ["later-1", "later-2"]]);
    exporter.releases[0]!();
    await settle();
    expect(result).toMatchObject({ ok: true, traces: { status: "success", exported: 1, dropped: 0 } });
    // The later export is reported by the next flush, once.
    exporter.releases[1]!();
    expect((await telemetry.flush()).traces.exported).toBe(2);
    expect((await telemetry.flush()).traces.exported).toBe(0);
  });

  it("SimpleSpanProcessor: flush() does not wait for spans that end after it was called", async () => {
    const exporter = new GatedExporter();
    const telemetry = createTelemetry({ exporters: [], diag: quiet, spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const tracer = telemetry.tracer("t");
    tracer.startSpan("before").end();
    let result: Awaited<ReturnType<typeof telemetry.flush>> | undefined;
    void telemetry.flush().then((r) => (result = r));
    tracer.startSpan("later").end();
    exporter.releases[0]!();
    await settle();
    expect(result?.traces.exported).toBe(1);
    exporter.releases[1]!();
    expect((await telemetry.flush()).traces.exported).toBe(1);
  });

  it("two concurrent flushes: every span exported once and reported once", async () => {
    const exporter = new GatedExporter();
    const bsp = new BatchSpanProcessor(exporter, { maxExportBatchSize: 3 });
    const telemetry = createTelemetry({ exporters: [], diag: quiet, spanProcessors: [bsp] });
    const tracer = telemetry.tracer("t");
    for (let i = 0; i < 4; i++) tracer.startSpan(`a${i}`).end();
    const first = telemetry.flush();
    for (let i = 0; i < 2; i++) tracer.startSpan(`b${i}`).end();
    const second = telemetry.flush();
    while (exporter.releases.length) exporter.releases.shift()!();
    await settle();
    while (exporter.releases.length) exporter.releases.shift()!();
    const results = await Promise.all([first, second]);
    expect(exporter.batches.flat().sort()).toEqual(["a0", "a1", "a2", "a3", "b0", "b1"]);
    expect(results[0]!.traces.exported + results[1]!.traces.exported).toBe(6);
  });

  it("a span that ends while shutdown's final flush is in flight is counted, not silently kept", async () => {
    const exporter = new GatedExporter();
    const stats = createStats();
    const bsp = new BatchSpanProcessor(exporter, { stats });
    const telemetry = createTelemetry({ exporters: [], diag: quiet, spanProcessors: [bsp] });
    const tracer = telemetry.tracer("t");
    tracer.startSpan("a").end();
    const done = telemetry.shutdown();
    tracer.startSpan("during-shutdown").end();
    exporter.releases[0]!();
    await done;
    await settle();
    // Either exported or counted as dropped: never held in a queue nobody will flush.
    expect(stats.exportedSpans + stats.droppedSpans).toBe(2);
  });
});

describe("BatchSpanProcessor options and results", () => {
  it("invalid sizes fall back to the defaults: the queue stays bounded and full batches still go out", async () => {
    const exporter = new GatedExporter();
    const stats = createStats();
    const bsp = new BatchSpanProcessor(exporter, { maxQueueSize: Number.NaN, maxExportBatchSize: Number.NaN, stats });
    const telemetry = createTelemetry({ exporters: [], diag: quiet, spanProcessors: [bsp] });
    const tracer = telemetry.tracer("t");
    for (let i = 0; i < 3000; i++) tracer.startSpan("x").end();
    // Defaults: batches of 512, at most 2048 spans held.
    expect(exporter.batches.map((b) => b.length)).toEqual([512, 512, 512, 512]);
    expect(stats.droppedSpans).toBe(3000 - 2048);
  });

  it("a nonsensical rejected count (NaN, negative) cannot corrupt the counters", async () => {
    const answers: ExportResult[] = [
      { status: "success", rejected: Number.NaN },
      { status: "success", rejected: -3 },
    ];
    const stats = createStats();
    const bsp = new BatchSpanProcessor({ export: async () => answers.shift()! }, { maxExportBatchSize: 2, stats });
    const telemetry = createTelemetry({ exporters: [], diag: quiet, spanProcessors: [bsp] });
    for (let i = 0; i < 4; i++) telemetry.tracer("t").startSpan("x").end();
    const r = await telemetry.flush();
    expect(r.traces).toEqual({ status: "success", exported: 4, dropped: 0 });
    expect(stats).toMatchObject({ exportedSpans: 4, droppedSpans: 0, failedExports: 0 });
  });
});

describe("OTEL_SDK_DISABLED", () => {
  const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  it("passes the incoming trace context through unchanged, sampled flag included", () => {
    const { telemetry } = memoryTelemetry({ env: { OTEL_SDK_DISABLED: "true" } });
    const incoming = telemetry.propagation.extract({ traceparent });
    const outgoing: Record<string, string> = {};
    telemetry.tracer("t").startActiveSpan("proxy", {}, incoming, (span) => {
      telemetry.propagation.inject(telemetry.context.active(), outgoing);
      span.end();
    });
    // A downstream service must see the upstream's sampled decision, not a new unsampled parent.
    expect(outgoing["traceparent"]).toBe(traceparent);
  });

  it("without a parent, propagates nothing, so downstream services make their own sampling decision", () => {
    const { telemetry } = memoryTelemetry({ env: { OTEL_SDK_DISABLED: "true" } });
    const span = telemetry.tracer("t").startSpan("root");
    expect(span.isRecording()).toBe(false);
    const outgoing: Record<string, string> = {};
    new W3CTraceContextPropagator().inject(setSpanContext(ROOT_CONTEXT, span.spanContext()), outgoing);
    expect(outgoing).toEqual({});
    expect(isSpanContextValid(span.spanContext())).toBe(false);
  });
});

describe("odd input never throws", () => {
  it("null times fall back to now", () => {
    const { telemetry, spans } = memoryTelemetry();
    const before = Date.now();
    const span = telemetry.tracer("t").startSpan("x", { startTime: null as never });
    expect(() => span.addEvent("e", {}, null as never)).not.toThrow();
    expect(() => span.recordException(new Error("x"), null as never)).not.toThrow();
    expect(() => span.end(null as never)).not.toThrow();
    const [s] = spans();
    expect(s!.startTime).toBeGreaterThanOrEqual(before - 1);
    expect(s!.endTime).toBeGreaterThanOrEqual(s!.startTime);
    expect(s!.events.map((e) => e.time >= before - 1)).toEqual([true, true]);
  });

  it("null or non-array links are ignored", () => {
    const { telemetry, spans } = memoryTelemetry();
    const tracer = telemetry.tracer("t");
    expect(() => tracer.startSpan("a", { links: null as never }).end()).not.toThrow();
    const b = tracer.startSpan("b");
    expect(() => b.addLinks(undefined as never).addLinks({} as never)).not.toThrow();
    b.end();
    expect(spans().map((s) => s.links.length)).toEqual([0, 0]);
  });

  it("an unknown span kind becomes INTERNAL, so one span cannot corrupt a batch", () => {
    const { telemetry, spans } = memoryTelemetry();
    const tracer = telemetry.tracer("t");
    for (const kind of ["server", 7, -1, 1.5, null]) tracer.startSpan("x", { kind: kind as never }).end();
    tracer.startSpan("y", { kind: SpanKind.CONSUMER }).end();
    expect(spans().map((s) => s.kind)).toEqual([0, 0, 0, 0, 0, SpanKind.CONSUMER]);
  });

  it("ExplicitContextManager.with(undefined) runs fn with the root context active", () => {
    const manager = new ExplicitContextManager();
    const { telemetry } = memoryTelemetry({ contextManager: manager });
    const span = manager.with(undefined as never, () => telemetry.tracer("t").startSpan("x"));
    expect(isSpanContextValid(span.spanContext())).toBe(true);
  });

  it("a tracer version or schema URL given as a number is kept as text, as the name is", () => {
    const { telemetry, spans } = memoryTelemetry();
    telemetry.tracer("t", 2 as never, { schemaUrl: 3 as never }).startSpan("x").end();
    expect(spans()[0]!.scope).toEqual({ name: "t", version: "2", schemaUrl: "3" });
  });

  it("a link's droppedAttributesCount is kept as a non-negative integer, which every encoder can write", () => {
    const { telemetry, spans } = memoryTelemetry();
    const context = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 1 };
    const given = [-1, "2", 1.5, Number.NaN, 3];
    for (const d of given) telemetry.tracer("t").startSpan("x", { links: [{ context, droppedAttributesCount: d as never }] }).end();
    expect(spans().map((s) => s.links[0]!.droppedAttributesCount)).toEqual([0, 2, 1, 0, 3]);
  });
});

describe("more robustness", () => {
  it("a sampler that throws: the span is not recorded and nothing throws", () => {
    const { telemetry, spans, warnings } = memoryTelemetry({
      sampler: { shouldSample() { throw new Error("bad sampler"); }, toString: () => "Bad" },
    });
    const span = telemetry.tracer("t").startSpan("x");
    expect(span.isRecording()).toBe(false);
    span.end();
    expect(spans()).toHaveLength(0);
    expect(warnings.some((w) => w.includes("bad sampler"))).toBe(true);
  });

  it("a link whose tracestate is a plain string is kept without it, and the batch still encodes", () => {
    const { telemetry, spans } = memoryTelemetry();
    const context = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 1, traceState: "k=v" as never };
    telemetry.tracer("t").startSpan("x", { links: [{ context }] }).end();
    expect(spans()[0]!.links[0]!.context.traceState).toBeUndefined();
    expect(() => encodeTraceRequest(telemetry.resource, spans())).not.toThrow();
  });

  it("an exporter that never settles fails after the export timeout instead of hanging flush()", async () => {
    const processor = new BatchSpanProcessor({ export: () => new Promise(() => {}) }, { exportTimeoutMillis: 50 });
    const { telemetry } = memoryTelemetry({ spanProcessors: [processor] });
    telemetry.tracer("t").startSpan("x").end();
    const r = await telemetry.flush();
    expect(r.ok).toBe(false);
    expect(r.traces.message).toContain("timed out");
    expect(r.traces.dropped).toBe(1);
  });

  it("a full queue warns once per flush cycle, not once per span", async () => {
    const warnings: string[] = [];
    const diag = { error() {}, warn: (m: string) => warnings.push(m), info() {}, debug() {} };
    const processor = new BatchSpanProcessor({ export: () => new Promise(() => {}) }, { maxQueueSize: 2, maxExportBatchSize: 2, diag, exportTimeoutMillis: 20 });
    const { telemetry } = memoryTelemetry({ spanProcessors: [processor] });
    for (let i = 0; i < 10; i++) telemetry.tracer("t").startSpan("x").end();
    expect(warnings.filter((w) => w.includes("queue full"))).toHaveLength(1);
    await telemetry.flush();
    for (let i = 0; i < 10; i++) telemetry.tracer("t").startSpan("x").end();
    expect(warnings.filter((w) => w.includes("queue full"))).toHaveLength(2);
  });
});
