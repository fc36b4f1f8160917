import { afterEach, describe, expect, it, vi } from "vitest";
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy } from "../src/otlp/retry.ts";

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number): string => String(n).padStart(2, "0");
const hms = (d: Date): string => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
/** The obsolete RFC 850 form, e.g. "Sunday, 06-Nov-94 08:49:37 GMT". */
const rfc850 = (d: Date): string =>
  `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${pad(d.getUTCFullYear() % 100)} ${hms(d)} GMT`;

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("parseRetryAfter", () => {
  const now = Date.UTC(2025, 2, 4, 10, 20, 30);
  const at = (t: number): void => void vi.useFakeTimers({ now: t, toFake: ["Date"] });

  it("reads delay-seconds", () => {
    at(now);
    expect(parseRetryAfter("0")).toBe(0);
    expect(parseRetryAfter("1")).toBe(1000);
    expect(parseRetryAfter("120")).toBe(120_000);
  });

  it("reads an IMF-fixdate as the time until it", () => {
    at(now);
    expect(parseRetryAfter(new Date(now + 42_000).toUTCString())).toBe(42_000);
  });

  it("reads IMF-fixdates across a range of dates", () => {
    for (let t = Date.UTC(1995, 0, 1); t < Date.UTC(2060, 0, 1); t += 86_400_000 * 97 + 3_601_000) {
      at(t - 5000);
      expect(parseRetryAfter(new Date(t).toUTCString())).toBe(5000);
    }
  });

  // V8's Date.parse (workerd, Node, Deno) also takes the obsolete RFC 850 form; asctime it reads as
  // local time, right only where that is UTC, as on edge runtimes and Lambda.
  it("reads the obsolete RFC 850 form", () => {
    at(now);
    const then = new Date(now + 5 * 86_400_000 + 3_000);
    expect(parseRetryAfter(rfc850(then))).toBe(then.getTime() - now);
  });

  it("is negative for a date in the past, so the caller backs off as usual", () => {
    at(now);
    expect(parseRetryAfter(new Date(now - 10_000).toUTCString())).toBe(-10_000);
  });

  it("gives no usable wait for garbage and absence", () => {
    at(now);
    for (const v of [null, "", "soon", "-1", "1.5", "1e3", "0x10", "5 seconds", "Wed, 32 Oct 2025 10:00:00 GMT",
      "Wed, 01 Foo 2025 10:00:00 GMT", "Wed, 01 Oct 2025 25:00:00 GMT"]) {
      expect(parseRetryAfter(v) >= 0, String(v)).toBe(false);
    }
  });
});

describe("backoffDelay", () => {
  const policy: RetryPolicy = { initialMs: 100, maxMs: 1000, multiplier: 2, maxAttempts: 10, jitter: 0.2 };
  const withRandom = (r: number): void => void vi.spyOn(Math, "random").mockReturnValue(r);

  it("grows by the multiplier and stops at the cap", () => {
    withRandom(0.5);
    for (let a = 1; a <= 8; a++) {
      expect(backoffDelay(a, policy)).toBeCloseTo(Math.min(policy.maxMs, policy.initialMs * policy.multiplier ** (a - 1)));
    }
  });

  it("varies by the jitter fraction either way", () => {
    for (let a = 1; a <= 6; a++) {
      withRandom(0.5);
      const base = backoffDelay(a, policy);
      withRandom(0);
      expect(backoffDelay(a, policy)).toBeCloseTo(base * 0.8);
      withRandom(0.999999);
      expect(backoffDelay(a, policy)).toBeCloseTo(base * (0.8 + 0.4 * 0.999999));
    }
  });

  it("stays inside the jitter bounds with Math.random", () => {
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(1, policy);
      expect(d).toBeGreaterThanOrEqual(80);
      expect(d).toBeLessThanOrEqual(120);
    }
  });

  it("defaults wait less in all than the default 10 s export timeout", () => {
    withRandom(0.999999);
    let total = 0;
    for (let a = 1; a < DEFAULT_RETRY_POLICY.maxAttempts; a++) total += backoffDelay(a, DEFAULT_RETRY_POLICY);
    expect(total).toBeLessThan(10_000);
  });
});
