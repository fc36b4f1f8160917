import { describe, expect, it } from "vitest";
import { attributesToObject } from "../src/common/attributes.ts";
import { ExplicitContextManager } from "../src/context/context-manager.ts";
import { createMeterProvider } from "../src/metrics/meter-provider.ts";
import { ValueType } from "../src/metrics/meter-api.ts";
import { byAttributes, metric, testProvider } from "./helpers/metrics.ts";

describe("instruments", () => {
  it("aggregate each of the seven kinds per attribute set, whatever the attributes' order", async () => {
    const { provider, meter } = testProvider();
    const counter = meter.createCounter("requests", { unit: "{request}", description: "Requests" });
    const upDown = meter.createUpDownCounter("in_flight");
    const histogram = meter.createHistogram("latency", { unit: "ms" });
    const gauge = meter.createGauge("temperature");
    meter.createObservableCounter("cpu.time").addCallback((r) => r.observe(12.5, { cpu: 0 }));
    meter.createObservableUpDownCounter("queue.size").addCallback((r) => r.observe(-3));
    meter.createObservableGauge("memory").addCallback((r) => {
      r.observe(100, { kind: "heap" });
      r.observe(7, { kind: "stack" });
    });
    const adds = [1, 2, 3.5];
    for (const v of adds) counter.add(v, { route: "/a", method: "GET" });
    counter.add(10, { method: "GET", route: "/a" }); // same set, other order
    counter.add(4, { route: "/b", method: "GET", skipped: undefined });
    upDown.add(5);
    upDown.add(-7);
    for (const v of [3, 30, 300]) histogram.record(v);
    gauge.record(20, { room: "a" });
    gauge.record(21.5, { room: "a" });

    const metrics = await provider.collect();
    expect(metrics.map((m) => m.name)).toEqual(["requests", "in_flight", "latency", "temperature", "cpu.time", "queue.size", "memory"]);
    const requests = metric(metrics, "requests", "sum");
    expect(requests).toMatchObject({ description: "Requests", unit: "{request}", monotonic: true, temporality: 2, scope: { name: "test" } });
    expect(byAttributes(requests.points, (p) => p.value)).toEqual({
      [JSON.stringify({ method: "GET", route: "/a" })]: adds.reduce((a, b) => a + b) + 10,
      [JSON.stringify({ method: "GET", route: "/b" })]: 4,
    });
    expect(metric(metrics, "in_flight", "sum")).toMatchObject({ monotonic: false, points: [{ value: -2, attributes: [] }] });
    expect(metric(metrics, "latency", "histogram").points[0]).toMatchObject({ count: 3, sum: 333, min: 3, max: 300 });
    expect(metric(metrics, "temperature", "gauge").points).toMatchObject([{ value: 21.5, attributes: ["room", "a"] }]);
    expect(metric(metrics, "cpu.time", "sum")).toMatchObject({ monotonic: true, points: [{ value: 12.5, attributes: ["cpu", 0] }] });
    expect(metric(metrics, "queue.size", "sum")).toMatchObject({ monotonic: false, points: [{ value: -3 }] });
    expect(byAttributes(metric(metrics, "memory", "gauge").points, (p) => p.value)).toEqual({ '{"kind":"heap"}': 100, '{"kind":"stack"}': 7 });
  });

  it("stores attributes sorted by key, with invalid values dropped and a warning", async () => {
    const { provider, meter, warnings } = testProvider();
    const c = meter.createCounter("c");
    c.add(1, { z: 1, a: [1, 2], m: { nested: true } as never, "": "empty key", b: 2n });
    const [point] = metric(await provider.collect(), "c", "sum").points;
    expect(point!.attributes).toEqual(["a", [1, 2], "b", 2n, "z", 1]);
    expect(warnings.some((w) => w.includes('"m"'))).toBe(true);
    expect(warnings.some((w) => w.includes('""'))).toBe(true);
  });

  it("keeps attribute values of different types apart", async () => {
    const { provider, meter } = testProvider();
    const c = meter.createCounter("c");
    const values = [1, "1", 1n, true, "true", NaN, "NaN", Infinity, "Infinity", [1], ["1"], null];
    values.forEach((v, i) => c.add(i + 1, { k: v as never }));
    const points = metric(await provider.collect(), "c", "sum").points;
    // null is no value: it joins the empty set.
    expect(points).toHaveLength(values.length);
    for (const [i, v] of values.entries()) {
      const p = points.find((p) => p.value === i + 1);
      expect(p!.attributes).toEqual(v === null ? [] : ["k", v]);
    }
  });

  it("keeps apart attribute sets that share values, keys or prefixes, call after call", async () => {
    const { provider, meter } = testProvider();
    const c = meter.createCounter("c");
    const sets: [Record<string, unknown>, string][] = [
      [{ a: 1 }, "a1"],
      [{ b: 1 }, "b1"],
      [{ a: 1, b: 1 }, "a1b1"],
      [{ b: 1, a: 1 }, "a1b1"],
      [{ a: 1, b: undefined }, "a1"],
      [{}, "none"],
      [{ a: "1" }, "a'1'"],
      [{ a: 2, b: 1 }, "a2b1"],
      [{ b: 1, c: 1 }, "b1c1"],
    ];
    const expected: Record<string, number> = {};
    for (let round = 1; round <= 3; round++)
      for (const [i, [attrs, id]] of sets.entries()) {
        c.add(2 ** i, attrs as never);
        expected[id] = (expected[id] ?? 0) + 2 ** i;
      }
    const points = metric(await provider.collect(), "c", "sum").points;
    const id = (a: unknown[]) => (a.length ? a.map((x, i) => (i % 2 ? (typeof x === "string" ? `'${x}'` : x) : x)).join("") : "none");
    expect(Object.fromEntries(points.map((p) => [id(p.attributes), p.value]))).toEqual(expected);
  });

  it("writes integer instruments as integers", async () => {
    const { provider, meter } = testProvider();
    meter.createCounter("int", { valueType: ValueType.INT }).add(3);
    meter.createCounter("double").add(3);
    const metrics = await provider.collect();
    expect(metric(metrics, "int", "sum").points[0]!.isInt).toBe(true);
    expect(metric(metrics, "double", "sum").points[0]!.isInt).toBe(false);
  });

  it("drops negative counter and histogram values, and non-numbers, with a warning", async () => {
    const { provider, meter, warnings } = testProvider();
    const counter = meter.createCounter("c");
    const histogram = meter.createHistogram("h");
    const upDown = meter.createUpDownCounter("u");
    counter.add(-1);
    counter.add(NaN);
    counter.add("5" as never);
    histogram.record(-0.5);
    upDown.add(-1);
    counter.add(2);
    const metrics = await provider.collect();
    expect(metric(metrics, "c", "sum").points[0]!.value).toBe(2);
    expect(metrics.map((m) => m.name)).toEqual(["c", "u"]);
    expect(warnings.filter((w) => w.includes("invalid value for c"))).toHaveLength(3);
    expect(warnings.filter((w) => w.includes("invalid value for h"))).toHaveLength(1);
  });

  it("gives a no-op instrument and a warning for an invalid name", async () => {
    const { provider, meter, warnings } = testProvider();
    const valid = ["a", "A1_b.c-d/e", "x".repeat(255)];
    const invalid = ["", "1abc", "_a", "a b", "ä", "a+b", "x".repeat(256), 5 as never];
    for (const name of [...valid, ...invalid]) meter.createCounter(name).add(1);
    const names = (await provider.collect()).map((m) => m.name);
    expect(names).toEqual(valid);
    expect(warnings.filter((w) => w.includes("invalid instrument name"))).toHaveLength(invalid.length);
  });

  it("does not validate units (the spec says it should not)", async () => {
    const { provider, meter, warnings } = testProvider();
    meter.createCounter("c", { unit: "µs ".repeat(40) }).add(1);
    expect(metric(await provider.collect(), "c").unit).toBe("µs ".repeat(40));
    expect(warnings).toEqual([]);
  });

  it("gives the same instrument for the same identity, case-insensitively, under the first name", async () => {
    const { provider, meter, warnings } = testProvider();
    const a = meter.createCounter("Requests", { unit: "1" });
    const b = meter.createCounter("Requests", { unit: "1" });
    const c = meter.createCounter("requests", { unit: "1" });
    expect(b).toBe(a);
    expect(c).toBe(a);
    a.add(1);
    c.add(2);
    const metrics = await provider.collect();
    expect(metrics).toHaveLength(1);
    expect(metric(metrics, "Requests", "sum").points[0]!.value).toBe(3);
    expect(warnings.filter((w) => w.includes("duplicate instrument requests"))).toHaveLength(1);
  });

  it("keeps conflicting instruments of one name apart, reports both, and warns", async () => {
    const { provider, meter, warnings } = testProvider();
    const ms = meter.createHistogram("latency", { unit: "ms" });
    const s = meter.createHistogram("latency", { unit: "s" });
    const counter = meter.createCounter("latency", { unit: "ms" });
    expect(s).not.toBe(ms);
    ms.record(100);
    s.record(0.1);
    counter.add(1);
    const metrics = await provider.collect();
    expect(metrics.map((m) => [m.name, m.unit, m.kind])).toEqual([
      ["latency", "ms", "histogram"],
      ["latency", "s", "histogram"],
      ["latency", "ms", "sum"],
    ]);
    expect(warnings.filter((w) => w.includes("duplicate metric latency"))).toHaveLength(2);
  });

  it("treats meters as separate namespaces, and gives the same meter for the same scope", async () => {
    const { provider } = testProvider();
    const a = provider.meter("a", "1");
    expect(provider.meter("a", "1")).toBe(a);
    expect(provider.meter("a", "2")).not.toBe(a);
    const withSchema = provider.meter("a", "1", { schemaUrl: "https://opentelemetry.io/schemas/1.30.0" });
    expect(withSchema).not.toBe(a);
    a.createCounter("c").add(1);
    provider.meter("a", "2").createCounter("c").add(2);
    withSchema.createCounter("c").add(3);
    const metrics = await provider.collect();
    expect(metrics.map((m) => [m.scope, m.points.length])).toEqual([
      [{ name: "a", version: "1", schemaUrl: undefined }, 1],
      [{ name: "a", version: "2", schemaUrl: undefined }, 1],
      [{ name: "a", version: "1", schemaUrl: "https://opentelemetry.io/schemas/1.30.0" }, 1],
    ]);
  });

  it("does nothing when disabled", async () => {
    let calls = 0;
    const warnings: string[] = [];
    const diag = { error: () => {}, warn: (m: string) => warnings.push(m), info() {}, debug() {} };
    const provider = createMeterProvider({ contextManager: new ExplicitContextManager(), diag, enabled: false });
    const meter = provider.meter("m");
    meter.createCounter("c").add(1);
    meter.createHistogram("h").record(1);
    meter.createObservableGauge("g").addCallback(() => void calls++);
    meter.createCounter("bad name").add(1);
    expect(await provider.collect()).toEqual([]);
    expect(calls).toBe(0);
    expect(warnings).toEqual([]);
  });
});

describe("observable callbacks", () => {
  it("run at each collection; removed ones stop", async () => {
    const { provider, meter } = testProvider();
    const g = meter.createObservableGauge("g");
    let n = 0;
    const cb = (r: { observe(v: number): void }) => r.observe(++n);
    g.addCallback(cb);
    g.addCallback(cb); // once only
    expect(metric(await provider.collect(), "g", "gauge").points[0]!.value).toBe(1);
    expect(metric(await provider.collect(), "g", "gauge").points[0]!.value).toBe(2);
    g.removeCallback(cb);
    expect(await provider.collect()).toEqual([]);
    expect(n).toBe(2);
  });

  it("isolate a throwing or rejecting callback, report it, and keep the others' observations", async () => {
    const { provider, meter, warnings } = testProvider();
    const g = meter.createObservableGauge("g");
    g.addCallback(() => {
      throw new Error("boom");
    });
    g.addCallback(async () => {
      throw new Error("rejected");
    });
    g.addCallback((r) => r.observe(1, { ok: true }));
    g.addCallback(async (r) => {
      await Promise.resolve();
      r.observe(2, { later: true });
    });
    const points = metric(await provider.collect(), "g", "gauge").points;
    expect(points.map((p) => attributesToObject(p.attributes))).toEqual([{ ok: true }, { later: true }]);
    expect(warnings.filter((w) => w.includes("callback of g failed") && w.includes("boom"))).toHaveLength(1);
    expect(warnings.filter((w) => w.includes("callback of g failed") && w.includes("rejected"))).toHaveLength(1);
  });

  it("wait a bounded time for a callback's promise, and ignore observations made after the collection", async () => {
    const { provider, meter, warnings } = testProvider({ callbackTimeoutMs: 30 });
    let late!: { observe(v: number): void };
    let resolve!: () => void;
    meter.createObservableGauge("slow").addCallback((r) => {
      late = r;
      return new Promise<void>((res) => (resolve = res));
    });
    meter.createObservableGauge("fast").addCallback((r) => r.observe(1));
    const metrics = await provider.collect();
    expect(metrics.map((m) => m.name)).toEqual(["fast"]);
    expect(warnings).toContain("edge-otel: metric callbacks timed out");
    late.observe(5);
    resolve();
    const next = await provider.collect();
    expect(next.map((m) => m.name)).toEqual(["fast"]);
  });

  it("report only the attribute sets observed in this collection", async () => {
    const { provider, meter } = testProvider();
    let sets = [{ a: 1 }, { a: 2 }];
    meter.createObservableUpDownCounter("u").addCallback((r) => sets.forEach((s) => r.observe(10, s)));
    expect(metric(await provider.collect(), "u", "sum").points).toHaveLength(2);
    sets = [{ a: 2 }];
    expect(metric(await provider.collect(), "u", "sum").points.map((p) => p.attributes)).toEqual([["a", 2]]);
  });

  it("run one collection at a time", async () => {
    const { provider, meter } = testProvider();
    let running = 0;
    let most = 0;
    meter.createObservableGauge("g").addCallback(async (r) => {
      most = Math.max(most, ++running);
      await new Promise((res) => setTimeout(res, 5));
      r.observe(1);
      running--;
    });
    const all = await Promise.all([provider.collect(), provider.collect(), provider.collect()]);
    expect(most).toBe(1);
    expect(all.map((m) => m.length)).toEqual([1, 1, 1]);
  });
});
