/**
 * Our times are epoch milliseconds as floats; OTLP wants uint64 nanoseconds. One rule for every form, so
 * protobuf, JSON and tests agree exactly: the integer milliseconds are kept exactly, the sub-millisecond
 * fraction is rounded to whole nanoseconds. Negative, non-finite or too-large values (≥ 2^64 ns, past the
 * year 2554) become 0: "unknown" in OTLP.
 * https://github.com/open-telemetry/opentelemetry-proto/blob/v1.9.0/opentelemetry/proto/trace/v1/trace.proto
 */

/**
 * Writes epoch `ms` as uint64 nanoseconds into `out` as [low, high] 32-bit halves, without BigInt or
 * allocation (a typed array holds them unboxed, where object fields would box each double).
 */
export function msToNanosParts(ms: number, out: Uint32Array): void {
  // floor(2^64 / 1e6): from this millisecond on, the nanoseconds could overflow uint64.
  if (!(ms >= 0 && ms < 18446744073709)) ms = 0;
  const whole = Math.floor(ms);
  // whole * 1e6 can pass 2^53, so each 32-bit half of `whole` is scaled apart and every product and sum
  // stays exact; ms - whole is exact too, so only the scaling of the fraction rounds, to the nearest ns.
  // Multiplying by 2^-32 is an exact, cheaper division.
  const hi = Math.floor(whole * 2 ** -32);
  const low = (whole - hi * 2 ** 32) * 1e6 + Math.round((ms - whole) * 1e6);
  const carry = Math.floor(low * 2 ** -32);
  out[0] = low - carry * 2 ** 32;
  out[1] = hi * 1e6 + carry;
}

/** Epoch `ms` as uint64 nanoseconds in a bigint; `0n` when out of range. */
export function msToNanosBigInt(ms: number): bigint {
  const parts = new Uint32Array(2);
  msToNanosParts(ms, parts);
  return (BigInt(parts[1]) << 32n) + BigInt(parts[0]);
}

/**
 * Epoch `ms` as uint64 nanoseconds in base 10^9, `[seconds, nanoseconds within the second]`: the value
 * msToNanosParts gives, as two small integers that print without BigInt; [0, 0] when out of range.
 */
export function msToSecondsNanos(ms: number): number[] {
  if (!(ms >= 0 && ms < 18446744073709)) return [0, 0];
  const whole = Math.floor(ms);
  const s = Math.floor(whole / 1e3);
  const ns = (whole - s * 1e3) * 1e6 + Math.round((ms - whole) * 1e6);
  // A fraction within half a nanosecond of the next second rounds up into it.
  return ns > 999999999 ? [s + 1, 0] : [s, ns];
}
