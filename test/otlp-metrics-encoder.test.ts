import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { toBinary } from "@bufbuild/protobuf";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { ExportMetricsServiceRequestSchema } from "../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js";
import { encodeMetricsRequest } from "../src/otlp/metrics-encoder.ts";
import * as w from "../src/otlp/proto-writer.ts";
import { msToNanosBigInt } from "../src/otlp/time.ts";
import type { Resource } from "../src/common/types.ts";
import type { ExponentialHistogramDataPoint, HistogramDataPoint, MetricData, NumberDataPoint } from "../src/metrics/metric-data.ts";
import { metricsBatch } from "./helpers/encoder-metrics-logs-arbitraries.ts";
import { referenceMetricsRequest } from "./helpers/encoder-metrics-logs-reference.ts";
import { decodeMetrics } from "./helpers/proto-decoder.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function expectSameBytes(resource: Resource, metrics: readonly MetricData[]): void {
  const expected = toBinary(ExportMetricsServiceRequestSchema, referenceMetricsRequest(resource, metrics));
  expect(hex(encodeMetricsRequest(resource, metrics))).toBe(hex(expected));
}

const resource: Resource = { attributes: ["service.name", "checkout"], droppedAttributesCount: 0 };
const scope = { name: "edge-otel.test", version: "1.2.3" };
const t0 = 1732240000000;
const traceId = "5b8efff798038103d269b633813fc60c";
const spanId = "eee19b7ec3c1b174";

const numberPoint = (value: number | bigint, isInt: boolean, more: Partial<NumberDataPoint> = {}): NumberDataPoint => ({
  attributes: ["route", "/items"],
  startTime: t0,
  time: t0 + 1000.5,
  exemplars: [],
  value,
  isInt,
  ...more,
});
const histogramPoint = (more: Partial<HistogramDataPoint> = {}): HistogramDataPoint => ({
  attributes: [],
  startTime: t0,
  time: t0 + 1000,
  exemplars: [],
  count: 3,
  sum: 12.5,
  min: 0.5,
  max: 10,
  explicitBounds: [0, 5, 10],
  bucketCounts: [0, 2, 1, 0],
  ...more,
});
const exponentialPoint = (more: Partial<ExponentialHistogramDataPoint> = {}): ExponentialHistogramDataPoint => ({
  attributes: ["k", "v"],
  startTime: t0,
  time: t0 + 1000,
  exemplars: [],
  count: 5,
  sum: -3.5,
  min: -2,
  max: 1,
  scale: -3,
  zeroCount: 1,
  positive: { offset: -2, bucketCounts: [1, 0, 1] },
  negative: { offset: 5, bucketCounts: [2] },
  ...more,
});

describe("encodeMetricsRequest", () => {
  it("matches toBinary of the reference message for random batches of every kind", () => {
    fc.assert(
      fc.property(metricsBatch, ({ resource, metrics }) => expectSameBytes(resource, metrics)),
      { numRuns: 400 },
    );
  });

  it("matches for an empty batch, kinds without points, and zero times, counts, scales and offsets", () => {
    expectSameBytes({ attributes: [], droppedAttributesCount: 0 }, []);
    const zeroExp = exponentialPoint({ startTime: 0, time: 0, count: 0, zeroCount: 0, scale: 0, positive: { offset: 0, bucketCounts: [] }, negative: { offset: 0, bucketCounts: [] } });
    expectSameBytes(resource, [
      { name: "", description: "", unit: "", scope, kind: "gauge", points: [] },
      { name: "s", description: "", unit: "", scope, kind: "sum", monotonic: false, temporality: 1, points: [] },
      { name: "h", description: "", unit: "", scope, kind: "histogram", temporality: 2, points: [] },
      { name: "e", description: "", unit: "", scope, kind: "exponentialHistogram", temporality: 1, points: [zeroExp] },
      { name: "g", description: "", unit: "", scope, kind: "gauge", points: [numberPoint(0, true, { startTime: 0 }), numberPoint(0, false, { time: 0 })] },
      { name: "h0", description: "", unit: "", scope, kind: "histogram", temporality: 1, points: [histogramPoint({ count: 0, sum: 0, min: 0, max: -0, bucketCounts: [], explicitBounds: [] })] },
    ]);
  });

  it("matches for int64 bounds, truncated integers, odd doubles, long bucket arrays and exemplars", () => {
    const exemplars = [
      { filteredAttributes: ["user", "u1"], time: t0 + 1, value: -(2n ** 63n), traceId, spanId },
      { filteredAttributes: [], time: 0, value: 2.5, traceId: undefined, spanId: undefined },
    ];
    const values: [number | bigint, boolean][] = [
      [2n ** 63n - 1n, false], [-(2n ** 63n), true], [2n ** 64n + 1n, true], [Number.MIN_SAFE_INTEGER, true],
      [-0.5, true], [1e20, true], [NaN, true], [3, false], [NaN, false], [-Infinity, false], [-0, false],
    ];
    const buckets = Array.from({ length: 300 }, (_, i) => i * 2 ** 40);
    expectSameBytes(resource, [
      { name: "sum", description: "d", unit: "1", scope, kind: "sum", monotonic: true, temporality: 2, points: values.map(([v, isInt]) => numberPoint(v, isInt, { exemplars })) },
      { name: "hist", description: "", unit: "ms", scope, kind: "histogram", temporality: 1, points: [histogramPoint({ exemplars, explicitBounds: buckets.slice(1), bucketCounts: buckets, sum: undefined, min: undefined, max: NaN })] },
      { name: "exp", description: "", unit: "", scope, kind: "exponentialHistogram", temporality: 2, points: [exponentialPoint({ exemplars, scale: 20, positive: { offset: -(2 ** 31), bucketCounts: buckets }, negative: { offset: 2 ** 31 - 1, bucketCounts: [] } }), exponentialPoint({ scale: -10, sum: undefined })] },
    ]);
  });

  it("groups metrics by scope object and by equal scope fields, in first-seen order", () => {
    const a = { name: "a" };
    const b = { name: "b", version: "2", schemaUrl: "https://opentelemetry.io/schemas/1.30.0" };
    const metrics = [a, b, { name: "a" }, b, { name: "a", version: "" }, { name: "b" }].map(
      (s, i): MetricData => ({ name: `m${i}`, description: "", unit: "", scope: s, kind: "gauge", points: [numberPoint(i, true)] }),
    );
    expectSameBytes(resource, metrics);
    const decoded = decodeMetrics(encodeMetricsRequest(resource, metrics));
    expect(decoded.resourceMetrics[0].scopeMetrics.map((s: { metrics: { name: string }[] }) => s.metrics.map((m) => m.name))).toEqual([
      ["m0", "m2", "m4"],
      ["m1", "m3"],
      ["m5"],
    ]);
  });

  it("decodes with protobufjs to the values we put in", () => {
    const exemplar = { filteredAttributes: ["user", "u1"], time: t0 + 250, value: 7n, traceId, spanId };
    const metrics: MetricData[] = [
      { name: "requests", description: "Requests", unit: "{request}", scope, kind: "sum", monotonic: true, temporality: 1, points: [numberPoint(-5n, true, { exemplars: [exemplar] }), numberPoint(3, true)] },
      { name: "temp", description: "", unit: "Cel", scope, kind: "gauge", points: [numberPoint(21.5, false, { startTime: 0 })] },
      { name: "latency", description: "", unit: "ms", scope, kind: "histogram", temporality: 2, points: [histogramPoint({ bucketCounts: [0, 2 ** 40, 1, 0], sum: 0, min: undefined })] },
      { name: "size", description: "", unit: "By", scope, kind: "exponentialHistogram", temporality: 1, points: [exponentialPoint()] },
    ];
    const decoded = decodeMetrics(encodeMetricsRequest(resource, metrics));
    const rm = decoded.resourceMetrics[0];
    expect(rm.resource.attributes).toEqual([{ key: "service.name", value: { stringValue: "checkout" } }]);
    expect(rm.scopeMetrics[0].scope).toEqual(scope);
    const [sum, gauge, hist, exp] = rm.scopeMetrics[0].metrics;
    const nanos = (ms: number) => String(msToNanosBigInt(ms));

    expect(sum).toMatchObject({ name: "requests", description: "Requests", unit: "{request}" });
    expect(sum.sum.aggregationTemporality).toBe(1);
    expect(sum.sum.isMonotonic).toBe(true);
    const [p0, p1] = sum.sum.dataPoints;
    expect(p0.asInt).toBe("-5");
    expect(p0.asDouble).toBeUndefined();
    expect(p0.startTimeUnixNano).toBe(nanos(t0));
    expect(p0.timeUnixNano).toBe(nanos(t0 + 1000.5));
    expect(p0.attributes).toEqual([{ key: "route", value: { stringValue: "/items" } }]);
    expect(p0.exemplars).toEqual([
      { filteredAttributes: [{ key: "user", value: { stringValue: "u1" } }], timeUnixNano: nanos(t0 + 250), asInt: "7", traceId, spanId },
    ]);
    expect(p1.asInt).toBe("3");

    const g = gauge.gauge.dataPoints[0];
    expect(g.asDouble).toBe(21.5);
    expect(g.startTimeUnixNano).toBeUndefined(); // 0 is left out
    expect(gauge.sum).toBeUndefined();

    expect(hist.histogram.aggregationTemporality).toBe(2);
    const h = hist.histogram.dataPoints[0];
    expect(h.count).toBe("3");
    expect(h.sum).toBe(0); // present: optional fields are written when defined
    expect(h.min).toBeUndefined();
    expect(h.max).toBe(10);
    expect(h.bucketCounts).toEqual(["0", String(2 ** 40), "1", "0"]);
    expect(h.explicitBounds).toEqual([0, 5, 10]);

    const e = exp.exponentialHistogram.dataPoints[0];
    expect(e).toMatchObject({ count: "5", sum: -3.5, min: -2, max: 1, scale: -3, zeroCount: "1" });
    expect(e.positive).toEqual({ offset: -2, bucketCounts: ["1", "0", "1"] });
    expect(e.negative).toEqual({ offset: 5, bucketCounts: ["2"] });
    expect(e.attributes).toEqual([{ key: "k", value: { stringValue: "v" } }]);
  });

  it("returns results that later calls do not overwrite", () => {
    const m = (n: number): MetricData[] => [{ name: "m", description: "", unit: "", scope, kind: "gauge", points: Array.from({ length: n }, (_, i) => numberPoint(i, true)) }];
    const first = encodeMetricsRequest(resource, m(1));
    const copy = first.slice();
    encodeMetricsRequest(resource, m(500));
    expect(first).toEqual(copy);
  });
});

describe("proto writer additions", () => {
  it("writes sint32, fixed64/sfixed64 and packed fields as @bufbuild's BinaryWriter does", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.oneof(fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
        fc.array(fc.maxSafeNat(), { maxLength: 40 }),
        fc.array(fc.double(), { maxLength: 40 }),
        (s, v, counts, doubles) => {
          w.begin(1);
          w.sint32(s);
          w.int64(v, true);
          w.packed(10, counts, w.int64);
          w.packed(18, doubles, w.double);
          w.packed(26, [], w.double);
          const theirs = new BinaryWriter().sint32(s).sfixed64(v);
          if (counts.length) {
            theirs.uint32(10).fork();
            for (const c of counts) theirs.uint64(c);
            theirs.join();
          }
          if (doubles.length) {
            theirs.uint32(18).fork();
            for (const d of doubles) theirs.double(d);
            theirs.join();
          }
          expect(hex(w.finish())).toBe(hex(theirs.finish()));
        },
      ),
      { numRuns: 300 },
    );
  });
});
