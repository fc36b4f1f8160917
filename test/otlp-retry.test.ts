import { describe, expect, it } from "vitest";
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  parseHttpDate,
  parseRetryAfter,
  type RetryPolicy,
} from "../src/otlp/retry.ts";

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number): string => String(n).padStart(2, "0");
const hms = (d: Date): string => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
/** The obsolete RFC 850 form, e.g. "Sunday, 06-Nov-94 08:49:37 GMT". */
const rfc850 = (d: Date): string =>
  `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${pad(d.getUTCFullYear() % 100)} ${hms(d)} GMT`;
/** The asctime form, e.g. "Sun Nov  6 08:49:37 1994". */
const asctime = (d: Date): string =>
  `${DAYS[d.getUTCDay()]!.slice(0, 3)} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${hms(d)} ${d.getUTCFullYear()}`;

describe("parseRetryAfter", () => {
  const now = Date.UTC(2025, 2, 4, 10, 20, 30);

  it("reads delay-seconds", () => {
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter("1", now)).toBe(1000);
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 7 ", now)).toBe(7000);
  });

  it("reads an IMF-fixdate as the time until it", () => {
    const at = new Date(now + 42_000);
    expect(parseRetryAfter(at.toUTCString(), now)).toBe(42_000);
  });

  it("reads the obsolete RFC 850 and asctime forms", () => {
    const at = new Date(now + 5 * 86_400_000 + 3_000); // a single-digit day for asctime's padding
    expect(at.getUTCDate()).toBeLessThan(10);
    expect(parseRetryAfter(rfc850(at), now)).toBe(at.getTime() - now);
    expect(parseRetryAfter(asctime(at), now)).toBe(at.getTime() - now);
  });

  it("gives 0 for a date in the past", () => {
    expect(parseRetryAfter(new Date(now - 10_000).toUTCString(), now)).toBe(0);
  });

  it("rejects garbage and absence", () => {
    for (const v of [null, undefined, "", "soon", "-1", "1.5", "1e3", "0x10", "5 seconds", "Wed, 32 Oct 2025 10:00:00 GMT",
      "Wed, 01 Foo 2025 10:00:00 GMT", "Wed, 01 Oct 2025 25:00:00 GMT", "2025-10-01T10:00:00Z", "Wed, 01 Oct 2025 10:00:00 PST"]) {
      expect(parseRetryAfter(v, now), String(v)).toBeUndefined();
    }
  });
});

describe("parseHttpDate", () => {
  it("agrees with Date on toUTCString output across a range of dates", () => {
    for (let t = Date.UTC(1995, 0, 1); t < Date.UTC(2060, 0, 1); t += 86_400_000 * 97 + 3_601_000) {
      const d = new Date(t);
      expect(parseHttpDate(d.toUTCString(), t)).toBe(t);
      expect(parseHttpDate(asctime(d), t)).toBe(t);
    }
  });

  it("puts two-digit years within 50 years of now", () => {
    const now = Date.UTC(2025, 0, 1);
    expect(new Date(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT", now)!).getUTCFullYear()).toBe(1994);
    expect(new Date(parseHttpDate("Monday, 06-Nov-34 08:49:37 GMT", now)!).getUTCFullYear()).toBe(2034);
  });
});

describe("isRetryableStatus", () => {
  it("retries exactly 429, 502, 503 and 504", () => {
    const retryable: number[] = [];
    for (let s = 100; s < 600; s++) if (isRetryableStatus(s)) retryable.push(s);
    expect(retryable).toEqual([429, 502, 503, 504]);
  });
});

describe("backoffDelay", () => {
  const policy: RetryPolicy = { initialMs: 100, maxMs: 1000, multiplier: 2, maxAttempts: 10, jitter: 0.2 };

  it("grows by the multiplier and stops at the cap", () => {
    const mid = (attempt: number): number => backoffDelay(attempt, policy, () => 0.5);
    for (let a = 1; a <= 8; a++) {
      expect(mid(a)).toBe(Math.min(policy.maxMs, policy.initialMs * policy.multiplier ** (a - 1)));
    }
  });

  it("varies by the jitter fraction either way", () => {
    for (let a = 1; a <= 6; a++) {
      const base = backoffDelay(a, policy, () => 0.5);
      expect(backoffDelay(a, policy, () => 0)).toBe(Math.round(base * 0.8));
      expect(backoffDelay(a, policy, () => 0.999999)).toBe(Math.round(base * (0.8 + 0.4 * 0.999999)));
    }
  });

  it("uses Math.random by default, staying inside the jitter bounds", () => {
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(1, policy);
      expect(d).toBeGreaterThanOrEqual(80);
      expect(d).toBeLessThanOrEqual(120);
    }
  });

  it("defaults wait less in all than the default 10 s export timeout", () => {
    let total = 0;
    for (let a = 1; a < DEFAULT_RETRY_POLICY.maxAttempts; a++) total += backoffDelay(a, DEFAULT_RETRY_POLICY, () => 0.999999);
    expect(total).toBeLessThan(10_000);
  });
});
