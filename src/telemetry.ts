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
import { createMeterProvider } from "./metrics/meter-provider.ts";
import type { MetricExporter } from "./metrics/metric-exporter.ts";
import type { View } from "./metrics/view.ts";
import { resolveMetricsConfig, type MetricsConfig } from "./config/metrics-config.ts";
import { OtlpMetricExporter } from "./otlp/otlp-metric-exporter.ts";
import { OtlpLogExporter } from "./otlp/otlp-log-exporter.ts";
import { createLoggerProvider } from "./logs/logger.ts";
import { BatchLogRecordProcessor } from "./logs/batch-log-record-processor.ts";
import { MultiLogRecordProcessor, type LogRecordProcessor } from "./logs/log-record-processor.ts";
import { captureConsole } from "./logs/console-bridge.ts";
import { combineFlushResults } from "./common/multi-processor.ts";
import { exportSafely } from "./common/batch-queue.ts";
import type { Signal } from "./otlp/export-result.ts";
import { resolveAttributeLimits } from "./config/span-limits.ts";

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

/**
 * Creates a telemetry: the SDK for one service. No timers start and nothing is sent until flush().
 * https://opentelemetry.io/docs/specs/otel/trace/sdk/
 */
export function createTelemetry(config: TelemetryConfig = {}): Telemetry {
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
  const logProcessors: LogRecordProcessor[] = [];
  const metricExporters: MetricExporter[] = [];
  const metricsConfig = resolveMetricsConfig(config.metrics, env, diag);
  if (!disabled) {
    const batch = resolveBatchConfig(config.batch, env, diag);
    const logBatch = resolveBatchConfig(config.logBatch, env, diag, "OTEL_BLRP");
    const fromEnv = { traces: 0, metrics: 0, logs: 0 } as unknown as Record<Signal, ReturnType<typeof resolveExporterEnv>>;
    for (const signal in fromEnv) fromEnv[signal as Signal] = resolveExporterEnv(env, diag, signal as Signal);
    const destinations = config.exporters ?? [config.exporter];
    for (const destination of destinations) {
      // Each signal has its own OTEL_EXPORTER_OTLP_<SIGNAL>_* settings, so its own transport.
      const transport = (signal: Signal) => {
        const c = mergeExporterConfig(destination, fromEnv[signal]);
        return [createOtlpTransport({ ...c, endpoints: resolveEndpoints(c, diag), retry: destination?.retry }, diag), c.protocol] as const;
      };
      const queued = (b: typeof batch, delay: number | undefined) => ({
        maxQueueSize: b.maxQueueSize,
        maxExportBatchSize: b.maxExportBatchSize,
        exportTimeoutMillis: b.exportTimeoutMillis,
        // Only on request: a timer must never be the only way out, and edge runtimes forbid it.
        scheduledDelayMillis: delay,
        diag,
        stats,
      });
      processors.push(new BatchSpanProcessor(new OtlpSpanExporter(...transport("traces"), resource), queued(batch, config.batch?.scheduledDelayMillis)));
      logProcessors.push(new BatchLogRecordProcessor(new OtlpLogExporter(...transport("logs"), resource), queued(logBatch, config.logBatch?.scheduledDelayMillis)));
      metricExporters.push(new OtlpMetricExporter(...transport("metrics"), resource));
    }
  }
  // User processors always go through a multi-processor, which keeps their throws away from user code.
  const user = config.spanProcessors ?? [];
  processors.push(...user);
  const chain = processors.length === 1 && !user.length ? processors[0]! : new MultiSpanProcessor(processors);
  const processor = config.wrapSpanProcessor?.(chain) ?? chain;
  logProcessors.push(...(config.logRecordProcessors ?? []));
  const logProcessor = new MultiLogRecordProcessor(logProcessors);
  metricExporters.push(...(config.metricExporters ?? []));

  const limits = resolveSpanLimits(config.limits, env, diag);
  const state: TracerState = {
    enabled: !disabled,
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
  const enabled = !disabled;
  const loggers = createLoggerProvider({
    processor: logProcessor,
    limits: resolveAttributeLimits(undefined, env, diag, "LOGRECORD"),
    contextManager,
    diag,
    enabled,
  });
  const meters = createMeterProvider({
    contextManager,
    diag,
    enabled,
    views: config.views,
    temporality: metricsConfig.temporality,
    defaultHistogram: metricsConfig.defaultHistogram,
    exemplarFilter: metricsConfig.exemplarFilter,
    cardinalityLimit: config.metrics?.cardinalityLimit,
    callbackTimeoutMs: metricsConfig.exportTimeoutMillis,
  });
  const uncapture = config.captureConsole && enabled ? captureConsole(loggers.logger("console")) : undefined;

  // One collection, given to every destination. Points of a failed export count as dropped: cumulative
  // series carry them in the next collection anyway; delta ones are lost.
  const exportMetrics = async (): Promise<ProcessorFlushResult> => {
    const metrics = await meters.collect();
    let points = 0;
    for (const m of metrics) points += m.points.length;
    const results = await Promise.all(
      metricExporters.map((e) =>
        exportSafely(e, metrics, metricsConfig.exportTimeoutMillis).then((r): ProcessorFlushResult => {
          if (r.status !== "success") stats.failedExports++;
          const lost = r.status === "success" ? (r.rejected! > 0 ? Math.min(r.rejected!, points) : 0) : points;
          const out: ProcessorFlushResult = { status: r.status, exported: points - lost, dropped: lost };
          if (r.message !== undefined) out.message = r.message;
          return out;
        }),
      ),
    );
    return combineFlushResults(results.length ? results : [{ status: "success", exported: 0, dropped: 0 }]);
  };
  let interval: ReturnType<typeof setInterval> | undefined;

  let closed = false;
  // The three signals go concurrently, each in its own request per destination.
  const flushAll = (end: boolean): Promise<FlushResult> => {
    const failed = (e: unknown): ProcessorFlushResult => ({ status: "failure", exported: 0, dropped: 0, message: String(e) });
    const run = (f: () => Promise<ProcessorFlushResult>) => new Promise<ProcessorFlushResult>((r) => r(f())).catch(failed);
    return Promise.all([
      run(() => (end ? processor.shutdown() : processor.forceFlush())),
      run(exportMetrics),
      run(() => (end ? logProcessor.shutdown() : logProcessor.forceFlush())),
    ]).then(([traces, metrics, logs]) => ({
      ok: [traces, metrics, logs].every((r) => r.status === "success" && r.dropped === 0),
      traces,
      metrics,
      logs,
    }));
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
    meter(name, version, options) {
      if (config.metrics?.periodic && enabled && !interval && !closed) {
        interval = setInterval(exportMetrics, metricsConfig.exportIntervalMillis);
        (interval as { unref?: () => void }).unref?.();
      }
      return meters.meter(name, version, options);
    },
    logger: (name, version, options) => loggers.logger(name, version, options),
    flush: () => flushAll(false),
    shutdown() {
      closed = true;
      clearInterval(interval);
      uncapture?.();
      return flushAll(true);
    },
  };
}
