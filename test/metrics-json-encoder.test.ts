import { describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { fromJson, toBinary, toJson, type JsonValue } from "@bufbuild/protobuf";
import { ExportMetricsServiceRequestSchema } from "../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js";
import type { Resource } from "../src/common/types.ts";
import type { MetricData } from "../src/metrics/metric-data.ts";
import { encodeMetricsRequestJson } from "../src/otlp/metrics-json-encoder.ts";
import { metricsBatch } from "./helpers/encoder-metrics-logs-arbitraries.ts";
import { referenceMetricsRequest } from "./helpers/encoder-metrics-logs-reference.ts";

// The normalisation of test/otlp-trace-json.test.ts: OTLP/JSON ids are hex where proto3 JSON has base64,
// and lone surrogates become U+FFFD on the wire.
const ID_KEYS = new Set(["traceId", "spanId"]);
function mapIds(v: unknown, f: (id: string) => string): unknown {
  if (Array.isArray(v)) return v.map((x) => mapIds(x, f));
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, ID_KEYS.has(k) && typeof x === "string" ? f(x) : mapIds(x, f)]));
}
function wellFormed(v: unknown): unknown {
  if (typeof v === "string") return Buffer.from(v, "utf8").toString("utf8");
  if (Array.isArray(v)) return v.map(wellFormed);
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [wellFormed(k), wellFormed(x)]));
}
const hexToBase64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");
const base64ToHex = (b64: string) => Buffer.from(b64, "base64").toString("hex");

function expectReferenceJson(resource: Resource, metrics: readonly MetricData[], json = encodeMetricsRequestJson(resource, metrics)) {
  const reference = toJson(ExportMetricsServiceRequestSchema, referenceMetricsRequest(resource, metrics), { enumAsInteger: true });
  expect(JSON.parse(json)).toEqual(wellFormed(mapIds(reference, base64ToHex)));
}

const resource: Resource = { attributes: ["service.name", "checkout"], droppedAttributesCount: 0 };
const scope = { name: "s", version: "1" };
const t0 = 1732240000000.25;

describe("encodeMetricsRequestJson", () => {
  it("writes what @bufbuild's toJson writes for the reference message, ids as hex", () => {
    fc.assert(
      fc.property(metricsBatch, ({ resource, metrics }) => expectReferenceJson(resource, metrics)),
      { numRuns: 400 },
    );
  });

  it("parses back with fromJson into the reference message", () => {
    fc.assert(
      fc.property(metricsBatch, ({ resource, metrics }) => {
        const ours = mapIds(JSON.parse(encodeMetricsRequestJson(resource, metrics)), hexToBase64) as JsonValue;
        const parsed = toBinary(ExportMetricsServiceRequestSchema, fromJson(ExportMetricsServiceRequestSchema, ours));
        const expected = toBinary(ExportMetricsServiceRequestSchema, referenceMetricsRequest(resource, metrics));
        expect(Buffer.from(parsed).toString("hex")).toBe(Buffer.from(expected).toString("hex"));
      }),
      { numRuns: 200 },
    );
  });

  it("writes zero values of oneofs and optionals, -0, non-finite doubles and int64 bounds in their proto3 JSON forms", () => {
    const base = { attributes: [], startTime: t0, time: t0 + 1, exemplars: [] };
    const metrics: MetricData[] = [
      {
        name: "n",
        description: "",
        unit: "",
        scope,
        kind: "sum",
        monotonic: false,
        temporality: 1,
        points: [
          { ...base, value: 0, isInt: false },
          { ...base, value: -0, isInt: false },
          { ...base, value: 0, isInt: true },
          { ...base, value: NaN, isInt: false },
          { ...base, value: -(2n ** 63n), isInt: false },
          { ...base, value: 2 ** 64 + 4096, isInt: true },
        ],
      },
      { name: "h", description: "", unit: "", scope, kind: "histogram", temporality: 2, points: [{ ...base, count: 0, sum: 0, min: -0, max: Infinity, explicitBounds: [-0, 1], bucketCounts: [0, 0, 0] }] },
      { name: "g", description: "", unit: "", scope, kind: "gauge", points: [] },
    ];
    const out = JSON.parse(encodeMetricsRequestJson(resource, metrics));
    const [sum, hist, gauge] = out.resourceMetrics[0].scopeMetrics[0].metrics;
    expect(sum.sum.dataPoints.map((p: Record<string, unknown>) => p.asDouble ?? p.asInt)).toEqual([0, -0, "0", "NaN", String(-(2n ** 63n)), String(BigInt.asIntN(64, 2n ** 64n + 4096n))]);
    expect(Object.is(sum.sum.dataPoints[1].asDouble, -0)).toBe(true);
    expect(sum.sum).not.toHaveProperty("isMonotonic");
    expect(hist.histogram.dataPoints[0]).toMatchObject({ sum: 0, max: "Infinity", explicitBounds: [-0, 1], bucketCounts: ["0", "0", "0"] });
    expect(hist.histogram.dataPoints[0]).not.toHaveProperty("count");
    expect(Object.is(hist.histogram.dataPoints[0].min, -0)).toBe(true);
    expect(gauge).toEqual({ name: "g", gauge: {} });
    expectReferenceJson(resource, metrics);
  });

  it("writes exemplars' filtered attributes and hex ids", () => {
    const traceId = "5b8efff798038103d269b633813fc60c";
    const spanId = "eee19b7ec3c1b174";
    const metrics: MetricData[] = [
      {
        name: "c",
        description: "",
        unit: "",
        scope,
        kind: "sum",
        monotonic: true,
        temporality: 2,
        points: [{ attributes: ["k", "v"], startTime: t0, time: t0, value: 3, isInt: true, exemplars: [{ filteredAttributes: ["user", "u1"], time: t0, value: 3, traceId, spanId }] }],
      },
    ];
    const out = JSON.parse(encodeMetricsRequestJson(resource, metrics));
    const e = out.resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[0].exemplars[0];
    expect(e).toMatchObject({ asInt: "3", traceId, spanId, filteredAttributes: [{ key: "user", value: { stringValue: "u1" } }] });
    expectReferenceJson(resource, metrics);
  });

  it("grows its buffer in the middle of long bucket arrays", async () => {
    vi.resetModules();
    const fresh = (await import("../src/otlp/metrics-json-encoder.ts")).encodeMetricsRequestJson;
    const buckets = Array.from({ length: 20_000 }, (_, i) => i * 2 ** 33 + 0.5);
    const metrics: MetricData[] = [
      {
        name: "e",
        description: "",
        unit: "",
        scope,
        kind: "exponentialHistogram",
        temporality: 1,
        points: [{ attributes: [], startTime: t0, time: t0, exemplars: [], count: 5, sum: 1, min: 0, max: 1, scale: -3, zeroCount: 1, positive: { offset: -7, bucketCounts: buckets.map(Math.floor) }, negative: { offset: 0, bucketCounts: [] } }],
      },
      { name: "h", description: "", unit: "", scope, kind: "histogram", temporality: 1, points: [{ attributes: [], startTime: t0, time: t0, exemplars: [], count: 1, sum: 1, min: 1, max: 1, explicitBounds: buckets, bucketCounts: [...buckets.map(Math.floor), 1] }] },
    ];
    expectReferenceJson(resource, metrics, fresh(resource, metrics));
  });
});
