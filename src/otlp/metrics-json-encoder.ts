import type { Resource } from "../common/types.ts";
import type {
  DataPointBase,
  Exemplar,
  ExponentialBuckets,
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  MetricData,
  NumberDataPoint,
} from "../metrics/metric-data.ts";
import * as j from "./json-writer.ts";

/*
 * ExportMetricsServiceRequest as OTLP/JSON (see json-writer.ts), with the fields and defaults of the protobuf
 * form (metrics-encoder.ts), in field-number order. 64-bit integers (fixed64 counts, as_int) are decimal
 * strings; doubles are numbers, or "NaN" and "±Infinity". The metrics.proto messages:
 * https://github.com/open-telemetry/opentelemetry-proto/blob/v1.9.0/opentelemetry/proto/metrics/v1/metrics.proto
 */

// as_int, as metrics-encoder.ts writes it: bigints wrapped to 64 bits, numbers truncated (non-finite as 0).
function int64(v: number | bigint): string {
  if (typeof v == "number") v = Number.isFinite(v) ? Math.trunc(v) : 0;
  return `${Number.isSafeInteger(v) ? v : BigInt.asIntN(64, BigInt(v))}`;
}

// The value oneof of NumberDataPoint and Exemplar: always written, even at 0.
function value(v: number | bigint, isInt: boolean | undefined): void {
  if (isInt || typeof v == "bigint") {
    j.raw("asInt", true);
    j.string(int64(v));
  } else {
    j.raw("asDouble", true);
    j.double(v);
  }
}

// An `optional double`: written whenever defined.
function optionalDouble(name: string, v: number | undefined): void {
  if (v !== undefined) {
    j.raw(name, true);
    j.double(v);
  }
}

const count = (name: string, n: number): void => j.field(name, n && `${n}`);
const counts = (name: string, list: readonly number[]): void => j.listField(name, list, (n) => j.string(`${n}`));

function times(p: DataPointBase): void {
  j.timeField("startTimeUnixNano", p.startTime);
  j.timeField("timeUnixNano", p.time);
}

function exemplars(p: DataPointBase & { readonly isInt?: boolean }): void {
  j.listField("exemplars", p.exemplars, (e: Exemplar) => {
    j.open("{");
    j.timeField("timeUnixNano", e.time);
    value(e.value, p.isInt);
    j.field("spanId", e.spanId);
    j.field("traceId", e.traceId);
    j.attributeFields({ attributes: e.filteredAttributes }, "filteredAttributes");
    j.close("}");
  });
}

function numberPoint(p: NumberDataPoint): void {
  times(p);
  value(p.value, p.isInt);
  exemplars(p);
  j.attributeFields(p);
}

// count, sum, min and max, which both histogram points have.
function histogramStats(p: HistogramDataPoint | ExponentialHistogramDataPoint, more: () => void): void {
  times(p);
  count("count", p.count);
  optionalDouble("sum", p.sum);
  more();
  optionalDouble("min", p.min);
  optionalDouble("max", p.max);
}

function histogramPoint(p: HistogramDataPoint): void {
  histogramStats(p, () => {
    counts("bucketCounts", p.bucketCounts);
    j.listField("explicitBounds", p.explicitBounds, j.double);
    exemplars(p);
    j.attributeFields(p);
  });
}

// Buckets is a message field: written even when empty.
function buckets(name: string, b: ExponentialBuckets): void {
  j.open("{", name);
  j.field("offset", b.offset);
  counts("bucketCounts", b.bucketCounts);
  j.close("}");
}

function exponentialPoint(p: ExponentialHistogramDataPoint): void {
  j.attributeFields(p);
  histogramStats(p, () => {
    j.field("scale", p.scale);
    count("zeroCount", p.zeroCount);
    buckets("positive", p.positive);
    buckets("negative", p.negative);
    exemplars(p);
  });
}

// The writer of each kind's data points; the kind is also the name of its Metric.data oneof field.
const POINTS: Record<MetricData["kind"], (p: never) => void> = {
  gauge: numberPoint,
  sum: numberPoint,
  histogram: histogramPoint,
  exponentialHistogram: exponentialPoint,
};

function writeMetric(m: MetricData): void {
  j.open("{");
  j.field("name", m.name);
  j.field("description", m.description);
  j.field("unit", m.unit);
  const point = POINTS[m.kind] as (p: unknown) => void;
  // A oneof member: written even with no points.
  j.open("{", m.kind);
  j.listField("dataPoints", m.points as readonly unknown[], (p) => {
    j.open("{");
    point(p);
    j.close("}");
  });
  if (m.kind != "gauge") j.field("aggregationTemporality", m.temporality);
  if (m.kind == "sum" && m.monotonic) j.raw('"isMonotonic":true,');
  j.close("}");
  j.close("}");
}

/** Encodes `metrics` of `resource` as an OTLP/JSON ExportMetricsServiceRequest, grouped by scope like the protobuf form. */
export function encodeMetricsRequestJson(resource: Resource, metrics: readonly MetricData[]): string {
  return j.encodeRequestJson("Metrics", "metrics", resource, metrics, writeMetric);
}
