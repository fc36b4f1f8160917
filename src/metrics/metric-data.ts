import type { AttributeList, InstrumentationScope } from "../common/types.ts";

/**
 * Aggregation temporality, with the OTLP enum values.
 * https://opentelemetry.io/docs/specs/otel/metrics/data-model/#temporality
 */
export const AggregationTemporality = { DELTA: 1, CUMULATIVE: 2 } as const;
/** One of the AggregationTemporality values. */
export type AggregationTemporality = (typeof AggregationTemporality)[keyof typeof AggregationTemporality];

/** A measurement kept as an example of a data point: the span it was made in, when, and its value. */
export interface Exemplar {
  /** Attributes of the measurement that the data point's attributes dropped (views' allow-lists). */
  readonly filteredAttributes: AttributeList;
  /** Epoch ms with a fraction. */
  readonly time: number;
  readonly value: number | bigint;
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
}

/** What every data point has. Times are epoch ms with a fraction. */
export interface DataPointBase {
  readonly attributes: AttributeList;
  readonly startTime: number;
  readonly time: number;
  readonly exemplars: readonly Exemplar[];
}

/** A sum or gauge point. A bigint, or any value when `isInt` is set, is written as as_int; other numbers as as_double. */
export interface NumberDataPoint extends DataPointBase {
  readonly value: number | bigint;
  /** Integer instruments keep as_int even for values like 3.0; set by the aggregation. */
  readonly isInt: boolean;
}

/** An explicit-bucket histogram point. `bucketCounts.length === explicitBounds.length + 1`. */
export interface HistogramDataPoint extends DataPointBase {
  readonly count: number;
  readonly sum: number | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly explicitBounds: readonly number[];
  readonly bucketCounts: readonly number[];
}

/** The buckets on one side of zero of an exponential histogram. */
export interface ExponentialBuckets {
  readonly offset: number;
  readonly bucketCounts: readonly number[];
}

/** A base-2 exponential histogram point. */
export interface ExponentialHistogramDataPoint extends DataPointBase {
  readonly count: number;
  readonly sum: number | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly scale: number;
  readonly zeroCount: number;
  readonly positive: ExponentialBuckets;
  readonly negative: ExponentialBuckets;
}

/** One metric stream's points, tagged by kind. */
export type MetricPoints =
  | { readonly kind: "sum"; readonly monotonic: boolean; readonly temporality: AggregationTemporality; readonly points: readonly NumberDataPoint[] }
  | { readonly kind: "gauge"; readonly points: readonly NumberDataPoint[] }
  | { readonly kind: "histogram"; readonly temporality: AggregationTemporality; readonly points: readonly HistogramDataPoint[] }
  | { readonly kind: "exponentialHistogram"; readonly temporality: AggregationTemporality; readonly points: readonly ExponentialHistogramDataPoint[] };

/** A collected metric: its identity and its points. What metric exporters receive. */
export type MetricData = {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly scope: InstrumentationScope;
} & MetricPoints;
