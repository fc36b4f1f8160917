import { now } from "../common/clock.ts";
import type { Attributes, DiagLogger, InstrumentationScope } from "../common/types.ts";
import type { Context } from "../context/context.ts";
import type { ContextManager } from "../context/context-manager.ts";
import { getSpanContext, type SpanContext } from "../trace/span-context.ts";
import { expAggregator, histogramAggregator, numberAggregator, type Aggregator } from "./aggregation.ts";
import { ValueType, type Meter, type MetricOptions, type ObservableCallback } from "./meter-api.ts";
import type { MetricData } from "./metric-data.ts";
import { beginCycle, collectStream, createStream, measure, type Stream } from "./metric-stream.ts";
import { compileViews, viewMatches, type Aggregation, type InstrumentType, type View } from "./view.ts";

/** Which instrument kinds report deltas: OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE. */
export type TemporalityPreference = "cumulative" | "delta" | "lowmemory";
/** The histogram instruments' default aggregation: OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION. */
export type HistogramAggregationName = "explicit_bucket_histogram" | "base2_exponential_bucket_histogram";
/** Which measurements may become exemplars: OTEL_METRICS_EXEMPLAR_FILTER. */
export type ExemplarFilterName = "trace_based" | "always_on" | "always_off";

/** What `createMeterProvider` takes. */
export interface MeterProviderOptions {
  contextManager: ContextManager;
  diag: DiagLogger;
  /** False: meters make no-op instruments and collect() gives []. */
  enabled: boolean;
  views?: View[] | undefined;
  /** Default cumulative. */
  temporality?: TemporalityPreference | undefined;
  /** Default explicit_bucket_histogram. */
  defaultHistogram?: HistogramAggregationName | undefined;
  /** Points per metric and collection, the overflow point included; default 2000. */
  cardinalityLimit?: number | undefined;
  /** Default trace_based. */
  exemplarFilter?: ExemplarFilterName | undefined;
  /** How long collect() waits for callbacks' promises; default 10 000 ms. */
  callbackTimeoutMs?: number | undefined;
}

/** Meters, and the collection of what their instruments measured. */
export interface MeterProvider {
  /** The meter of a scope; the same name, version and schema URL give the same meter. */
  meter(name: string, version?: string, options?: { schemaUrl?: string | undefined }): Meter;
  /** Runs the observable callbacks and returns every metric with points. Never rejects. */
  collect(): Promise<MetricData[]>;
}

// Instrument kinds by index: the masks below hold one bit per index.
const TYPES: readonly InstrumentType[] = ["COUNTER", "UP_DOWN_COUNTER", "HISTOGRAM", "GAUGE", "OBSERVABLE_COUNTER", "OBSERVABLE_UP_DOWN_COUNTER", "OBSERVABLE_GAUGE"];
// Counter, Histogram and ObservableCounter: monotonic sums, no negative values.
// https://opentelemetry.io/docs/specs/otel/metrics/sdk/#sum-aggregation
const MONOTONIC = 0b10101;
// The kinds that report deltas under each preference; gauges as @opentelemetry/sdk-metrics does.
// https://opentelemetry.io/docs/specs/otel/metrics/sdk_exporters/otlp/#additional-environment-variable-configuration
const DELTA: Record<string, number> = { delta: 0b1011101, lowmemory: 0b101 };
// https://opentelemetry.io/docs/specs/otel/metrics/sdk/#explicit-bucket-histogram-aggregation
const BOUNDS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
// https://opentelemetry.io/docs/specs/otel/metrics/api/#instrument-name-syntax
const NAME = /^[a-z][\w./-]{0,254}$/i;

const noop = (): void => {};
const NOOP = { add: noop, record: noop, addCallback: noop, removeCallback: noop };
const noopCreate = () => NOOP;
const NOOP_METER: Meter = {
  createCounter: noopCreate,
  createUpDownCounter: noopCreate,
  createHistogram: noopCreate,
  createGauge: noopCreate,
  createObservableCounter: noopCreate,
  createObservableUpDownCounter: noopCreate,
  createObservableGauge: noopCreate,
};

// An observable instrument as collection sees it.
interface Observer {
  readonly name: string;
  readonly min: number;
  readonly streams: Stream[];
  readonly cbs: Set<ObservableCallback>;
}

const text = (v: unknown): string => (v == null ? "" : String(v));

/**
 * Creates a meter provider. Nothing runs until instruments are used; observable callbacks run in collect().
 * https://opentelemetry.io/docs/specs/otel/metrics/sdk/
 */
export function createMeterProvider(o: MeterProviderOptions): MeterProvider {
  const { diag, contextManager } = o;
  const views = compileViews(o.views, diag);
  const filter = o.exemplarFilter == "always_off" ? 0 : o.exemplarFilter == "always_on" ? 2 : 1;
  const deltas = DELTA[o.temporality!] ?? 0;
  const limitOf = (n: unknown): number => {
    if (n == null) return 2000;
    if (Number.isInteger(n) && (n as number) > 0) return n as number;
    diag.warn(`edge-otel: invalid cardinality limit ${n}`);
    return 2000;
  };
  const defaultLimit = limitOf(o.cardinalityLimit);
  const meters = new Map<string, Meter>();
  const streams: Stream[] = [];
  const observers: Observer[] = [];
  let queue: Promise<unknown> = Promise.resolve();

  const boundsOf = (b: unknown): readonly number[] => {
    if (b == null) return BOUNDS;
    if (Array.isArray(b) && b.every((x, i) => typeof x == "number" && x == x && !(i && x <= b[i - 1]))) return [...(b as number[])];
    diag.warn(`edge-otel: invalid bucket boundaries ${b}`);
    return BOUNDS;
  };

  // The aggregator of `a` for instrument `kind`; undefined to drop; null when it cannot apply (histograms of
  // async instruments, unknown names), which makes the view count as absent.
  function aggregatorFor(kind: number, a: Aggregation | undefined, isInt: boolean, advice: MetricOptions["advice"]): Aggregator | undefined | null {
    const spec = (typeof a == "string" ? { type: a } : (a ?? { type: "default" })) as { type: string; boundaries?: unknown; recordMinMax?: boolean; maxSize?: number; maxScale?: number };
    let { type, boundaries } = spec;
    if (type == "default") {
      type = kind == 2 ? (o.defaultHistogram ?? "explicit_bucket_histogram") : kind == 3 || kind == 6 ? "last_value" : "sum";
      // Advice counts for the default aggregation only: https://opentelemetry.io/docs/specs/otel/metrics/sdk/#instrument-advisory-parameter-explicitbucketboundaries
      boundaries = advice?.explicitBucketBoundaries;
    }
    const monotonic = ((MONOTONIC >> kind) & 1) == 1;
    const minMax = spec.recordMinMax ?? true;
    if (type == "drop") return undefined;
    if (type == "sum" || type == "last_value") return numberAggregator(type == "sum" ? "sum" : "gauge", isInt, kind > 3 && ((deltas >> kind) & 1) == 1);
    if (kind > 3) return null;
    if (type == "explicit_bucket_histogram") return histogramAggregator(boundsOf(boundaries), monotonic, minMax);
    // At least 2 buckets a side; scales within the spec's -10 to 20.
    if (type == "base2_exponential_bucket_histogram")
      return expAggregator(Math.max(2, (spec.maxSize ?? 160) | 0), Math.max(-10, Math.min(20, (spec.maxScale ?? 20) | 0)), monotonic, minMax);
    return null;
  }

  function createMeter(scope: InstrumentationScope): Meter {
    // Instruments by identity, streams by identity, and the stream names taken (case-insensitive).
    const instruments = new Map<string, { name: string; advice: string; api: object }>();
    const byId = new Map<string, Stream>();
    const names = new Set<string>();

    function stream(kind: number, view: number, name: string, description: string, unit: string, isInt: boolean, agg: Aggregator, keys: string[] | undefined, limit: number): Stream {
      const lower = name.toLowerCase();
      // Instruments that a view gives one identity share the view's stream, as identical instruments do.
      const id = JSON.stringify([lower, kind, unit, description, isInt, view]);
      let st = byId.get(id);
      if (!st) {
        // Two streams of one name: both are reported, as the spec asks. https://opentelemetry.io/docs/specs/otel/metrics/sdk/#duplicate-instrument-registration
        if (names.has(lower)) diag.warn(`edge-otel: duplicate metric ${name}; rename one with a view`);
        names.add(lower);
        const delta = ((deltas >> kind) & 1) == 1;
        byId.set(id, (st = createStream({ name, description, unit, scope, agg, keys, limit, delta, async: kind > 3, monotonic: ((MONOTONIC >> kind) & 1) == 1, diag })));
        streams.push(st);
      }
      return st;
    }

    const create =
      (kind: number) =>
      (name: string, opts?: MetricOptions): never => {
        if (typeof name != "string" || !NAME.test(name)) {
          diag.warn(`edge-otel: invalid instrument name ${JSON.stringify(name)}`);
          return NOOP as never;
        }
        opts ??= {};
        const unit = text(opts.unit);
        const description = text(opts.description);
        const isInt = opts.valueType === ValueType.INT;
        const advice = JSON.stringify(opts.advice?.explicitBucketBoundaries) ?? "";
        const id = JSON.stringify([name.toLowerCase(), kind, unit, description, isInt]);
        const found = instruments.get(id);
        if (found) {
          // Identical instruments are one, under the first name and advice seen.
          if (found.name != name || found.advice != advice) diag.warn(`edge-otel: duplicate instrument ${name}, using the first`);
          return found.api as never;
        }
        const type = TYPES[kind]!;
        const out: Stream[] = [];
        let applied = false;
        views.forEach((v, i) => {
          if (!viewMatches(v, name, type, scope)) return;
          const agg = aggregatorFor(kind, v.aggregation, isInt, opts.advice);
          if (agg === null) return diag.warn(`edge-otel: view does not apply to ${name}`);
          applied = true;
          if (agg) out.push(stream(kind, i, v.name ?? name, v.description ?? description, unit, isInt, agg, v.attributeKeys, v.cardinalityLimit == null ? defaultLimit : limitOf(v.cardinalityLimit)));
        });
        if (!applied) out.push(stream(kind, -1, name, description, unit, isInt, aggregatorFor(kind, undefined, isInt, opts.advice)!, undefined, defaultLimit));
        const min = (MONOTONIC >> kind) & 1 ? 0 : -Infinity;
        let api: object = NOOP;
        if (kind > 3) {
          const cbs = new Set<ObservableCallback>();
          observers.push({ name, min, streams: out, cbs });
          api = {
            addCallback: (cb: ObservableCallback) => typeof cb == "function" && cbs.add(cb),
            removeCallback: (cb: ObservableCallback) => cbs.delete(cb),
          };
        } else if (out.length) {
          const record = (value: number, attributes?: Attributes, context?: Context): void => {
            if (typeof value != "number" || !(value >= min)) return diag.warn(`edge-otel: invalid value for ${name}`);
            // Exemplars: null when the filter rules this measurement out (cheap: one context lookup).
            let sc: SpanContext | undefined | null = null;
            if (filter) {
              sc = getSpanContext(context ?? contextManager.active());
              if (filter == 1 && !(sc && sc.traceFlags & 1)) sc = null;
            }
            measure(out, value, attributes, sc);
          };
          api = { add: record, record };
        }
        instruments.set(id, { name, advice, api });
        return api as never;
      };

    return {
      createCounter: create(0),
      createUpDownCounter: create(1),
      createHistogram: create(2),
      createGauge: create(3),
      createObservableCounter: create(4),
      createObservableUpDownCounter: create(5),
      createObservableGauge: create(6),
    };
  }

  async function collect(): Promise<MetricData[]> {
    for (const st of streams) if (st.async) beginCycle(st);
    // Observations count only while this collection's callbacks run: https://opentelemetry.io/docs/specs/otel/metrics/sdk/#observations-inside-asynchronous-callbacks
    let open = true;
    const pending: Promise<unknown>[] = [];
    for (const { name, min, streams: out, cbs } of observers) {
      const fail = (e: unknown) => diag.warn(`edge-otel: metric callback of ${name} failed: ${e}`);
      const result = {
        observe(value: number, attributes?: Attributes) {
          if (open)
            if (typeof value != "number" || !(value >= min)) diag.warn(`edge-otel: invalid value for ${name}`);
            else measure(out, value, attributes, null);
        },
      };
      for (const cb of cbs) {
        try {
          const p = cb(result);
          if (p && typeof p.then == "function") pending.push(Promise.resolve(p).catch(fail));
        } catch (e) {
          fail(e);
        }
      }
    }
    if (pending.length) {
      // The spec asks for a bound on callbacks; this timer exists only while one's promise is pending.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = await Promise.race([Promise.all(pending).then(() => 0), new Promise((r) => (timer = setTimeout(() => r(1), o.callbackTimeoutMs ?? 1e4)))]);
      clearTimeout(timer);
      if (late) diag.warn("edge-otel: metric callbacks timed out");
    }
    open = false;
    const time = now();
    const out: MetricData[] = [];
    for (const st of streams) {
      const m = collectStream(st, time);
      if (m) out.push(m);
    }
    return out;
  }

  return {
    meter(name, version, options) {
      if (!o.enabled) return NOOP_METER;
      const scope = { name: text(name), version: version == null ? undefined : String(version), schemaUrl: options?.schemaUrl == null ? undefined : String(options.schemaUrl) };
      const key = JSON.stringify([scope.name, scope.version, scope.schemaUrl]);
      let m = meters.get(key);
      if (!m) meters.set(key, (m = createMeter(scope)));
      return m;
    },
    collect() {
      if (!o.enabled) return Promise.resolve([]);
      // One collection at a time: the callbacks of one finish before the next starts.
      const p = queue.then(collect).catch((e: unknown) => (diag.warn(`edge-otel: metric collection failed: ${e}`), []));
      queue = p;
      return p;
    },
  };
}
