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

// Placeholders until the metrics and logs SDKs are wired in (issue #4).
const NOOP_INSTRUMENT = { add() {}, record() {}, addCallback() {}, removeCallback() {} };
const NOOP_METER = new Proxy({}, { get: () => () => NOOP_INSTRUMENT }) as Meter;
const NOOP_LOGGER: Logger = { emit() {} };

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
  /** Where the SDK reports its own problems. Default: one console.warn per distinct problem. */
  diag?: DiagLogger | undefined;
  /** Resource attributes a runtime adapter detected (cloud.*, faas.*); env and explicit ones win. */
  detectedResource?: Attributes | undefined;
}

/** Per-signal outcome of a flush. */
export interface FlushResult {
  /** True when every signal was delivered in full. */
  ok: boolean;
  traces: ProcessorFlushResult;
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
  /** Flushes, then stops: later spans are dropped. */
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
  if (!disabled) {
    const batch = resolveBatchConfig(config.batch, env, diag);
    const fromEnv = resolveExporterEnv(env, diag);
    const destinations = config.exporters ?? [config.exporter];
    for (const destination of destinations) {
      const traces = mergeExporterConfig(destination, fromEnv);
      const transport = createOtlpTransport({ ...traces, endpoints: resolveEndpoints(traces, diag), retry: destination?.retry }, diag);
      const exporter = new OtlpSpanExporter(transport, traces.protocol, resource);
      processors.push(
        new BatchSpanProcessor(exporter, {
          maxQueueSize: batch.maxQueueSize,
          maxExportBatchSize: batch.maxExportBatchSize,
          exportTimeoutMillis: batch.exportTimeoutMillis,
          // Only on request: a timer must never be the only way out, and edge runtimes forbid it.
          scheduledDelayMillis: config.batch?.scheduledDelayMillis,
          diag,
          stats,
        }),
      );
    }
  }
  // User processors always go through MultiSpanProcessor, which keeps their throws away from user code.
  const user = config.spanProcessors ?? [];
  processors.push(...user);
  const processor = processors.length === 1 && !user.length ? processors[0]! : new MultiSpanProcessor(processors);

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

  const flushWith = (run: () => Promise<ProcessorFlushResult>): Promise<FlushResult> =>
    run().then(
      (traces) => ({ ok: traces.status === "success" && traces.dropped === 0, traces }),
      (e: unknown) => ({ ok: false, traces: { status: "failure", exported: 0, dropped: 0, message: String(e) } }),
    );

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
    meter: () => NOOP_METER,
    logger: () => NOOP_LOGGER,
    flush: () => flushWith(() => processor.forceFlush()),
    shutdown: () => flushWith(() => processor.shutdown()),
  };
}
