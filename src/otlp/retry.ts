/**
 * When and how long to wait before another OTLP/HTTP attempt.
 * https://opentelemetry.io/docs/specs/otlp/#retryable-response-codes
 */

/** How attempts are spaced: the n-th wait is `initialMs × multiplier^(n-1)`, capped at `maxMs`, ±`jitter`. */
export interface RetryPolicy {
  /** The first wait, in ms. */
  initialMs: number;
  /** No computed wait is longer than this (a server's Retry-After may be). */
  maxMs: number;
  /** Each wait is this many times the one before. */
  multiplier: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The fraction each wait may vary by, either way (0.2 = ±20%). */
  jitter: number;
}

/**
 * Defaults: 1 s, 1.5 s, 2.25 s, 3.375 s between 5 attempts (each ±20%), about 8 s of waiting in
 * all, which fits the default 10 s export timeout; the cap of 5 s matters for larger attempt counts.
 */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = { initialMs: 1000, maxMs: 5000, multiplier: 1.5, maxAttempts: 5, jitter: 0.2 };

/** The wait before attempt `attempt + 1`, after `attempt` (1-based) failed. */
export const backoffDelay = (attempt: number, p: RetryPolicy): number =>
  // Jitter spreads retries of many isolates that failed together, so they don't return together.
  Math.min(p.maxMs, p.initialMs * p.multiplier ** (attempt - 1)) * (1 + p.jitter * (2 * Math.random() - 1));

/**
 * The wait a `Retry-After` value asks for, in ms (negative for a past date); NaN when absent or malformed.
 * Takes delay-seconds or an HTTP-date (https://www.rfc-editor.org/rfc/rfc9110#field.retry-after).
 * `Date.parse` must read IMF-fixdate, the form servers send (it is `toUTCString`'s format); V8 also
 * reads the obsolete RFC 850 form, and asctime as local time (UTC on edge runtimes). Being lenient,
 * it also takes a few non-HTTP dates.
 */
export const parseRetryAfter = (value: string | null): number =>
  /^\d+$/.test(value!) ? +value! * 1000 : Date.parse(value!) - Date.now();
