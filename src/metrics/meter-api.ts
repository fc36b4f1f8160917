import type { Attributes } from "../common/types.ts";
import type { Context } from "../context/context.ts";

/**
 * The metrics API, with the method names of `@opentelemetry/api`.
 * https://opentelemetry.io/docs/specs/otel/metrics/api/
 */

/** Options of an instrument. */
export interface MetricOptions {
  description?: string | undefined;
  unit?: string | undefined;
  /** INT instruments write as_int points. Default DOUBLE. */
  valueType?: ValueType | undefined;
  /** Hints for the default aggregation. https://opentelemetry.io/docs/specs/otel/metrics/api/#instrument-advisory-parameters */
  advice?: { explicitBucketBoundaries?: number[] | undefined } | undefined;
}

/** Whether an instrument records integers or doubles, as in `@opentelemetry/api`. */
export const ValueType = { INT: 0, DOUBLE: 1 } as const;
/** One of the ValueType values. */
export type ValueType = (typeof ValueType)[keyof typeof ValueType];

/** A monotonic sum: add() takes non-negative values. */
export interface Counter {
  add(value: number, attributes?: Attributes, context?: Context): void;
}
/** A sum that can go down. */
export interface UpDownCounter {
  add(value: number, attributes?: Attributes, context?: Context): void;
}
/** A distribution of values. */
export interface Histogram {
  record(value: number, attributes?: Attributes, context?: Context): void;
}
/** The last recorded value. */
export interface Gauge {
  record(value: number, attributes?: Attributes, context?: Context): void;
}

/** What an observable callback reports into. */
export interface ObservableResult {
  observe(value: number, attributes?: Attributes): void;
}
/** Called at each collection; may return a promise. */
export type ObservableCallback = (result: ObservableResult) => void | Promise<void>;

/** An instrument whose values are read by callbacks at collection. */
export interface Observable {
  addCallback(callback: ObservableCallback): void;
  removeCallback(callback: ObservableCallback): void;
}
/** An observable monotonic sum. */
export type ObservableCounter = Observable;
/** An observable sum that can go down. */
export type ObservableUpDownCounter = Observable;
/** An observable last value. */
export type ObservableGauge = Observable;

/** Creates instruments. The same name (case-insensitive) and kind give the same instrument. */
export interface Meter {
  createCounter(name: string, options?: MetricOptions): Counter;
  createUpDownCounter(name: string, options?: MetricOptions): UpDownCounter;
  createHistogram(name: string, options?: MetricOptions): Histogram;
  createGauge(name: string, options?: MetricOptions): Gauge;
  createObservableCounter(name: string, options?: MetricOptions): ObservableCounter;
  createObservableUpDownCounter(name: string, options?: MetricOptions): ObservableUpDownCounter;
  createObservableGauge(name: string, options?: MetricOptions): ObservableGauge;
}
