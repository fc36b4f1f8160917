import { describe, expect, it } from "vitest";
import { attributesToObject } from "../src/common/attributes.ts";
import type { View } from "../src/metrics/view.ts";
import { byAttributes, metric, testProvider } from "./helpers/metrics.ts";

describe("views", () => {
  it("select by name with * and ? wildcards, case-insensitively", async () => {
    const names = ["http.server.duration", "http.client.duration", "HTTP.server.requests", "db.duration", "http.s"];
    const cases: [string, string[]][] = [
      ["http.*", ["http.server.duration", "http.client.duration", "HTTP.server.requests", "http.s"]],
      ["*.duration", ["http.server.duration", "http.client.duration", "db.duration"]],
      ["http.?", ["http.s"]],
      ["http.??????.duration", ["http.server.duration", "http.client.duration"]],
      ["http.server.*", ["http.server.duration", "HTTP.server.requests"]],
      ["*", names],
      ["db.duration", ["db.duration"]],
      ["db.duratio", []],
      ["http.(s)", []], // regex characters are literal
    ];
    for (const [pattern, selected] of cases) {
      const { provider, meter } = testProvider({ views: [{ instrumentName: pattern, aggregation: "drop" }] });
      for (const n of names) meter.createCounter(n).add(1);
      const left = (await provider.collect()).map((m) => m.name);
      expect(names.filter((n) => !left.includes(n))).toEqual(selected);
    }
  });

  it("select by instrument type and by meter name, version and schema URL; all criteria must match", async () => {
    const run = async (view: View) => {
      const { provider } = testProvider({ views: [{ ...view, aggregation: "drop" }] });
      provider.meter("a", "1").createCounter("c").add(1);
      provider.meter("a", "2").createHistogram("h").record(1);
      provider.meter("b", "1", { schemaUrl: "s" }).createCounter("c").add(1);
      return (await provider.collect()).map((m) => `${m.scope.name}${m.scope.version}/${m.name}`);
    };
    expect(await run({ instrumentType: "COUNTER" })).toEqual(["a2/h"]);
    expect(await run({ meterName: "a" })).toEqual(["b1/c"]);
    expect(await run({ meterName: "a", meterVersion: "2" })).toEqual(["a1/c", "b1/c"]);
    expect(await run({ meterSchemaUrl: "s" })).toEqual(["a1/c", "a2/h"]);
    expect(await run({ meterName: "a", instrumentType: "COUNTER" })).toEqual(["a2/h", "b1/c"]);
    expect(await run({ instrumentName: "c", instrumentType: "HISTOGRAM" })).toEqual(["a1/c", "a2/h", "b1/c"]);
  });

  it("rename, redescribe, keep an allow-list of attribute keys, and set bucket boundaries", async () => {
    const { provider, meter } = testProvider({
      views: [
        { instrumentName: "http.duration", name: "latency", description: "How long", attributeKeys: ["route"], aggregation: { type: "explicit_bucket_histogram", boundaries: [100, 200] } },
      ],
    });
    const h = meter.createHistogram("http.duration", { description: "original", unit: "ms", advice: { explicitBucketBoundaries: [1] } });
    h.record(50, { route: "/a", user: "u1" });
    h.record(150, { user: "u2", route: "/a" });
    h.record(250, { route: "/b" });
    const m = metric(await provider.collect(), "latency", "histogram");
    expect(m).toMatchObject({ description: "How long", unit: "ms" });
    expect(byAttributes(m.points, (p) => [p.count, p.bucketCounts, p.explicitBounds])).toEqual({
      '{"route":"/a"}': [2, [1, 1, 0], [100, 200]],
      '{"route":"/b"}': [1, [0, 0, 1], [100, 200]],
    });
  });

  it("make one stream per matching view; an instrument no view matches keeps its default", async () => {
    const { provider, meter, warnings } = testProvider({
      views: [
        { instrumentName: "c", name: "c.sum" },
        { instrumentName: "c", name: "c.last", aggregation: "last_value" },
      ],
    });
    const c = meter.createCounter("c");
    c.add(2);
    c.add(3);
    meter.createCounter("other").add(1);
    const metrics = await provider.collect();
    expect(metrics.map((m) => [m.name, m.kind, m.points.length])).toEqual([
      ["c.sum", "sum", 1],
      ["c.last", "gauge", 1],
      ["other", "sum", 1],
    ]);
    expect(metric(metrics, "c.sum", "sum").points[0]!.value).toBe(5);
    expect(metric(metrics, "c.last", "gauge").points[0]!.value).toBe(3);
    expect(warnings).toEqual([]);
  });

  it("warn when two views give one instrument's streams the same name, and report both", async () => {
    const { provider, meter, warnings } = testProvider({ views: [{ instrumentName: "c", aggregation: "sum" }, { instrumentName: "*", attributeKeys: [] }] });
    meter.createCounter("c").add(1, { a: 1 });
    const metrics = await provider.collect();
    expect(metrics.map((m) => [m.name, m.points[0]!.attributes])).toEqual([
      ["c", ["a", 1]],
      ["c", []],
    ]);
    expect(warnings.filter((w) => w.includes("duplicate metric c"))).toHaveLength(1);
  });

  it("merge instruments that differ only in description when a view sets it, without a warning", async () => {
    const { provider, meter, warnings } = testProvider({ views: [{ instrumentName: "c", description: "one" }] });
    meter.createCounter("c", { description: "a" }).add(1);
    meter.createCounter("c", { description: "b" }).add(2);
    const metrics = await provider.collect();
    expect(metrics).toHaveLength(1);
    expect(metric(metrics, "c", "sum")).toMatchObject({ description: "one", points: [{ value: 3 }] });
    expect(warnings).toEqual([]);
  });

  it("drop instruments: a match-all drop after a specific view keeps only that one", async () => {
    const { provider, meter } = testProvider({ views: [{ instrumentName: "keep" }, { instrumentName: "*", aggregation: "drop" }] });
    meter.createCounter("keep").add(1);
    meter.createCounter("lose").add(1);
    meter.createObservableGauge("lose.too").addCallback((r) => r.observe(1));
    expect((await provider.collect()).map((m) => m.name)).toEqual(["keep"]);
  });

  it("skip views without criteria, named views that may select several instruments, and histograms of observables", async () => {
    const { provider, meter, warnings } = testProvider({
      views: [
        { aggregation: "drop" },
        { instrumentName: "c*", name: "renamed" },
        { instrumentType: "COUNTER", name: "renamed" },
        { instrumentName: "g", aggregation: "explicit_bucket_histogram" },
        { instrumentName: "h", aggregation: "nonsense" as never },
      ],
    });
    meter.createCounter("c").add(1);
    meter.createObservableGauge("g").addCallback((r) => r.observe(4));
    meter.createHistogram("h").record(1);
    const metrics = await provider.collect();
    expect(metrics.map((m) => [m.name, m.kind])).toEqual([
      ["c", "sum"],
      ["g", "gauge"],
      ["h", "histogram"],
    ]);
    expect(warnings.filter((w) => w.includes("invalid view"))).toHaveLength(3);
    expect(warnings.filter((w) => w.includes("does not apply"))).toHaveLength(2);
  });
});

describe("cardinality limit", () => {
  const overflow = <P extends { attributes: unknown[] }>(points: readonly P[]) => points.filter((p) => attributesToObject(p.attributes)["otel.metric.overflow"] === true);

  it("sends new attribute sets past the limit to the overflow series, which counts toward the limit", async () => {
    const limit = 5;
    const { provider, meter } = testProvider({ cardinalityLimit: limit });
    const c = meter.createCounter("c");
    const sets = 12;
    for (let round = 0; round < 3; round++) for (let i = 0; i < sets; i++) c.add(i + 1, { i });
    const points = metric(await provider.collect(), "c", "sum").points;
    expect(points).toHaveLength(limit);
    const [over] = overflow(points);
    expect(over!.attributes).toEqual(["otel.metric.overflow", true]);
    // The first limit - 1 sets keep their own series; nothing is lost or counted twice.
    const kept = points.filter((p) => p !== over);
    expect(kept.map((p) => p.attributes)).toEqual(Array.from({ length: limit - 1 }, (_, i) => ["i", i]));
    const total = 3 * ((sets * (sets + 1)) / 2);
    expect(points.reduce((a, p) => a + (p.value as number), 0)).toBe(total);
    expect(over!.value).toBe(3 * Array.from({ length: sets - limit + 1 }, (_, k) => k + limit).reduce((a, b) => a + b));
  });

  it("keeps reporting the series seen before the overflow (cumulative), and frees unused delta series", async () => {
    for (const temporality of ["cumulative", "delta"] as const) {
      const { provider, meter } = testProvider({ cardinalityLimit: 3, temporality });
      const c = meter.createCounter("c");
      for (const i of [1, 2, 3, 4]) c.add(1, { i });
      expect(overflow(metric(await provider.collect(), "c", "sum").points)).toHaveLength(1);
      // A collection in which the series had nothing new: delta forgets them.
      expect((await provider.collect()).length).toBe(temporality == "delta" ? 0 : 1);
      c.add(1, { i: 5 });
      c.add(1, { i: 6 });
      const points = metric(await provider.collect(), "c", "sum").points;
      if (temporality == "cumulative") {
        expect(byAttributes(points, (p) => p.value)).toEqual({ '{"i":1}': 1, '{"i":2}': 1, '{"otel.metric.overflow":true}': 4 });
      } else {
        // The earlier sets were forgotten, so 5 and 6 get series of their own.
        expect(byAttributes(points, (p) => p.value)).toEqual({ '{"i":5}': 1, '{"i":6}': 1 });
      }
    }
  });

  it("counts attribute sets after a view's filtering, and takes the view's own limit", async () => {
    const { provider, meter } = testProvider({ cardinalityLimit: 2, views: [{ instrumentName: "c", attributeKeys: ["route"], cardinalityLimit: 3 }] });
    const c = meter.createCounter("c");
    // Many more users than the trie keeps aliases for (it starts afresh): the counts stay right.
    for (let user = 0; user < 1000; user++) c.add(1, { route: user % 2 ? "/a" : "/b", user });
    for (let user = 0; user < 1000; user++) c.add(1, { user, route: "/a" });
    const points = metric(await provider.collect(), "c", "sum").points;
    expect(byAttributes(points, (p) => p.value)).toEqual({ '{"route":"/a"}': 1500, '{"route":"/b"}': 500 });
  });

  it("limits observable instruments, preferring the sets observed first", async () => {
    const { provider, meter } = testProvider({ cardinalityLimit: 3 });
    meter.createObservableGauge("g").addCallback((r) => ["a", "b", "c", "d"].forEach((k, i) => r.observe(i, { k })));
    const points = metric(await provider.collect(), "g", "gauge").points;
    expect(points.map((p) => attributesToObject(p.attributes))).toEqual([{ k: "a" }, { k: "b" }, { "otel.metric.overflow": true }]);
  });

  it("gives the same series to the same attributes in any order, without counting orders as series", async () => {
    const { provider, meter } = testProvider({ cardinalityLimit: 2 });
    const c = meter.createCounter("c");
    const entries = Object.entries({ a: 1, b: 2, c: 3, d: 4 });
    // Every order of four keys: 24 aliases of one set.
    const orders = (xs: [string, number][]): [string, number][][] => (xs.length < 2 ? [xs] : xs.flatMap((x, i) => orders([...xs.slice(0, i), ...xs.slice(i + 1)]).map((r) => [x, ...r])));
    for (let round = 0; round < 3; round++) for (const order of orders(entries)) c.add(1, Object.fromEntries(order));
    const points = metric(await provider.collect(), "c", "sum").points;
    expect(points).toMatchObject([{ attributes: ["a", 1, "b", 2, "c", 3, "d", 4], value: 72 }]);
  });

  it("warns about an invalid limit and uses the default", async () => {
    const { provider, meter, warnings } = testProvider({ cardinalityLimit: 0 });
    const c = meter.createCounter("c");
    for (let i = 0; i < 2001; i++) c.add(1, { i });
    expect(metric(await provider.collect(), "c", "sum").points).toHaveLength(2000);
    expect(warnings.filter((w) => w.includes("invalid cardinality limit"))).toHaveLength(1);
  });
});
