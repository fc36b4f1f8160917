/**
 * Our times are epoch milliseconds as floats; OTLP wants uint64 nanoseconds. One rule for every form, so
 * protobuf, JSON and tests agree exactly: the integer milliseconds are kept exactly, the sub-millisecond
 * fraction is rounded to whole nanoseconds. Negative, non-finite or too-large values (≥ 2^64 ns, past the
 * year 2554) become 0: "unknown" in OTLP.
 * https://github.com/open-telemetry/opentelemetry-proto/blob/v1.9.0/opentelemetry/proto/trace/v1/trace.proto
 */

/** The low and high 32 bits of a uint64, as unsigned numbers. */
export interface Uint64Parts {
  lo: number;
  hi: number;
}

/** Writes epoch `ms` as uint64 nanoseconds into `out` (lo/hi 32-bit halves), without BigInt or allocation. */
export function msToNanosParts(ms: number, out: Uint64Parts): void {
  // floor(2^64 / 1e6): from this millisecond on, the nanoseconds could overflow uint64.
  if (!(ms >= 0 && ms < 18446744073709)) ms = 0;
  const whole = Math.floor(ms);
  // whole * 1e6 can pass 2^53, so each 32-bit half of `whole` is scaled apart and every product and sum
  // stays exact; ms - whole is exact too, so only the scaling of the fraction rounds, to the nearest ns.
  // Multiplying by 2^-32 is an exact, cheaper division.
  const hi = Math.floor(whole * 2 ** -32);
  const low = (whole - hi * 2 ** 32) * 1e6 + Math.round((ms - whole) * 1e6);
  const carry = Math.floor(low * 2 ** -32);
  out.lo = low - carry * 2 ** 32;
  out.hi = hi * 1e6 + carry;
}

const parts: Uint64Parts = { lo: 0, hi: 0 };

/** Epoch `ms` as uint64 nanoseconds in a bigint; `0n` when out of range. */
export function msToNanosBigInt(ms: number): bigint {
  msToNanosParts(ms, parts);
  return (BigInt(parts.hi) << 32n) + BigInt(parts.lo);
}
