import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { expRecord, mapToIndex, newExp, type ExpState } from "../src/metrics/exponential-histogram.ts";
import type { ExponentialHistogramDataPoint } from "../src/metrics/metric-data.ts";
import { metric, testProvider } from "./helpers/metrics.ts";

const DEFAULT_BOUNDS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

// The straightforward reference: bucket i at scale s holds (2^(i/2^s), 2^((i+1)/2^s)].
const referenceIndex = (v: number, scale: number) => Math.ceil(Math.log2(v) * 2 ** scale) - 1;
// How far log2(v) * 2^s is from the nearest bucket boundary: floating point can only disagree there.
const nearBoundary = (v: number, scale: number) => {
  const x = Math.log2(v) * 2 ** scale;
  return Math.abs(x - Math.round(x)) < 1e-6 * Math.max(1, Math.abs(x)) * 2 ** -20;
};

// The next double above positive `v`.
function nextUp(v: number): number {
  const f = new Float64Array([v]);
  new BigUint64Array(f.buffer)[0]! += 1n;
  return f[0]!;
}

/** Expands an exponential point into [lower, upper] bucket bounds with counts, to check values against. */
function bucketOf(p: ExponentialHistogramDataPoint, v: number): number {
  const base = 2 ** (2 ** -p.scale);
  const side = v > 0 ? p.positive : p.negative;
  const i = mapToIndex(Math.abs(v), p.scale);
  expect(Math.abs(v)).toBeGreaterThan(base ** i * (1 - 1e-12));
  expect(Math.abs(v)).toBeLessThanOrEqual(base ** (i + 1) * (1 + 1e-12));
  return side.bucketCounts[i - side.offset] ?? 0;
}

describe("explicit bucket histogram", () => {
  it("uses the spec's default boundaries, upper bounds inclusive, with count, sum, min and max", async () => {
    const { provider, meter } = testProvider();
    const h = meter.createHistogram("h");
    const values = [0, 0.5, 5, 5.0001, 10000, 10001, 73, 250, 1e9];
    values.forEach((v) => h.record(v));
    const p = metric(await provider.collect(), "h", "histogram").points[0]!;
    expect(p.explicitBounds).toEqual(DEFAULT_BOUNDS);
    const expected = Array<number>(DEFAULT_BOUNDS.length + 1).fill(0);
    for (const v of values) {
      const i = DEFAULT_BOUNDS.findIndex((b) => v <= b);
      expected[i < 0 ? DEFAULT_BOUNDS.length : i]!++;
    }
    expect(p.bucketCounts).toEqual(expected);
    expect(p).toMatchObject({ count: values.length, sum: values.reduce((a, b) => a + b), min: 0, max: 1e9 });
  });

  it("honours advice boundaries, and ignores invalid ones with a warning", async () => {
    const { provider, meter, warnings } = testProvider();
    meter.createHistogram("a", { advice: { explicitBucketBoundaries: [1, 2, 4] } }).record(3);
    meter.createHistogram("b", { advice: { explicitBucketBoundaries: [2, 1] } }).record(3);
    meter.createHistogram("c", { advice: { explicitBucketBoundaries: [] } }).record(3);
    const metrics = await provider.collect();
    expect(metric(metrics, "a", "histogram").points[0]).toMatchObject({ explicitBounds: [1, 2, 4], bucketCounts: [0, 0, 1, 0] });
    expect(metric(metrics, "b", "histogram").points[0]!.explicitBounds).toEqual(DEFAULT_BOUNDS);
    expect(metric(metrics, "c", "histogram").points[0]).toMatchObject({ explicitBounds: [], bucketCounts: [1] });
    expect(warnings.filter((w) => w.includes("invalid bucket boundaries"))).toHaveLength(1);
  });

  it("leaves out the sum for instruments that take negative values", async () => {
    const { provider, meter } = testProvider({ views: [{ instrumentType: "UP_DOWN_COUNTER", aggregation: "explicit_bucket_histogram" }] });
    meter.createUpDownCounter("u").add(-4);
    const p = metric(await provider.collect(), "u", "histogram").points[0]!;
    expect(p).toMatchObject({ count: 1, sum: undefined, min: -4, max: -4 });
  });

  it("records min and max only when asked", async () => {
    const { provider, meter } = testProvider({ views: [{ instrumentName: "h", aggregation: { type: "explicit_bucket_histogram", recordMinMax: false } }] });
    meter.createHistogram("h").record(4);
    expect(metric(await provider.collect(), "h", "histogram").points[0]).toMatchObject({ count: 1, sum: 4, min: undefined, max: undefined });
  });
});

describe("sum and last value", () => {
  it("sum every measurement, and keep the last", async () => {
    const { provider, meter } = testProvider({ views: [{ instrumentName: "h", aggregation: "sum" }, { instrumentName: "c", aggregation: "last_value" }] });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }), (values) => {
        const name = `run${Math.random().toString(36).slice(2)}`;
        const c = meter.createCounter(name);
        const g = meter.createGauge(name + "g");
        values.forEach((v) => (c.add(v), g.record(v)));
        return provider.collect().then((metrics) => {
          expect(metric(metrics, name, "sum").points[0]!.value).toBe(values.reduce((a, b) => a + b, 0));
          expect(metric(metrics, name + "g", "gauge").points[0]!.value).toBe(values.at(-1));
        });
      }),
      { numRuns: 30 },
    );
    meter.createHistogram("h").record(2);
    meter.createHistogram("h").record(3);
    meter.createCounter("c").add(2);
    meter.createCounter("c").add(1);
    const metrics = await provider.collect();
    expect(metric(metrics, "h", "sum")).toMatchObject({ monotonic: true, points: [{ value: 5 }] });
    expect(metric(metrics, "c", "gauge").points[0]!.value).toBe(1);
  });
});

describe("base-2 exponential histogram", () => {
  it("maps values as the straightforward log2 formula does", () => {
    const value = fc.oneof(fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true }), fc.double({ min: 1e-3, max: 1e6, noNaN: true }));
    fc.assert(
      fc.property(value, fc.integer({ min: -10, max: 20 }), (v, scale) => {
        const i = mapToIndex(v, scale);
        if (i !== referenceIndex(v, scale)) expect(nearBoundary(v, scale)).toBe(true);
        expect(Number.isInteger(i)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it("puts exact powers of two at the top of the bucket below, at every scale, subnormals included", () => {
    for (let e = -1074; e <= 1023; e++) {
      const v = 2 ** e;
      for (let scale = -10; scale <= 20; scale++) {
        // 2^e = base^(e * 2^scale): the upper bound of bucket e * 2^scale - 1.
        expect(mapToIndex(v, scale)).toBe(scale >= 0 ? e * 2 ** scale - 1 : Math.floor((e - 1) / 2 ** -scale));
        // Just above a normal power of two (a relative step of 2^-52): the next bucket.
        if (e >= -1022 && e < 1023) expect(mapToIndex(nextUp(v), scale)).toBe(scale >= 0 ? e * 2 ** scale : Math.floor(e / 2 ** -scale));
      }
    }
  });

  it("is monotonic in the value", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true }), { minLength: 2, maxLength: 50 }), fc.integer({ min: -10, max: 20 }), (vs, scale) => {
        vs.sort((a, b) => a - b);
        for (let k = 1; k < vs.length; k++) expect(mapToIndex(vs[k]!, scale)).toBeGreaterThanOrEqual(mapToIndex(vs[k - 1]!, scale));
      }),
    );
  });

  it("stays at the maximum scale while the values fit, and downscales just enough otherwise", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), fc.double({ min: -1e9, max: -1e-6, noNaN: true }), fc.constant(0)), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 2, max: 200 }),
        (values, maxSize) => {
          const h: ExpState = newExp(20);
          values.forEach((v) => expRecord(h, v, maxSize));
          const count = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
          expect(count(h.p.c) + count(h.n.c) + h.z).toBe(values.length);
          expect(h.z).toBe(values.filter((v) => v === 0).length);
          // Each side fits, and would not fit at the next scale up (unless at the maximum).
          const span = (vs: number[], s: number) => (vs.length ? Math.max(...vs.map((v) => mapToIndex(v, s))) - Math.min(...vs.map((v) => mapToIndex(v, s))) + 1 : 0);
          const pos = values.filter((v) => v > 0);
          const neg = values.filter((v) => v < 0).map((v) => -v);
          expect(Math.max(span(pos, h.scale), span(neg, h.scale))).toBeLessThanOrEqual(maxSize);
          if (h.scale < 20) expect(Math.max(span(pos, h.scale + 1), span(neg, h.scale + 1))).toBeGreaterThan(maxSize);
          // Every value is counted in its own bucket at the final scale.
          for (const [side, vs] of [[h.p, pos], [h.n, neg]] as const) {
            const expected = new Map<number, number>();
            for (const v of vs) expected.set(mapToIndex(v, h.scale), (expected.get(mapToIndex(v, h.scale)) ?? 0) + 1);
            side.c.forEach((n, j) => expect(n).toBe(expected.get(side.o + j) ?? 0));
            expect(count(side.c)).toBe(vs.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("is chosen by view or by default, with zero count, negative buckets, sum, min and max", async () => {
    const { provider, meter } = testProvider({ defaultHistogram: "base2_exponential_bucket_histogram" });
    const h = meter.createHistogram("h", { advice: { explicitBucketBoundaries: [1, 2] } });
    const values = [0, 1, 2, 3, 1024, 0.001];
    values.forEach((v) => h.record(v));
    const p = metric(await provider.collect(), "h", "exponentialHistogram").points[0]!;
    expect(p).toMatchObject({ count: 6, zeroCount: 1, sum: values.reduce((a, b) => a + b), min: 0, max: 1024 });
    expect(p.scale).toBeLessThan(20);
    for (const v of values.filter((v) => v)) expect(bucketOf(p, v)).toBeGreaterThan(0);
    expect(p.positive.bucketCounts.reduce((a, b) => a + b)).toBe(5);
    expect(p.positive.bucketCounts.length).toBeLessThanOrEqual(160);

    const { provider: p2, meter: m2 } = testProvider({ views: [{ instrumentName: "g", aggregation: { type: "base2_exponential_bucket_histogram", maxSize: 4, maxScale: 3 } }] });
    const g = m2.createGauge("g");
    [-8, -1, 0.5, 3].forEach((v) => g.record(v));
    g.record(Infinity); // fits no bucket: left out
    const q = metric(await p2.collect(), "g", "exponentialHistogram").points[0]!;
    expect(q).toMatchObject({ count: 4, sum: undefined, min: -8, max: 3 });
    expect(q.scale).toBeLessThanOrEqual(3);
    expect(q.negative.bucketCounts.reduce((a, b) => a + b)).toBe(2);
    for (const v of [-8, -1, 0.5, 3]) expect(bucketOf(q, v)).toBeGreaterThan(0);
  });

  it("uses the maximum scale for a single value", async () => {
    const { provider, meter } = testProvider({ defaultHistogram: "base2_exponential_bucket_histogram" });
    meter.createHistogram("h").record(7);
    const p = metric(await provider.collect(), "h", "exponentialHistogram").points[0]!;
    expect(p).toMatchObject({ scale: 20, positive: { offset: mapToIndex(7, 20), bucketCounts: [1] }, negative: { offset: 0, bucketCounts: [] } });
  });
});
