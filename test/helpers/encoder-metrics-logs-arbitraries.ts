// fast-check generators of metrics and log records for the encoder tests, aimed at the corners of the
// encoding: every point kind, int64 bounds, NaN and infinite doubles, empty and long bucket arrays, negative
// offsets and scales, optional fields absent or 0, every AnyValue shape, zero and odd times.
import fc from "fast-check";
import type { Resource } from "../../src/common/types.ts";
import type { ScopeWithAttributes } from "../../src/otlp/common-encoder.ts";
import type {
  AggregationTemporality,
  Exemplar,
  ExponentialBuckets,
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  MetricData,
  NumberDataPoint,
} from "../../src/metrics/metric-data.ts";
import type { AnyValue, ReadableLogRecord } from "../../src/logs/log-record.ts";
import { anyString, anyValue, attributeList, bigints, count, doubles, hex, ints, scopePool, timeMs } from "./encoder-arbitraries.ts";

/** A resource with or without a schema URL. */
export const anyResource: fc.Arbitrary<Resource> = fc.record(
  { attributes: attributeList, droppedAttributesCount: count, schemaUrl: anyString },
  { requiredKeys: ["attributes", "droppedAttributesCount"] },
);

/** uint64 counts as numbers: often 0, small, or up to the largest safe integer. */
const u64 = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.nat({ max: 1000 }) },
  { weight: 1, arbitrary: fc.maxSafeNat() },
  { weight: 1, arbitrary: fc.constantFrom(127, 128, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER) },
);

/** Numbers that integer instruments should not hold, to pin down the truncation rule. */
const oddInts = fc.constantFrom(0.5, -0.5, 3.0, -2.75, 2 ** 63, -(2 ** 63), 2 ** 64 + 4096, 1e20, -1e300, NaN, Infinity, -Infinity, -0);

/** A value and its isInt flag: integer instruments' numbers and bigints, double instruments' numbers. */
const numberValue: fc.Arbitrary<{ value: number | bigint; isInt: boolean }> = fc.oneof(
  fc.record({ value: fc.oneof(ints, bigints), isInt: fc.constant(true) }),
  fc.record({ value: oddInts, isInt: fc.constant(true) }),
  fc.record({ value: fc.oneof(doubles, ints), isInt: fc.constant(false) }),
  fc.record({ value: bigints, isInt: fc.constant(false) }),
);

const optionalId = (bytes: number) => fc.oneof({ weight: 3, arbitrary: hex(bytes) }, fc.constant(undefined), fc.constant(""));

const exemplar = (value: fc.Arbitrary<number | bigint>): fc.Arbitrary<Exemplar> =>
  fc.record({
    filteredAttributes: attributeList,
    time: timeMs,
    value,
    traceId: optionalId(16),
    spanId: optionalId(8),
  });

const base = (value: fc.Arbitrary<number | bigint>) => ({
  attributes: attributeList,
  startTime: timeMs,
  time: timeMs,
  exemplars: fc.array(exemplar(value), { maxLength: 2 }),
});

const numberPoint: fc.Arbitrary<NumberDataPoint> = numberValue.chain(({ value, isInt }) =>
  fc.record({ ...base(fc.oneof(ints, doubles, bigints, oddInts)), value: fc.constant(value), isInt: fc.constant(isInt) }),
);

/** Optional doubles: absent, 0 and -0 (present all the same), any double. */
const optionalDouble = fc.oneof(fc.constant(undefined), fc.constantFrom(0, -0), doubles);

/** Bucket arrays: usually short, sometimes empty, now and then a few hundred long. */
const bucketLength = fc.oneof({ weight: 4, arbitrary: fc.nat({ max: 20 }) }, fc.constant(0), fc.integer({ min: 100, max: 300 }));

const histogramPoint: fc.Arbitrary<HistogramDataPoint> = bucketLength.chain((n) =>
  fc.record({
    ...base(fc.oneof(doubles, ints, bigints)),
    count: u64,
    sum: optionalDouble,
    min: optionalDouble,
    max: optionalDouble,
    explicitBounds: fc.array(doubles, { minLength: n, maxLength: n }),
    // One more count than bounds, as aggregations make them; or none, for a point without buckets.
    bucketCounts: fc.oneof({ weight: 4, arbitrary: fc.array(u64, { minLength: n + 1, maxLength: n + 1 }) }, fc.constant([])),
  }),
);

const expBuckets: fc.Arbitrary<ExponentialBuckets> = fc.record({
  offset: fc.oneof(fc.integer({ min: -200, max: 200 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.constantFrom(0, -1, 1, -64, 63, 64, -(2 ** 31), 2 ** 31 - 1)),
  bucketCounts: bucketLength.chain((n) => fc.array(u64, { minLength: n, maxLength: n })),
});

const exponentialPoint: fc.Arbitrary<ExponentialHistogramDataPoint> = fc.record({
  ...base(fc.oneof(doubles, ints, bigints)),
  count: u64,
  sum: optionalDouble,
  min: optionalDouble,
  max: optionalDouble,
  scale: fc.integer({ min: -10, max: 20 }),
  zeroCount: u64,
  positive: expBuckets,
  negative: expBuckets,
});

const temporality = fc.constantFrom<AggregationTemporality>(1, 2);
const points = <T>(p: fc.Arbitrary<T>) => fc.array(p, { maxLength: 4 });

const metricPoints = fc.oneof(
  fc.record({ kind: fc.constant("gauge" as const), points: points(numberPoint) }),
  fc.record({ kind: fc.constant("sum" as const), monotonic: fc.boolean(), temporality, points: points(numberPoint) }),
  fc.record({ kind: fc.constant("histogram" as const), temporality, points: points(histogramPoint) }),
  fc.record({ kind: fc.constant("exponentialHistogram" as const), temporality, points: points(exponentialPoint) }),
);

const metric = (scopes: ScopeWithAttributes[]): fc.Arbitrary<MetricData> =>
  fc
    .tuple(fc.record({ name: anyString, description: anyString, unit: anyString, scope: fc.constantFrom(...scopes) }), metricPoints)
    .map(([identity, data]) => ({ ...identity, ...data }));

/** A resource and a batch of metrics (possibly empty) of every kind, from a few scopes. */
export const metricsBatch: fc.Arbitrary<{ resource: Resource; metrics: MetricData[] }> = fc
  .tuple(anyResource, scopePool)
  .chain(([resource, scopes]) => fc.array(metric(scopes), { maxLength: 5 }).map((metrics) => ({ resource, metrics })));

/** Log bodies: every AnyValue shape, arrays of mixed values and maps nested in each other, empty ones too. */
export const anyBody: fc.Arbitrary<AnyValue> = fc.letrec<{ value: AnyValue; list: AnyValue[]; map: Record<string, AnyValue> }>((tie) => ({
  value: fc.oneof(
    { depthIdentifier: "body", withCrossShrink: true },
    { weight: 4, arbitrary: anyValue as fc.Arbitrary<AnyValue> },
    { weight: 1, arbitrary: fc.constantFrom<AnyValue>(null, undefined, "", 0, [], {}, new Uint8Array(0)) },
    { weight: 2, arbitrary: tie("list") },
    { weight: 2, arbitrary: tie("map") },
  ),
  list: fc.array(tie("value"), { maxLength: 4, depthIdentifier: "body" }),
  map: fc.dictionary(anyString, tie("value"), { maxKeys: 4, depthIdentifier: "body" }),
})).value;

const logRecord = (scopes: ScopeWithAttributes[]): fc.Arbitrary<ReadableLogRecord> =>
  fc.record({
    time: timeMs,
    observedTime: timeMs,
    severityNumber: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 24 }) }, fc.integer({ min: 25, max: 1000 })),
    severityText: fc.oneof(fc.constantFrom("", "INFO", "WARN", "ERROR"), anyString),
    body: anyBody,
    attributes: attributeList,
    droppedAttributesCount: count,
    traceFlags: fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 0x3ff })),
    traceId: optionalId(16),
    spanId: optionalId(8),
    eventName: fc.oneof(fc.constant(""), anyString),
    scope: fc.constantFrom(...scopes),
  });

/** A resource and a batch of log records (possibly empty) from a few scopes. */
export const logsBatch: fc.Arbitrary<{ resource: Resource; records: ReadableLogRecord[] }> = fc
  .tuple(anyResource, scopePool)
  .chain(([resource, scopes]) => fc.array(logRecord(scopes), { maxLength: 6 }).map((records) => ({ resource, records })));
