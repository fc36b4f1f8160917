import type { Exemplar } from "./metric-data.ts";

/**
 * The exemplars one series kept since the last collection, and how many measurements each slot was offered.
 * https://opentelemetry.io/docs/specs/otel/metrics/sdk/#exemplarreservoir
 */
export interface Reservoir {
  n: number;
  seen: number[];
  ex: Exemplar[];
}

/** An empty reservoir. */
export const newReservoir = (): Reservoir => ({ n: 0, seen: [], ex: [] });

/**
 * The slot an offered measurement takes, or -1 to drop it: uniform reservoir sampling over what was offered,
 * into histogram bucket `bucket`'s own slot when it is >= 0 (AlignedHistogramBucketExemplarReservoir), else
 * into one of `size` slots (SimpleFixedSizeExemplarReservoir).
 */
export function slot(r: Reservoir, bucket: number, size: number): number {
  if (bucket >= 0) {
    const n = (r.seen[bucket] = (r.seen[bucket] ?? 0) + 1);
    return n == 1 || Math.random() * n < 1 ? bucket : -1;
  }
  const n = ++r.n;
  const i = n <= size ? n - 1 : Math.floor(Math.random() * n);
  return i < size ? i : -1;
}
