import { createDiag } from "./common/diag.ts";
import type { Attributes, DiagLogger, Resource } from "./common/types.ts";
import type { Context } from "./context/context.ts";
import { ExplicitContextManager, type ContextManager } from "./context/context-manager.ts";
import { envBoolean, type Env } from "./config/env.ts";
import { resolveExporterEnv, mergeExporterConfig } from "./config/exporter-config.ts";
import { createResource } from "./config/resource.ts";
import { resolveBatchConfig, resolvePropagators, resolveSampler, resolveSpanLimits, type SpanLimits } from "./config/span-limits.ts";
import type { OtlpExporterConfig } from "./otlp/export-result.ts";
import { resolveEndpoints } from "./otlp/endpoint.ts";
import { createOtlpTransport } from "./otlp/http-transport.ts";
import { OtlpSpanExporter } from "./otlp/otlp-span-exporter.ts";
import { CompositePropagator } from "./propagation/composite-propagator.ts";
import { propagatorByName } from "./propagation/names.ts";
import type { TextMapGetter, TextMapPropagator, TextMapSetter } from "./propagation/propagator.ts";
import { BatchSpanProcessor } from "./trace/batch-span-processor.ts";
import { samplerFromName, type Sampler } from "./trace/sampler.ts";
import { MultiSpanProcessor, type ProcessorFlushResult, type SpanProcessor } from "./trace/span-processor.ts";
import { createStats, type TelemetryStats } from "./trace/telemetry-stats.ts";
import { SdkTracer, type Tracer, type TracerState } from "./trace/tracer.ts";
import type { Meter } from "./metrics/meter-api.ts";
import type { Logger } from "./logs/logger-api.ts";
import type { MetricExporter } from "./metrics/metric-exporter.ts";
import type { View } from "./metrics/view.ts";
import type { Signal } from "./otlp/export-result.ts";
import type { MetricsConfig } from "./config/metrics-config.ts";
import type { LogRecordProcessor } from "./logs/log-record-processor.ts";
import type { OtlpTransport } from "./otlp/http-transport.ts";
import type { BatchOptions } from "./common/batch-queue.ts";
import { metricsAndLogs } from "./signals.ts";

/** Everything `createTelemetry` takes. Explicit options win over OTEL_* variables in `env`. */
export interface TelemetryConfig {
  /** service.name and service.version. */
  service?: { name?: string | undefined; version?: string | undefined } | undefined;
  /** Extra resource attributes. */
  resource?: Attributes | undefined;
  /** One OTLP/HTTP destination. Without `exporter` or `exporters`, OTEL_EXPORTER_OTLP_* or http://localhost:4318. */
  exporter?: OtlpExporterConfig | undefined;
  /** Several destinations, each with its own queue, retries and timeout. `[]` exports nothing. */
  exporters?: OtlpExporterConfig[] | undefined;
  /** OTEL_* variables as a plain record. */
  env?: Env | undefined;
  /** Defaults to OTEL_TRACES_SAMPLER, else parentbased_always_on. */
  sampler?: Sampler | undefined;
  /** Defaults to OTEL_PROPAGATORS, else W3C tracecontext and baggage. */
  propagators?: TextMapPropagator[] | undefined;
  /** Defaults to an ExplicitContextManager; runtime adapters pass an AsyncLocalStorageContextManager. */
  contextManager?: ContextManager | undefined;
  /** Span and attribute limits; default from OTEL_SPAN_* and OTEL_ATTRIBUTE_*. */
  limits?: Partial<SpanLimits> | undefined;
  /** Batching; defaults from OTEL_BSP_*. */
  batch?: { maxQueueSize?: number; maxExportBatchSize?: number; scheduledDelayMillis?: number } | undefined;
  /** Extra span processors, called after the exporting ones (say, a SimpleSpanProcessor over an in-memory exporter). */
  spanProcessors?: SpanProcessor[] | undefined;
  /** Wraps the whole span processor chain: how tail sampling (TailSamplingProcessor) goes in front of every exporter. */
  wrapSpanProcessor?: ((processor: SpanProcessor) => SpanProcessor) | undefined;
  /** Where the SDK reports its own problems. Default: one console.warn per distinct problem. */
  diag?: DiagLogger | undefined;
  /** Resource attributes a runtime adapter detected (cloud.*, faas.*); env and explicit ones win. */
  detectedResource?: Attributes | undefined;
  /** Metrics settings; defaults from OTEL_EXPORTER_OTLP_METRICS_* and OTEL_METRIC_EXPORT_*. */
  metrics?: MetricsOptions | undefined;
  /** Views: rename, filter attributes, change the aggregation, or drop instruments. */
  views?: View[] | undefined;
  /** Extra metric exporters, given each collection after the OTLP ones. */
  metricExporters?: MetricExporter[] | undefined;
  /** Log batching; defaults from OTEL_BLRP_*. */
  logBatch?: TelemetryConfig["batch"];
  /** Extra log record processors, called after the exporting ones. */
  logRecordProcessors?: LogRecordProcessor[] | undefined;
  /** Also turn console.debug/log/info/warn/error calls into log records (the output still appears). */
  captureConsole?: boolean | undefined;
}

/** Metrics settings of a telemetry. */
export interface MetricsOptions extends Partial<MetricsConfig> {
  /** Series per metric, the overflow series included; default 2000. */
  cardinalityLimit?: number | undefined;
  /**
   * Long-lived servers only: also export every exportIntervalMillis (OTEL_METRIC_EXPORT_INTERVAL). The
   * timer starts with the first meter, never at construction, and never keeps the process alive.
   */
  periodic?: boolean | undefined;
}

/** Per-signal outcome of a flush. */
export interface FlushResult {
  /** True when every signal was delivered in full. */
  ok: boolean;
  traces: ProcessorFlushResult;
  /** `exported` and `dropped` count data points. */
  metrics: ProcessorFlushResult;
  logs: ProcessorFlushResult;
}

/** The context API of one telemetry. */
export interface ContextApi {
  active(): Context;
  with<A extends unknown[], R>(ctx: Context, fn: (...args: A) => R, thisArg?: unknown, ...args: A): R;
}

/** Inject and extract through the configured propagators. */
export interface PropagationApi {
  /** Writes the context's trace context (and baggage) into `carrier`: a Headers object or a plain record. */
  inject(context: Context, carrier: unknown, setter?: TextMapSetter): void;
  /** Reads a Headers object or a plain record into a Context (based on `context`, default the active one). */
  extract(carrier: unknown, context?: Context, getter?: TextMapGetter): Context;
  fields(): string[];
}

/** One configured SDK: tracers, context, propagation, flush. */
export interface Telemetry {
  readonly resource: Resource;
  readonly context: ContextApi;
  readonly propagation: PropagationApi;
  /** A tracer for an instrumentation scope; the same name and version give the same tracer. */
  tracer(name: string, version?: string, options?: { schemaUrl?: string }): Tracer;
  /** A meter for an instrumentation scope; instruments are collected and exported by flush(). */
  meter(name: string, version?: string, options?: { schemaUrl?: string }): Meter;
  /** A logger for an instrumentation scope; records are exported by flush(). */
  logger(name: string, version?: string, options?: { schemaUrl?: string }): Logger;
  /** Sends everything finished so far; resolves with a per-signal result and never rejects. */
  flush(): Promise<FlushResult>;
  /** Flushes, then stops: later spans and log records are dropped, and the console is given back. */
  shutdown(): Promise<FlushResult>;
  /** Counters of what was exported, dropped and failed. */
  readonly stats: TelemetryStats;
  /** True when OTEL_SDK_DISABLED=true: spans are non-recording, nothing is sent. */
  readonly disabled: boolean;
  readonly diag: DiagLogger;
}

/** One destination's transport for a signal, with the protocol its encoder must write. */
export type SignalTransport = (signal: Signal) => readonly [OtlpTransport, "http/protobuf" | "http/json"];

/** What the core hands a signal plug-in: the settings and plumbing the signals share. */
export interface SignalParts {
  readonly config: TelemetryConfig;
  readonly env: Env;
  readonly diag: DiagLogger;
  readonly stats: TelemetryStats;
  readonly resource: Resource;
  readonly contextManager: ContextManager;
  readonly enabled: boolean;
  /** One per destination; none while disabled. */
  readonly destinations: readonly SignalTransport[];
  /** Batch processor options with the telemetry's diag and stats. */
  queued(batch: BatchConfigLike, delay: number | undefined): BatchOptions;
}
type BatchConfigLike = { maxQueueSize: number; maxExportBatchSize: number; exportTimeoutMillis: number };

/** Metrics and logs, added to the core's traces: see `metricsAndLogs` in src/signals.ts. */
export interface SignalPlugin {
  (parts: SignalParts): {
    meter: Telemetry["meter"];
    logger: Telemetry["logger"];
    /** Flushes (or, with `end`, shuts down) metrics and logs; never rejects. */
    flush(end: boolean): [metrics: Promise<ProcessorFlushResult>, logs: Promise<ProcessorFlushResult>];
  };
}

const NONE: ProcessorFlushResult = { status: "success", exported: 0, dropped: 0 };
const NOOP = { add() {}, record() {}, addCallback() {}, removeCallback() {}, emit() {} };
const NOOP_METER = /*#__PURE__*/ new Proxy({}, { get: () => () => NOOP }) as Meter;
// Traces only: meters and loggers exist, do nothing, and flush reports nothing sent.
const tracesOnly: SignalPlugin = () => ({
  meter: () => NOOP_METER,
  logger: () => NOOP,
  flush: () => [Promise.resolve({ ...NONE }), Promise.resolve({ ...NONE })],
});

/**
 * Creates a telemetry: the SDK for one service, with traces, metrics and logs. No timers start and nothing
 * is sent until flush(). https://opentelemetry.io/docs/specs/otel/trace/sdk/
 */
export const createTelemetry = (config: TelemetryConfig = {}): Telemetry => buildTelemetry(config, metricsAndLogs);

/**
 * A telemetry with traces only, for the smallest bundles: meters and loggers are no-ops, and the metrics and
 * logs code is left out of the bundle.
 */
export const createTraceTelemetry = (config: TelemetryConfig = {}): Telemetry => buildTelemetry(config, tracesOnly);

function buildTelemetry(config: TelemetryConfig, signals: SignalPlugin): Telemetry {
  const env: Env = config.env ?? {};
  const diag = createDiag(config.diag);
  const disabled = envBoolean(env, "OTEL_SDK_DISABLED", false, diag);
  const stats = createStats();
  const resource = createResource({
    serviceName: config.service?.name,
    serviceVersion: config.service?.version,
    attributes: config.resource,
    detected: config.detectedResource,
    env,
    diag,
  });
  const contextManager = config.contextManager ?? new ExplicitContextManager();
  const propagator = new CompositePropagator(config.propagators ?? resolvePropagators(env, diag, propagatorByName));

  const processors: SpanProcessor[] = [];
  const enabled = !disabled;
  const queued = (b: BatchConfigLike, delay: number | undefined): BatchOptions => ({
    maxQueueSize: b.maxQueueSize,
    maxExportBatchSize: b.maxExportBatchSize,
    exportTimeoutMillis: b.exportTimeoutMillis,
    // Only on request: a timer must never be the only way out, and edge runtimes forbid it.
    scheduledDelayMillis: delay,
    diag,
    stats,
  });
  // Each signal has its own OTEL_EXPORTER_OTLP_<SIGNAL>_* settings, so its own transport per destination.
  const destinations: SignalTransport[] = disabled
    ? []
    : (config.exporters ?? [config.exporter]).map((destination) => (signal) => {
        const c = mergeExporterConfig(destination, resolveExporterEnv(env, diag, signal));
        return [createOtlpTransport({ ...c, endpoints: resolveEndpoints(c, diag), retry: destination?.retry }, diag), c.protocol] as const;
      });
  if (destinations.length) {
    const batch = resolveBatchConfig(config.batch, env, diag);
    for (const transport of destinations)
      processors.push(new BatchSpanProcessor(new OtlpSpanExporter(...transport("traces"), resource), queued(batch, config.batch?.scheduledDelayMillis)));
  }
  // User processors always go through a multi-processor, which keeps their throws away from user code.
  const user = config.spanProcessors ?? [];
  processors.push(...user);
  const chain = processors.length === 1 && !user.length ? processors[0]! : new MultiSpanProcessor(processors);
  const processor = config.wrapSpanProcessor?.(chain) ?? chain;
  const extra = signals({ config, env, diag, stats, resource, contextManager, enabled, destinations, queued });

  const limits = resolveSpanLimits(config.limits, env, diag);
  const state: TracerState = {
    enabled,
    limits,
    spanAttributeLimits: { countLimit: limits.attributeCountLimit, valueLengthLimit: limits.attributeValueLengthLimit },
    eventAttributeLimits: { countLimit: limits.attributePerEventCountLimit, valueLengthLimit: limits.attributeValueLengthLimit },
    linkAttributeLimits: { countLimit: limits.attributePerLinkCountLimit, valueLengthLimit: limits.attributeValueLengthLimit },
    processor,
    diag,
    sampler: config.sampler ?? resolveSampler(env, diag, samplerFromName),
    contextManager,
  };
  const tracers = new Map<string, Tracer>();

  // The three signals go concurrently, each in its own request per destination.
  const flushAll = (end: boolean): Promise<FlushResult> => {
    const failed = (e: unknown): ProcessorFlushResult => ({ ...NONE, status: "failure", message: String(e) });
    const [metrics, logs] = extra.flush(end);
    return Promise.all([new Promise<ProcessorFlushResult>((r) => r(end ? processor.shutdown() : processor.forceFlush())).catch(failed), metrics, logs]).then(
      ([traces, metrics, logs]) => ({
        ok: [traces, metrics, logs].every((r) => r.status === "success" && r.dropped === 0),
        traces,
        metrics,
        logs,
      }),
    );
  };

  return {
    resource,
    stats,
    disabled,
    diag,
    context: contextManager,
    propagation: {
      inject: (ctx, carrier, setter) => propagator.inject(ctx, carrier, setter),
      extract: (carrier, ctx, getter) => propagator.extract(ctx ?? contextManager.active(), carrier, getter),
      fields: () => propagator.fields(),
    },
    tracer(name, version, options) {
      // Text, as the encoders write them: a number from plain JS would be written wrongly or not at all.
      const text = (v: unknown) => (v == null ? undefined : String(v));
      const schemaUrl = text(options?.schemaUrl);
      const key = `${name}@${version}@${schemaUrl}`;
      let tracer = tracers.get(key);
      if (!tracer) tracers.set(key, (tracer = new SdkTracer(state, { name: String(name), version: text(version), schemaUrl })));
      return tracer;
    },
    meter: extra.meter,
    logger: extra.logger,
    flush: () => flushAll(false),
    shutdown: () => flushAll(true),
  };
}
