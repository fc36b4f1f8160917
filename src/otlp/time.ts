/**
 * Our times are epoch milliseconds as floats (`performance.timeOrigin + performance.now()` style); OTLP wants
 * uint64 nanoseconds. One rule for all three forms below, so protobuf, JSON and tests agree exactly:
 * the integer milliseconds are kept exactly, the sub-millisecond fraction is rounded to whole nanoseconds.
 * Negative, non-finite, or too-large values (≥ 2^64 ns, past the year 2554) become 0: "unknown" in OTLP.
 * https://github.com/open-telemetry/opentelemetry-proto/blob/v1.9.0/opentelemetry/proto/trace/v1/trace.proto
 */

/** The low and high 32 bits of a uint64, as unsigned numbers. */
export interface Uint64Parts {
  lo: number;
  hi: number;
}

const TWO_32 = 4294967296;
// floor(2^64 / 1e6): from this millisecond on, the nanoseconds would overflow uint64.
const MAX_MS = 18446744073709;

// The split shared by all forms: whole ms and the rounded sub-ms nanoseconds, or ms = -1 when out of range.
let splitMs = 0;
let splitSub = 0;
function split(ms: number): void {
  if (!(ms >= 0 && ms < MAX_MS)) {
    splitMs = -1;
    return;
  }
  let whole = Math.floor(ms);
  // ms - whole is exact for floats; only the scaling to ns rounds, and then to the nearest ns.
  let sub = Math.round((ms - whole) * 1e6);
  if (sub === 1e6) {
    whole += 1;
    sub = 0;
  }
  if (whole >= MAX_MS) {
    splitMs = -1;
    return;
  }
  splitMs = whole;
  splitSub = sub;
}

/** Writes epoch `ms` as uint64 nanoseconds into `out` (lo/hi 32-bit halves), without BigInt or allocation. */
export function msToNanosParts(ms: number, out: Uint64Parts): void {
  split(ms);
  if (splitMs < 0) {
    out.lo = 0;
    out.hi = 0;
    return;
  }
  // whole * 1e6 can exceed 2^53, so scale each 32-bit half separately: every product stays exact.
  const wLo = splitMs % TWO_32;
  const wHi = (splitMs - wLo) / TWO_32;
  const low = wLo * 1e6 + splitSub; // < 2^32 * 1e6 + 1e6 < 2^53
  const lo = low % TWO_32;
  out.lo = lo;
  out.hi = wHi * 1e6 + (low - lo) / TWO_32; // < 2^32 because whole < MAX_MS
}

/** Epoch `ms` as decimal uint64 nanoseconds, for OTLP/JSON; `"0"` when out of range. */
export function msToNanosString(ms: number): string {
  split(ms);
  if (splitMs < 0) return "0";
  if (splitMs === 0) return String(splitSub);
  // whole ms followed by exactly six digits of ns is the decimal of whole * 1e6 + sub.
  const sub = String(splitSub);
  return String(splitMs) + "000000".slice(sub.length) + sub;
}

/** Epoch `ms` as uint64 nanoseconds in a bigint; `0n` when out of range. */
export function msToNanosBigInt(ms: number): bigint {
  split(ms);
  if (splitMs < 0) return 0n;
  return BigInt(splitMs) * 1000000n + BigInt(splitSub);
}
