// edge-otel: the runtime-neutral core. Every export is a free function, a class or a constant,
// so a bundler keeps only what an app uses.

export { createTelemetry, createTraceTelemetry } from "./telemetry.ts";
export type { ContextApi, FlushResult, MetricsOptions, PropagationApi, Telemetry, TelemetryConfig } from "./telemetry.ts";
export { activeContext, getLogger, getMeter, getTelemetry, getTracer, registerTelemetry } from "./global.ts";
export { ValueType } from "./metrics/meter-api.ts";
export type {
  Counter,
  Gauge,
  Histogram,
  Meter,
  MetricOptions,
  Observable,
  ObservableCallback,
  ObservableCounter,
  ObservableGauge,
  ObservableResult,
  ObservableUpDownCounter,
  UpDownCounter,
} from "./metrics/meter-api.ts";
export type { Aggregation, InstrumentType, View } from "./metrics/view.ts";
export { AggregationTemporality } from "./metrics/metric-data.ts";
export type {
  DataPointBase,
  Exemplar,
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  MetricData,
  MetricPoints,
  NumberDataPoint,
} from "./metrics/metric-data.ts";
export type { MetricExporter } from "./metrics/metric-exporter.ts";
export { OtlpMetricExporter } from "./otlp/otlp-metric-exporter.ts";
export { encodeMetricsRequest } from "./otlp/metrics-encoder.ts";
export { encodeMetricsRequestJson } from "./otlp/metrics-json-encoder.ts";

export type { LogRecordInput, Logger } from "./logs/logger-api.ts";
export { SeverityNumber } from "./logs/log-record.ts";
export type { AnyValue, ReadableLogRecord } from "./logs/log-record.ts";
export { MultiLogRecordProcessor } from "./logs/log-record-processor.ts";
export type { LogRecordExporter, LogRecordProcessor } from "./logs/log-record-processor.ts";
export { BatchLogRecordProcessor } from "./logs/batch-log-record-processor.ts";
export { SimpleLogRecordProcessor } from "./logs/simple-log-record-processor.ts";
export { captureConsole } from "./logs/console-bridge.ts";
export { OtlpLogExporter } from "./otlp/otlp-log-exporter.ts";
export { encodeLogsRequest } from "./otlp/logs-encoder.ts";
export { encodeLogsRequestJson } from "./otlp/logs-json-encoder.ts";

export type { AttributeList, AttributeValue, Attributes, DiagLogger, InstrumentationScope, Resource, TimeInput } from "./common/types.ts";
export { ROOT_CONTEXT, createContextKey } from "./context/context.ts";
export type { Context, ContextKey } from "./context/context.ts";
export { AsyncLocalStorageContextManager, ExplicitContextManager } from "./context/context-manager.ts";
export type { AsyncLocalStorageLike, ContextManager } from "./context/context-manager.ts";

export { SpanKind, SpanStatusCode } from "./trace/span-record.ts";
export type { ReadableSpan, SpanEventRecord, SpanLinkRecord, SpanStatus } from "./trace/span-record.ts";
export type { Exception, Link, Span, SpanOptions } from "./trace/span-api.ts";
export type { Tracer } from "./trace/tracer.ts";
export {
  INVALID_SPAN_CONTEXT,
  TraceFlags,
  deleteSpan,
  getSpan,
  getSpanContext,
  isSpanContextValid,
  isValidSpanId,
  isValidTraceId,
  setSpan,
  setSpanContext,
  wrapSpanContext,
} from "./trace/span-context.ts";
export type { SpanContext, TraceState } from "./trace/span-context.ts";
export { createTraceState } from "./trace/trace-state.ts";
export { NonRecordingSpan } from "./trace/non-recording-span.ts";
export {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
} from "./trace/sampler.ts";
export type { ParentBasedSamplerOptions, Sampler, SamplingResult } from "./trace/sampler.ts";
export { BatchSpanProcessor } from "./trace/batch-span-processor.ts";
export type { BatchSpanProcessorOptions } from "./trace/batch-span-processor.ts";
export { SimpleSpanProcessor } from "./trace/simple-span-processor.ts";
export { MultiSpanProcessor } from "./trace/span-processor.ts";
export type { ProcessorFlushResult, SpanProcessor } from "./trace/span-processor.ts";
export type { SpanExporter } from "./trace/span-exporter.ts";
export type { TelemetryStats } from "./trace/telemetry-stats.ts";
export type { SpanLimits } from "./config/span-limits.ts";

export type { ExportResult, OtlpExporterConfig, Signal } from "./otlp/export-result.ts";
export { OtlpSpanExporter } from "./otlp/otlp-span-exporter.ts";
export { encodeTraceRequest } from "./otlp/trace-encoder.ts";
export { encodeTraceRequestJson } from "./otlp/trace-json-encoder.ts";
export { markWrappedFetch, originalFetch } from "./otlp/original-fetch.ts";

export type { TextMapGetter, TextMapPropagator, TextMapSetter } from "./propagation/propagator.ts";
export { defaultTextMapGetter, defaultTextMapSetter } from "./propagation/propagator.ts";
export { W3CTraceContextPropagator } from "./propagation/trace-context-propagator.ts";
export { W3CBaggagePropagator } from "./propagation/baggage-propagator.ts";
export { B3Propagator } from "./propagation/b3-propagator.ts";
export { CompositePropagator } from "./propagation/composite-propagator.ts";
export { createBaggage, deleteBaggage, getBaggage, setBaggage } from "./propagation/baggage.ts";
export type { Baggage, BaggageEntry } from "./propagation/baggage.ts";
