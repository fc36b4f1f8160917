/*
 * The buckets of a base-2 exponential histogram. At scale s the base is 2^(2^-s) and bucket i holds
 * (base^i, base^(i+1)]; the scale starts at its maximum and drops just enough to keep each side of zero
 * within the maximum number of buckets.
 * https://opentelemetry.io/docs/specs/otel/metrics/data-model/#exponentialhistogram
 * https://opentelemetry.io/docs/specs/otel/metrics/sdk/#base2-exponential-bucket-histogram-aggregation
 */

/** The counts on one side of zero: `c[j]` is bucket `o + j`. */
export interface Buckets {
  o: number;
  c: number[];
}

/** The scale, zero count and both sides of one exponential histogram. */
export interface ExpState {
  scale: number;
  z: number;
  p: Buckets;
  n: Buckets;
}

/** An empty histogram at `scale`. */
export const newExp = (scale: number): ExpState => ({ scale, z: 0, p: { o: 0, c: [] }, n: { o: 0, c: [] } });

// A double's bits, through one scratch slot made on first use; `H` indexes its high word (1 on little-endian).
let F: Float64Array | undefined;
let U: Uint32Array;
let H: number;

/** The index of the bucket holding `v` (positive, finite; subnormals too) at `scale` (-10 to 20). */
export function mapToIndex(v: number, scale: number): number {
  if (!F) {
    U = new Uint32Array((F = new Float64Array([1])).buffer);
    H = U[1] ? 1 : 0;
  }
  F[0] = v;
  // The exponent read from the bits is exact, where log2 may round across an integer.
  let e = (U[H]! >>> 20) - 1023;
  if (e == -1023) {
    // Subnormal: scaled into the normal range, exactly.
    F[0] = v * 2 ** 64;
    e = (U[H]! >>> 20) - 1087;
  }
  // An exact power of two is the upper, inclusive, bound of the bucket below it.
  const exact = !(U[H]! & 0xfffff) && !U[1 - H];
  if (scale <= 0) return (exact ? e - 1 : e) >> -scale;
  if (exact) return (e << scale) - 1;
  // The significand, in (1, 2): the sub-bucket is at most 2^scale - 1 whatever log2 rounds to.
  U[H] = (U[H]! & 0xfffff) | 0x3ff00000;
  return (e << scale) + Math.min(Math.floor(Math.log2(F[0]) * (1 << scale)), (1 << scale) - 1);
}

/** Halves the resolution `d` times: bucket i becomes bucket i >> d, on both sides. */
function downscale(h: ExpState, d: number): void {
  h.scale -= d;
  for (const b of [h.p, h.n]) {
    const o = b.o >> d;
    const c: number[] = [];
    b.c.forEach((x, j) => {
      const k = ((b.o + j) >> d) - o;
      c[k] = (c[k] ?? 0) + x;
    });
    b.o = o;
    b.c = c;
  }
}

/** Counts finite `v` in `h`, which keeps at most `maxSize` buckets a side. */
export function expRecord(h: ExpState, v: number, maxSize: number): void {
  if (v == 0) {
    h.z++;
    return;
  }
  const b = v > 0 ? h.p : h.n;
  let i = mapToIndex(Math.abs(v), h.scale);
  const n = b.c.length;
  if (!n) {
    b.o = i;
    b.c = [1];
    return;
  }
  const lo = Math.min(i, b.o);
  const hi = Math.max(i, b.o + n - 1);
  let d = 0;
  // The spec's minimum scale, -10, maps every double within 4 buckets.
  while (h.scale - d > -10 && (hi >> d) - (lo >> d) >= maxSize) d++;
  if (d) {
    downscale(h, d);
    i >>= d;
  }
  if (i < b.o) {
    b.c = Array<number>(b.o - i).fill(0).concat(b.c);
    b.o = i;
  }
  while (i - b.o >= b.c.length) b.c.push(0);
  b.c[i - b.o]!++;
}
