import type { TimeInput } from "./types.ts";

// Epoch milliseconds with a sub-millisecond fraction. performance.timeOrigin is 0 in workerd and
// performance.now() there tracks Date.now(), so the clock anchors the monotonic counter to Date.now()
// once, lazily, instead of trusting timeOrigin: correct in both worlds, and no work at import.
let anchorDate = 0;
let anchorPerf = 0;
// Kept after the first call: a global lookup on every span and log record is measurable.
let perf: { now(): number } | undefined;

/** The current time as epoch milliseconds with a sub-millisecond fraction. */
export function now(): number {
  if (anchorDate === 0) {
    perf = globalThis.performance;
    if (perf === undefined) return Date.now();
    anchorDate = Date.now();
    anchorPerf = perf.now();
  }
  return perf ? anchorDate + (perf.now() - anchorPerf) : Date.now();
}

/**
 * A user-supplied time as epoch milliseconds. Numbers below 1e11 (about 1973) are taken as
 * `performance.now()` values, as `@opentelemetry/api` does, and rebased onto the epoch.
 */
export function toEpochMs(time: TimeInput | undefined): number {
  // null (from plain JS callers) means "now" too, rather than a throw into their code.
  if (time == null) return now();
  if (typeof time === "number") {
    if (!Number.isFinite(time) || time < 0) return now();
    if (time < 1e11) {
      const current = now();
      return current - (globalThis.performance?.now() ?? 0) + time;
    }
    return time;
  }
  if (time instanceof Date) return time.getTime();
  return time[0] * 1e3 + time[1] / 1e6;
}
