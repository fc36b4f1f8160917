import { describe, expect, it, vi } from "vitest";
import { randomSpanId, randomTraceId } from "../src/common/ids.ts";
import { isValidSpanId, isValidTraceId } from "../src/trace/span-context.ts";

describe("ids", () => {
  it("are valid lowercase hex of the right length and distinct", () => {
    const traces = new Set<string>();
    const spans = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const t = randomTraceId();
      const s = randomSpanId();
      expect(isValidTraceId(t)).toBe(true);
      expect(isValidSpanId(s)).toBe(true);
      traces.add(t);
      spans.add(s);
    }
    expect(traces.size).toBe(5000);
    expect(spans.size).toBe(5000);
  });

  it("come from crypto.getRandomValues, never Math.random", () => {
    const random = vi.spyOn(Math, "random");
    const crypto = vi.spyOn(globalThis.crypto, "getRandomValues");
    for (let i = 0; i < 200; i++) randomTraceId();
    expect(random).not.toHaveBeenCalled();
    expect(crypto).toHaveBeenCalled();
    random.mockRestore();
    crypto.mockRestore();
  });
});

describe("clock", () => {
  it("gives epoch milliseconds even where performance.timeOrigin is 0 (workerd)", async () => {
    vi.resetModules();
    const realPerf = globalThis.performance;
    // workerd: timeOrigin 0 and performance.now() tracks Date.now().
    vi.stubGlobal("performance", { timeOrigin: 0, now: () => Date.now() });
    try {
      const { now } = await import("../src/common/clock.ts");
      const t = now();
      expect(Math.abs(t - Date.now())).toBeLessThan(50);
    } finally {
      vi.stubGlobal("performance", realPerf);
      vi.unstubAllGlobals();
    }
  });

  it("has sub-millisecond resolution and never runs backwards", async () => {
    vi.resetModules();
    const { now } = await import("../src/common/clock.ts");
    let prev = now();
    let fractional = false;
    for (let i = 0; i < 1000; i++) {
      const t = now();
      expect(t).toBeGreaterThanOrEqual(prev);
      if (t % 1 !== 0) fractional = true;
      prev = t;
    }
    expect(fractional).toBe(true);
    expect(Math.abs(now() - Date.now())).toBeLessThan(50);
  });
});
