import type { Resource } from "../common/types.ts";
import type {
  DataPointBase,
  ExponentialBuckets,
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  MetricData,
  NumberDataPoint,
} from "../metrics/metric-data.ts";
import { writeAttributes } from "./any-value.ts";
import { countField, encodeRequest, idField, stringField, timeField } from "./common-encoder.ts";
import * as w from "./proto-writer.ts";

/*
 * ExportMetricsServiceRequest, written field by field in field-number order with proto3 zero values skipped
 * (optional fields written whenever defined), which is what reference serializers emit.
 * https://github.com/open-telemetry/opentelemetry-proto/blob/v1.9.0/opentelemetry/proto/metrics/v1/metrics.proto
 * Tags are precomputed `(field << 3) | wireType`: 0 varint, 1 fixed64, 2 length-delimited.
 * Not written, as our data has none: Summary, Metric.metadata, data point flags, zero_threshold.
 */

// A data point with the isInt of number points (undefined for histograms).
type Point = DataPointBase & { readonly isInt?: boolean };

// The value oneof of NumberDataPoint and Exemplar: as_int (sfixed64, tag 49 in both) for bigints and
// integer instruments (wrapped to 64 bits, non-finite as 0), else as_double (`tag`). as_double is numbered before the fields in between, as_int
// after them, so this is called at both places and writes at the one that fits.
function valueField(tag: number, v: number | bigint, isInt: boolean | undefined): void {
  if ((tag === 49) === (isInt || typeof v === "bigint")) {
    w.varint(tag);
    // Integer instruments' numbers are integers; should one not be, it is truncated as a C cast would.
    if (tag === 49) w.int64(typeof v === "number" ? Math.trunc(v) : v, true);
    else w.double(v as number);
  }
}

const fixed64 = (v: number): void => w.int64(v, true);

/** A fixed64 count field, left out when 0. */
function fixedCount(tag: number, n: number): void {
  if (n) {
    w.varint(tag);
    fixed64(n);
  }
}

/** An `optional double` field: explicit presence, so written whenever defined, even as 0. */
function optionalDouble(tag: number, v: number | undefined): void {
  if (v !== undefined) {
    w.varint(tag);
    w.double(v);
  }
}

/** Fields 2 and 3 of every data point: start_time_unix_nano, time_unix_nano. */
function timeFields(p: Point): void {
  timeField(17, p.startTime);
  timeField(25, p.time);
}

/** Repeated Exemplar field `tag`, valued like the point's own value. */
function exemplarFields(tag: number, p: Point): void {
  for (const e of p.exemplars) {
    const start = w.fork(tag);
    timeField(17, e.time); // time_unix_nano = 2
    valueField(25, e.value, p.isInt); // as_double = 3
    idField(34, e.spanId); // span_id = 4
    idField(42, e.traceId); // trace_id = 5
    valueField(49, e.value, p.isInt); // as_int = 6
    writeAttributes(58, e.filteredAttributes); // filtered_attributes = 7
    w.join(start);
  }
}

function numberPoint(p: NumberDataPoint): void {
  timeFields(p);
  valueField(33, p.value, p.isInt); // as_double = 4
  exemplarFields(42, p); // exemplars = 5
  valueField(49, p.value, p.isInt); // as_int = 6
  writeAttributes(58, p.attributes); // attributes = 7
}

function histogramPoint(p: HistogramDataPoint): void {
  timeFields(p);
  fixedCount(33, p.count); // count = 4
  optionalDouble(41, p.sum); // sum = 5
  w.packed(50, p.bucketCounts, fixed64); // bucket_counts = 6
  w.packed(58, p.explicitBounds, w.double); // explicit_bounds = 7
  exemplarFields(66, p); // exemplars = 8
  writeAttributes(74, p.attributes); // attributes = 9
  optionalDouble(89, p.min); // min = 11
  optionalDouble(97, p.max); // max = 12
}

// Buckets is a message field, so it is written even when empty.
function buckets(tag: number, b: ExponentialBuckets): void {
  const start = w.fork(tag);
  if (b.offset) {
    w.varint(8); // offset = 1, sint32
    w.sint32(b.offset);
  }
  w.packed(18, b.bucketCounts, w.int64); // bucket_counts = 2, uint64
  w.join(start);
}

function exponentialPoint(p: ExponentialHistogramDataPoint): void {
  writeAttributes(10, p.attributes); // attributes = 1
  timeFields(p);
  fixedCount(33, p.count); // count = 4
  optionalDouble(41, p.sum); // sum = 5
  if (p.scale) {
    w.varint(48); // scale = 6, sint32
    w.sint32(p.scale);
  }
  fixedCount(57, p.zeroCount); // zero_count = 7
  buckets(66, p.positive); // positive = 8
  buckets(74, p.negative); // negative = 9
  exemplarFields(90, p); // exemplars = 11
  optionalDouble(97, p.min); // min = 12
  optionalDouble(105, p.max); // max = 13
}

// Per kind: the Metric.data oneof tag (gauge = 5, sum = 7, histogram = 9, exponential_histogram = 10) and
// the writer of its data points.
const KINDS: Record<MetricData["kind"], readonly [number, (p: never) => void]> = {
  gauge: [42, numberPoint],
  sum: [58, numberPoint],
  histogram: [74, histogramPoint],
  exponentialHistogram: [82, exponentialPoint],
};

function writeMetric(m: MetricData): void {
  const start = w.fork(18, 2); // ScopeMetrics.metrics = 2
  stringField(10, m.name); // name = 1
  stringField(18, m.description); // description = 2
  stringField(26, m.unit); // unit = 3
  const [tag, point] = KINDS[m.kind];
  // A oneof member: written even with no points.
  const data = w.fork(tag, 2);
  for (const p of m.points) {
    const ps = w.fork(10, 2); // data_points = 1
    (point as (p: Point) => void)(p);
    w.join(ps, 2);
  }
  if (m.kind !== "gauge") countField(16, m.temporality); // aggregation_temporality = 2
  if (m.kind === "sum" && m.monotonic) {
    w.varint(24); // Sum.is_monotonic = 3
    w.varint(1);
  }
  w.join(data, 2);
  w.join(start, 2);
}

/**
 * Encodes `metrics` of `resource` as an OTLP ExportMetricsServiceRequest (protobuf): one ResourceMetrics,
 * one ScopeMetrics per scope in first-seen order. The result is an array the caller owns.
 */
export function encodeMetricsRequest(resource: Resource, metrics: readonly MetricData[]): Uint8Array {
  return encodeRequest(resource, metrics, writeMetric);
}
