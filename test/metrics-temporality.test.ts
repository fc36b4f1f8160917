import { describe, expect, it } from "vitest";
import { now } from "../src/common/clock.ts";
import type { MetricData } from "../src/metrics/metric-data.ts";
import { byAttributes, metric, testProvider } from "./helpers/metrics.ts";

const tick = () => new Promise((r) => setTimeout(r, 2));
// Runs `f` between two clock readings.
function timed(f: () => void): [number, number] {
  const before = now();
  f();
  return [before, now()];
}
const temporalities = (metrics: MetricData[]) => Object.fromEntries(metrics.map((m) => [m.name, "temporality" in m ? m.temporality : "gauge"]));

describe("temporality", () => {
  it("cumulative: totals since each series' first measurement, every series every time", async () => {
    const { provider, meter } = testProvider();
    const c = meter.createCounter("c");
    await tick();
    const [a0, a1] = timed(() => c.add(1, { k: "a" }));
    await tick();
    const [b0, b1] = timed(() => c.add(2, { k: "b" }));
    const first = metric(await provider.collect(), "c", "sum");
    expect(first.temporality).toBe(2);
    const starts = byAttributes(first.points, (p) => p.startTime);
    expect(starts['{"k":"a"}']).toBeGreaterThanOrEqual(a0);
    expect(starts['{"k":"a"}']).toBeLessThanOrEqual(a1);
    expect(starts['{"k":"b"}']).toBeGreaterThanOrEqual(b0);
    expect(starts['{"k":"b"}']).toBeLessThanOrEqual(b1);
    c.add(5, { k: "a" });
    await tick();
    const second = metric(await provider.collect(), "c", "sum");
    expect(byAttributes(second.points, (p) => [p.value, p.startTime])).toEqual({ '{"k":"a"}': [6, starts['{"k":"a"}']], '{"k":"b"}': [2, starts['{"k":"b"}']] });
    expect(second.points[0]!.time).toBeGreaterThan(first.points[0]!.time);
  });

  it("cumulative histograms keep counting, and points already returned do not change", async () => {
    const { provider, meter } = testProvider();
    const h = meter.createHistogram("h", { advice: { explicitBucketBoundaries: [10] } });
    h.record(1);
    const first = metric(await provider.collect(), "h", "histogram").points[0]!;
    const copy = structuredClone(first);
    h.record(20);
    const second = metric(await provider.collect(), "h", "histogram").points[0]!;
    expect(first).toEqual(copy);
    expect(second).toMatchObject({ count: 2, sum: 21, min: 1, max: 20, bucketCounts: [1, 1], startTime: first.startTime });
  });

  it("delta: what changed since the previous collection, which is where each point starts", async () => {
    const { provider, meter } = testProvider({ temporality: "delta" });
    const created = timed(() => meter.createCounter("c"));
    const c = meter.createCounter("c");
    const h = meter.createHistogram("h", { advice: { explicitBucketBoundaries: [10] } });
    await tick();
    c.add(1, { k: "a" });
    c.add(2, { k: "b" });
    h.record(5);
    const first = await provider.collect();
    const c1 = metric(first, "c", "sum");
    expect(c1.temporality).toBe(1);
    // All delta points of an instrument share the start: its creation, at the first collection.
    for (const p of c1.points) {
      expect(p.startTime).toBeGreaterThanOrEqual(created[0]);
      expect(p.startTime).toBeLessThanOrEqual(created[1]);
    }
    const time1 = c1.points[0]!.time;
    await tick();
    c.add(10, { k: "a" });
    h.record(50);
    const second = await provider.collect();
    // "b" had nothing new: not reported.
    expect(metric(second, "c", "sum").points).toMatchObject([{ attributes: ["k", "a"], value: 10, startTime: time1 }]);
    expect(metric(second, "h", "histogram").points).toMatchObject([{ count: 1, sum: 50, min: 50, max: 50, bucketCounts: [0, 1] }]);
    // Nothing new at all: no metric.
    expect(await provider.collect()).toEqual([]);
    c.add(1, { k: "b" });
    const third = metric(await provider.collect(), "c", "sum").points;
    expect(third).toMatchObject([{ attributes: ["k", "b"], value: 1 }]);
    expect(third[0]!.startTime).toBeGreaterThan(metric(second, "c", "sum").points[0]!.time);
  });

  it("maps each kind to its temporality under each preference", async () => {
    const expected = {
      cumulative: { c: 2, u: 2, h: 2, g: "gauge", oc: 2, ou: 2, og: "gauge" },
      delta: { c: 1, u: 2, h: 1, g: "gauge", oc: 1, ou: 2, og: "gauge" },
      lowmemory: { c: 1, u: 2, h: 1, g: "gauge", oc: 2, ou: 2, og: "gauge" },
    } as const;
    for (const [temporality, want] of Object.entries(expected)) {
      const { provider, meter } = testProvider({ temporality: temporality as keyof typeof expected });
      meter.createCounter("c").add(1);
      meter.createUpDownCounter("u").add(1);
      meter.createHistogram("h").record(1);
      meter.createGauge("g").record(1);
      meter.createObservableCounter("oc").addCallback((r) => r.observe(1));
      meter.createObservableUpDownCounter("ou").addCallback((r) => r.observe(1));
      meter.createObservableGauge("og").addCallback((r) => r.observe(1));
      expect(temporalities(await provider.collect())).toEqual(want);
    }
  });

  it("gauges: under delta only sets recorded since the last collection, under cumulative every set's last value", async () => {
    for (const temporality of ["delta", "cumulative"] as const) {
      const { provider, meter } = testProvider({ temporality });
      const g = meter.createGauge("g");
      g.record(1, { k: "a" });
      g.record(2, { k: "b" });
      await provider.collect();
      g.record(3, { k: "a" });
      const points = metric(await provider.collect(), "g", "gauge").points;
      expect(byAttributes(points, (p) => p.value)).toEqual(temporality == "delta" ? { '{"k":"a"}': 3 } : { '{"k":"a"}': 3, '{"k":"b"}': 2 });
    }
  });

  it("observable counters under delta report the change since the previous collection", async () => {
    const { provider, meter } = testProvider({ temporality: "delta" });
    let total = 0;
    const created = timed(() => meter.createObservableCounter("oc").addCallback((r) => r.observe(total, { k: "x" })));
    total = 10;
    await tick();
    const first = metric(await provider.collect(), "oc", "sum");
    expect(first).toMatchObject({ temporality: 1, monotonic: true, points: [{ value: 10 }] });
    expect(first.points[0]!.startTime).toBeGreaterThanOrEqual(created[0]);
    expect(first.points[0]!.startTime).toBeLessThanOrEqual(created[1]);
    total = 25;
    const second = metric(await provider.collect(), "oc", "sum").points[0]!;
    expect(second).toMatchObject({ value: 15, startTime: first.points[0]!.time });
    const third = metric(await provider.collect(), "oc", "sum").points[0]!;
    expect(third).toMatchObject({ value: 0, startTime: second.time });
  });

  it("observable series under cumulative start at the instrument's creation, or the collection before they appeared", async () => {
    const { provider, meter } = testProvider();
    let sets = [{ k: "a" }];
    const created = timed(() => meter.createObservableCounter("oc").addCallback((r) => sets.forEach((s) => r.observe(7, s))));
    await tick();
    const first = metric(await provider.collect(), "oc", "sum").points[0]!;
    expect(first.startTime).toBeGreaterThanOrEqual(created[0]);
    expect(first.startTime).toBeLessThanOrEqual(created[1]);
    sets = [{ k: "a" }, { k: "b" }];
    await tick();
    const second = metric(await provider.collect(), "oc", "sum").points;
    expect(byAttributes(second, (p) => [p.value, p.startTime])).toEqual({ '{"k":"a"}': [7, first.startTime], '{"k":"b"}': [7, first.time] });
  });
});
