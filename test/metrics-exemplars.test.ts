import { afterEach, describe, expect, it, vi } from "vitest";
import { now } from "../src/common/clock.ts";
import { ROOT_CONTEXT } from "../src/context/context.ts";
import type { MeterProviderOptions } from "../src/metrics/meter-provider.ts";
import { createTelemetry } from "../src/telemetry.ts";
import { setSpanContext } from "../src/trace/span-context.ts";
import { metric, testProvider } from "./helpers/metrics.ts";

afterEach(() => vi.restoreAllMocks());

/** A provider sharing its context manager with a telemetry whose tracer samples every span. */
function setup(options: Partial<MeterProviderOptions> = {}) {
  const t = testProvider(options);
  const telemetry = createTelemetry({ exporters: [], contextManager: t.contextManager, diag: { error() {}, warn() {}, info() {}, debug() {} } });
  return { ...t, tracer: telemetry.tracer("test") };
}

const unsampled = setSpanContext(ROOT_CONTEXT, { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 0 });
const sampled = setSpanContext(ROOT_CONTEXT, { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1 });

describe("exemplars", () => {
  it("keep the trace and span of a measurement made in a sampled span (trace_based, the default)", async () => {
    const { provider, meter, tracer } = setup();
    const c = meter.createCounter("c");
    const before = now();
    const ids = tracer.startActiveSpan("work", (span) => {
      c.add(5, { k: "in" });
      span.end();
      return span.spanContext();
    });
    const after = now();
    c.add(1, { k: "out" });
    c.add(1, { k: "unsampled" }, unsampled);
    const points = metric(await provider.collect(), "c", "sum").points;
    expect(ids.traceFlags & 1).toBe(1);
    const [inSpan, outside, notSampled] = points;
    expect(inSpan!.exemplars).toEqual([{ filteredAttributes: [], time: expect.any(Number), value: 5, traceId: ids.traceId, spanId: ids.spanId }]);
    expect(inSpan!.exemplars[0]!.time).toBeGreaterThanOrEqual(before);
    expect(inSpan!.exemplars[0]!.time).toBeLessThanOrEqual(after);
    expect(outside!.exemplars).toEqual([]);
    expect(notSampled!.exemplars).toEqual([]);
  });

  it("take the span from the context passed in, over the active one", async () => {
    const { provider, meter, tracer } = setup();
    const h = meter.createHistogram("h");
    tracer.startActiveSpan("active", (span) => {
      h.record(1, {}, unsampled);
      h.record(2, { passed: true }, sampled);
      span.end();
    });
    const points = metric(await provider.collect(), "h", "histogram").points;
    expect(points[0]!.exemplars).toEqual([]);
    expect(points[1]!.exemplars).toMatchObject([{ value: 2, traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331" }]);
  });

  it("histograms keep one per bucket; other aggregations a fixed reservoir; all reset at each collection", async () => {
    const { provider, meter } = setup({ views: [{ instrumentName: "e", aggregation: "base2_exponential_bucket_histogram" }] });
    const h = meter.createHistogram("h", { advice: { explicitBucketBoundaries: [10, 20, 30] } });
    const c = meter.createCounter("c");
    const e = meter.createHistogram("e");
    const values = [1, 2, 3, 15, 16, 35, 36, 37, 38];
    for (const v of values) {
      h.record(v, {}, sampled);
      c.add(v, {}, sampled);
    }
    for (let i = 0; i < 100; i++) e.record(i, {}, sampled);
    const metrics = await provider.collect();
    const bucket = (v: number) => [10, 20, 30].findIndex((b) => v <= b);
    const hx = metric(metrics, "h", "histogram").points[0]!.exemplars;
    // One in each bucket that had measurements (the first measurement of a bucket is always kept).
    expect(hx.map((x) => bucket(x.value as number))).toEqual([0, 1, -1]);
    expect(hx.every((x) => values.includes(x.value as number))).toBe(true);
    const cx = metric(metrics, "c", "sum").points[0]!.exemplars;
    expect(cx).toHaveLength(1);
    expect(values).toContain(cx[0]!.value);
    const ex = metric(metrics, "e", "exponentialHistogram").points[0]!.exemplars;
    expect(ex).toHaveLength(20);
    expect(new Set(ex.map((x) => x.value)).size).toBe(20);

    h.record(25);
    const next = await provider.collect();
    expect(metric(next, "h", "histogram").points[0]!.exemplars).toEqual([]);
    expect(metric(next, "c", "sum").points[0]!.exemplars).toEqual([]);
  });

  it("sample uniformly: a later measurement replaces a kept one with probability slots / seen", async () => {
    for (const [random, kept] of [
      [0.99, 1],
      [0, 3],
    ] as const) {
      const { provider, meter } = setup();
      const c = meter.createCounter("c");
      const h = meter.createHistogram("h");
      const spy = vi.spyOn(Math, "random").mockReturnValue(random);
      for (const v of [1, 2, 3]) {
        c.add(v, {}, sampled);
        h.record(v, {}, sampled); // all in one bucket
      }
      const metrics = await provider.collect();
      expect(metric(metrics, "c", "sum").points[0]!.exemplars.map((x) => x.value)).toEqual([kept]);
      expect(metric(metrics, "h", "histogram").points[0]!.exemplars.map((x) => x.value)).toEqual([kept]);
      // The first of each reservoir needs no draw; each later offer draws once.
      expect(spy).toHaveBeenCalledTimes(4);
      spy.mockRestore();
    }
  });

  it("hold the attributes a view dropped", async () => {
    const { provider, meter } = setup({ views: [{ instrumentName: "c", attributeKeys: ["route"] }] });
    meter.createCounter("c").add(1, { route: "/a", user: "u1", session: 7 }, sampled);
    const [point] = metric(await provider.collect(), "c", "sum").points;
    expect(point!.attributes).toEqual(["route", "/a"]);
    expect(point!.exemplars[0]!.filteredAttributes).toEqual(["user", "u1", "session", 7]);
  });

  it("follow the filter: always_on without a span has no ids; always_off keeps none", async () => {
    const on = setup({ exemplarFilter: "always_on" });
    on.meter.createCounter("c").add(2);
    expect(metric(await on.provider.collect(), "c", "sum").points[0]!.exemplars).toMatchObject([{ value: 2, traceId: undefined, spanId: undefined }]);
    const off = setup({ exemplarFilter: "always_off" });
    off.meter.createCounter("c").add(2, {}, sampled);
    expect(metric(await off.provider.collect(), "c", "sum").points[0]!.exemplars).toEqual([]);
  });

  it("are not taken from observable callbacks", async () => {
    const { provider, meter, tracer } = setup({ exemplarFilter: "always_on" });
    meter.createObservableGauge("g").addCallback((r) => r.observe(1));
    const points = await tracer.startActiveSpan("s", () => provider.collect());
    expect(metric(points, "g", "gauge").points[0]!.exemplars).toEqual([]);
  });
});
