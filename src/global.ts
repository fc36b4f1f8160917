import { ROOT_CONTEXT, type Context } from "./context/context.ts";
import type { Logger } from "./logs/logger-api.ts";
import type { Meter, MetricOptions, Observable, ObservableCallback } from "./metrics/meter-api.ts";
import type { Telemetry } from "./telemetry.ts";
import { NonRecordingSpan } from "./trace/non-recording-span.ts";
import type { Span } from "./trace/span-api.ts";
import { INVALID_SPAN_CONTEXT, getSpanContext } from "./trace/span-context.ts";
import type { Tracer } from "./trace/tracer.ts";

// On globalThis rather than in a module variable, so two copies of the package in one bundle
// (a dependency pinned to another version, say) still share the running telemetry.
const KEY = /*#__PURE__*/ Symbol.for("edge-otel.telemetry");
type Holder = { [KEY]?: Telemetry | undefined };
const current = (): Telemetry | undefined => (globalThis as Holder)[KEY];

// Observables made at module scope must reach every telemetry registered later, because nothing
// calls them until a collection does.
const observables: ((t: Telemetry) => void)[] = [];

/**
 * Makes `telemetry` the one that getTracer, getMeter, getLogger and activeContext delegate to.
 * Runtime adapters call it; `undefined` unregisters.
 */
export function registerTelemetry(telemetry: Telemetry | undefined): void {
  if (current() === telemetry) return;
  (globalThis as Holder)[KEY] = telemetry;
  // A bind that fails (a telemetry without metrics, say) must not stop the adapter registering.
  if (telemetry)
    for (const bind of observables)
      try {
        bind(telemetry);
      } catch {}
}

/** The registered telemetry, if any. */
export const getTelemetry = current;

/** The active context of the registered telemetry; the root context outside any instrumented invocation. */
export const activeContext = (): Context => current()?.context.active() ?? ROOT_CONTEXT;

// Resolves a scoped object (tracer, meter, logger) once per telemetry, not once per call.
function scoped<T>(make: (t: Telemetry) => T): () => T | undefined {
  let owner: Telemetry | undefined;
  let value: T | undefined;
  return () => {
    const t = current();
    if (t !== owner) value = (owner = t) && make(t!);
    return value;
  };
}

/**
 * A tracer, safe at module scope: its spans go to the telemetry registered when they start, and are
 * silent non-recording spans outside any instrumented invocation.
 */
export function getTracer(name: string, version?: string): Tracer {
  const get = scoped((t) => t.tracer(name, version));
  return {
    startSpan: (n, o, c) => get()?.startSpan(n, o, c) ?? new NonRecordingSpan(getSpanContext(c ?? ROOT_CONTEXT) ?? INVALID_SPAN_CONTEXT),
    startActiveSpan(n: string, ...args: unknown[]) {
      const tracer = get();
      if (tracer) return (tracer.startActiveSpan as (...a: unknown[]) => unknown)(n, ...args);
      const fn = args.pop() as (span: Span) => unknown;
      return fn(new NonRecordingSpan(INVALID_SPAN_CONTEXT));
    },
  } as Tracer;
}

/** A meter, safe at module scope: its instruments record into the telemetry registered at each call. */
export function getMeter(name: string, version?: string): Meter {
  const meter = scoped((t) => t.meter(name, version));
  const sync =
    (create: keyof Meter, method: string) =>
    (instrument: string, options?: MetricOptions) => {
      const get = scoped(() => meter()?.[create](instrument, options) as Record<string, (...a: unknown[]) => void> | undefined);
      return { [method]: (...a: unknown[]) => get()?.[method]!(...a) };
    };
  const observable = (create: keyof Meter) => (instrument: string, options?: MetricOptions): Observable => {
    const callbacks = new Set<ObservableCallback>();
    const bound = new WeakSet<Telemetry>();
    const reals: Observable[] = [];
    const bind = (t: Telemetry) => {
      if (bound.has(t)) return;
      bound.add(t);
      const real = t.meter(name, version)[create](instrument, options) as Observable;
      reals.push(real);
      for (const cb of callbacks) real.addCallback(cb);
    };
    observables.push(bind);
    const t = current();
    if (t) bind(t);
    return {
      addCallback(cb) {
        callbacks.add(cb);
        for (const real of reals) real.addCallback(cb);
      },
      removeCallback(cb) {
        callbacks.delete(cb);
        for (const real of reals) real.removeCallback(cb);
      },
    };
  };
  return {
    createCounter: sync("createCounter", "add"),
    createUpDownCounter: sync("createUpDownCounter", "add"),
    createHistogram: sync("createHistogram", "record"),
    createGauge: sync("createGauge", "record"),
    createObservableCounter: observable("createObservableCounter"),
    createObservableUpDownCounter: observable("createObservableUpDownCounter"),
    createObservableGauge: observable("createObservableGauge"),
  } as unknown as Meter;
}

/** A logger, safe at module scope: records go to the telemetry registered when they are emitted, or nowhere. */
export function getLogger(name: string, version?: string): Logger {
  const get = scoped((t) => t.logger(name, version));
  return { emit: (record) => get()?.emit(record) };
}
