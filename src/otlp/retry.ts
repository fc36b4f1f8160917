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
  jitter?: number | undefined;
}

/**
 * Defaults: 1 s, 1.5 s, 2.25 s, 3.375 s between 5 attempts (each ±20%), about 8 s of waiting in
 * all, which fits the default 10 s export timeout; the cap of 5 s matters for larger attempt counts.
 */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = { initialMs: 1000, maxMs: 5000, multiplier: 1.5, maxAttempts: 5, jitter: 0.2 };

/**
 * Statuses worth another try: throttling and gateway/overload errors. Every other status,
 * 400 and 500 included, would fail the same way again.
 * https://opentelemetry.io/docs/specs/otlp/#failures-1
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/** The wait before attempt `attempt + 1`, after `attempt` (1-based) failed; `random` returns [0, 1). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.multiplier ** (attempt - 1));
  // Jitter spreads retries of many isolates that failed together, so they don't return together.
  const jitter = policy.jitter ?? 0.2;
  return Math.max(0, Math.round(base * (1 - jitter + 2 * jitter * random())));
}

const MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";
// The three HTTP-date forms a recipient must accept (https://www.rfc-editor.org/rfc/rfc9110#section-5.6.7):
// IMF-fixdate, the obsolete RFC 850 form (two-digit year) and asctime. Named groups give them one shape.
const HTTP_DATES = [
  /^[A-Z][a-z]{2}, (?<d>\d{2}) (?<mo>[A-Z][a-z]{2}) (?<y>\d{4}) (?<h>\d{2}):(?<mi>\d{2}):(?<s>\d{2}) GMT$/,
  /^[A-Z][a-z]{5,8}, (?<d>\d{2})-(?<mo>[A-Z][a-z]{2})-(?<y>\d{2}) (?<h>\d{2}):(?<mi>\d{2}):(?<s>\d{2}) GMT$/,
  /^[A-Z][a-z]{2} (?<mo>[A-Z][a-z]{2}) (?<d>[ \d]\d) (?<h>\d{2}):(?<mi>\d{2}):(?<s>\d{2}) (?<y>\d{4})$/,
];

/**
 * The wait a `Retry-After` value asks for, in ms (0 for a date in the past), or undefined when
 * absent or malformed. Accepts delay-seconds or an HTTP-date.
 * https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = parseHttpDate(v, nowMs);
  return date === undefined ? undefined : Math.max(0, date - nowMs);
}

/**
 * An HTTP-date as epoch ms, or undefined. Parsed by hand: `Date.parse` accepts far more than
 * HTTP-dates, and engines differ on the obsolete forms.
 */
export function parseHttpDate(value: string, nowMs: number = Date.now()): number | undefined {
  let g: Record<string, string> | undefined;
  for (const re of HTTP_DATES) if ((g = re.exec(value)?.groups)) break;
  if (!g) return undefined;
  const month = MONTHS.indexOf(g.mo!);
  const [d, h, mi, s] = [g.d, g.h, g.mi, g.s].map(Number) as [number, number, number, number];
  if (month < 0 || month % 3 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  let year = Number(g.y);
  if (g.y!.length === 2) {
    // A two-digit year more than 50 years ahead means the previous century (RFC 9110 §5.6.7).
    year += 2000;
    if (year > new Date(nowMs).getUTCFullYear() + 50) year -= 100;
  }
  return Date.UTC(year, month / 3, d, h, mi, s);
}
