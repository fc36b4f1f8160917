import type { AttributeList } from "../common/types.ts";
import type { Reservoir } from "./exemplar-reservoir.ts";
import { expRecord, newExp, type Buckets, type ExpState } from "./exponential-histogram.ts";
import type { DataPointBase, ExponentialHistogramDataPoint, HistogramDataPoint, MetricData, NumberDataPoint } from "./metric-data.ts";

/**
 * One attribute set of a stream. Every aggregation uses these fields, so all series have one shape and the
 * recording path stays monomorphic.
 */
export interface Series {
  /** The attributes, sorted by key. */
  readonly a: AttributeList;
  /** The canonical key of `a`. */
  readonly k: string;
  /** When the series started: its first measurement (or, async, the collection before it). */
  readonly t: number;
  /** Measurements since the last collection. */
  n: number;
  /** The sum or last value; for histograms, the sum. */
  v: number;
  /** Async sums under delta: the cumulative value reported last. */
  p: number;
  /** Histograms: count, min, max. */
  c: number;
  lo: number;
  hi: number;
  /** Explicit bucket counts. */
  b: number[];
  e: ExpState | undefined;
  r: Reservoir | undefined;
}

const NONE: number[] = [];

/** A series of `a` (canonical key `k`) started at `t`, still to be reset by its aggregator. */
export const newSeries = (a: AttributeList, k: string, t: number): Series => ({
  a,
  k,
  t,
  n: 0,
  v: 0,
  p: 0,
  c: 0,
  lo: Infinity,
  hi: -Infinity,
  b: NONE,
  e: undefined,
  r: undefined,
});

/**
 * An aggregation: what a stream does with each measurement and how it reports a series.
 * https://opentelemetry.io/docs/specs/otel/metrics/sdk/#aggregation
 */
export interface Aggregator {
  readonly kind: MetricData["kind"];
  /** Exemplar slots when `rec` gives no bucket. */
  readonly size: number;
  /** Adds `v` to `s`; returns the histogram bucket it fell in (for exemplars), else -1. */
  rec(s: Series, v: number): number;
  /** Empties `s` for a new interval. */
  reset(s: Series): void;
  /** The data point of `s`. */
  point(s: Series, base: DataPointBase): NumberDataPoint | HistogramDataPoint | ExponentialHistogramDataPoint;
}

/**
 * Sum ("sum") or last value ("gauge"). `diff`: the values are cumulative (async) but reported as deltas, so
 * each point is the change since the one before.
 */
export function numberAggregator(kind: "sum" | "gauge", isInt: boolean, diff: boolean): Aggregator {
  return {
    kind,
    size: 1,
    rec: kind == "sum" ? (s, v) => ((s.v += v), -1) : (s, v) => ((s.v = v), -1),
    reset: (s) => void (s.v = 0),
    point(s, base) {
      const value = diff ? s.v - s.p : s.v;
      s.p = s.v;
      return { ...base, value, isInt };
    },
  };
}

// Count, sum, min and max, which both histograms keep.
function stats(s: Series, v: number): void {
  s.c++;
  s.v += v;
  if (v < s.lo) s.lo = v;
  if (v > s.hi) s.hi = v;
}

function clear(s: Series): void {
  s.c = s.v = 0;
  s.lo = Infinity;
  s.hi = -Infinity;
}

// The sum is left out for instruments that take negative values, as the spec asks; min and max on request.
function histogramFields(s: Series, base: DataPointBase, withSum: boolean, minMax: boolean) {
  const has = minMax && s.c > 0;
  return { ...base, count: s.c, sum: withSum ? s.v : undefined, min: has ? s.lo : undefined, max: has ? s.hi : undefined };
}

/**
 * Explicit-bucket histogram over increasing `bounds`: bucket i holds (bounds[i-1], bounds[i]].
 * https://opentelemetry.io/docs/specs/otel/metrics/sdk/#explicit-bucket-histogram-aggregation
 */
export function histogramAggregator(bounds: readonly number[], withSum: boolean, minMax: boolean): Aggregator {
  return {
    kind: "histogram",
    size: 1,
    rec(s, v) {
      let i = 0;
      while (i < bounds.length && v > bounds[i]!) i++;
      s.b[i]!++;
      stats(s, v);
      return i;
    },
    reset(s) {
      s.b = s.b.length ? s.b.fill(0) : Array<number>(bounds.length + 1).fill(0);
      clear(s);
    },
    point: (s, base) => ({ ...histogramFields(s, base, withSum, minMax), explicitBounds: bounds, bucketCounts: s.b.slice() }),
  };
}

const side = (b: Buckets) => ({ offset: b.c.length ? b.o : 0, bucketCounts: b.c.slice() });

/**
 * Base-2 exponential histogram of at most `maxSize` buckets a side, from scale `maxScale` down. Infinities
 * fit no bucket and are left out entirely, as the spec advises.
 */
export function expAggregator(maxSize: number, maxScale: number, withSum: boolean, minMax: boolean): Aggregator {
  return {
    kind: "exponentialHistogram",
    // The spec's default reservoir: min(20, max buckets).
    size: Math.min(20, maxSize),
    rec(s, v) {
      if (v - v == 0) {
        expRecord(s.e!, v, maxSize);
        stats(s, v);
      }
      return -1;
    },
    reset(s) {
      s.e = newExp(maxScale);
      clear(s);
    },
    point(s, base) {
      const e = s.e!;
      return { ...histogramFields(s, base, withSum, minMax), scale: e.scale, zeroCount: e.z, positive: side(e.p), negative: side(e.n) };
    },
  };
}
