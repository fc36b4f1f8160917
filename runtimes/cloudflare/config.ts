// Configuration of the Cloudflare adapter: the config object or function, the telemetry it gives (one per
// isolate per distinct config), the resource, and the isolate's context manager.
import type { Attributes } from "../../src/common/types.ts";
import { envString, type Env } from "../../src/config/env.ts";
import type { Context } from "../../src/context/context.ts";
import {
  AsyncLocalStorageContextManager,
  ExplicitContextManager,
  type AsyncLocalStorageLike,
  type ContextManager,
} from "../../src/context/context-manager.ts";
import type { HeaderCapture } from "../../src/instrumentation/http.ts";
import type { PropagateTo } from "../../src/instrumentation/fetch.ts";
import { createTelemetry, type Telemetry, type TelemetryConfig } from "../../src/telemetry.ts";
import type { SpanProcessor } from "../../src/trace/span-processor.ts";
import { TailSamplingProcessor, type TailSampler } from "../../src/trace/tail-sampling-processor.ts";
import { importBuiltin } from "./import-builtin.js";

/** Binding kinds that get spans; each can be switched off. */
export interface BindingsConfig {
  kv?: boolean;
  r2?: boolean;
  d1?: boolean;
  /** Queue producers: a PRODUCER span, and the trace context goes into plain-object message bodies. */
  queue?: boolean;
  /** Durable Object stubs: fetch and RPC calls. */
  durableObjects?: boolean;
  /** Service bindings: fetch and RPC calls. */
  services?: boolean;
}

/** The adapter's configuration: every option of `createTelemetry` (but `env`, read from the bindings), plus these. */
export interface CloudflareConfig extends Omit<TelemetryConfig, "env" | "contextManager" | "detectedResource"> {
  /**
   * Outgoing fetch URLs that get trace headers: URL prefixes, RegExps, or a function of the URL.
   * Default: the incoming request's origin. Service bindings and Durable Object stubs always get them.
   */
  propagateTo?: PropagateTo | undefined;
  /** false leaves `globalThis.fetch` alone (no CLIENT spans for it). Default true. */
  instrumentGlobalFetch?: boolean | undefined;
  /** Binding spans: false for none, or per kind. Default: all. */
  bindings?: false | BindingsConfig | undefined;
  /** Request and response headers to record (none by default). */
  headers?: HeaderCapture | undefined;
  /**
   * Decides, when a trace's local root span ends, whether its spans are exported (default: all recorded spans are).
   * To keep errored traces head sampling would drop, use a head sampler that records (RECORD) instead of dropping.
   */
  tailSampler?: TailSampler | undefined;
  /**
   * How long, after the handler returns, the flush waits for a streamed body and the user's waitUntil promises;
   * the root span ends then at the latest. Default 20000 ms (Workers allow 30 s of waitUntil).
   */
  waitCapMs?: number | undefined;
}

/**
 * What started an invocation, as the config function sees it: the Request (fetch), the controller (scheduled),
 * the batch (queue), the message (email) or the events (tail); for Durable Object and RPC handlers the method
 * name ("alarm", "webSocketMessage", an RPC method).
 */
export type Trigger = Request | object | string;

/** A config object, or a function of the Worker's env and the trigger that returns one. */
export type ConfigSource<E = any> = CloudflareConfig | ((env: E, trigger: Trigger) => CloudflareConfig);

/** A config made concrete for one invocation, with its telemetry. */
export interface Resolved {
  config: CloudflareConfig;
  telemetry: Telemetry;
  contextManager: ContextManager;
}

// What an AsyncLocalStorage class constructs: the slice the context manager uses.
type AlsClass = new () => AsyncLocalStorageLike<Context>;

let manager: Promise<ContextManager> | undefined;

/**
 * The isolate's context manager: over AsyncLocalStorage when the runtime offers it (Workers: the nodejs_als or
 * nodejs_compat flag), else explicit. Looked up on the first invocation, never at import.
 */
export function contextManager(): Promise<ContextManager> {
  return (manager ??= (async () => {
    const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => { AsyncLocalStorage?: AlsClass } } }).process;
    let Als = process?.getBuiltinModule?.("node:async_hooks")?.AsyncLocalStorage;
    try {
      Als ??= (await importBuiltin("node:async_hooks")).AsyncLocalStorage;
    } catch {}
    return Als ? new AsyncLocalStorageContextManager(new Als()) : new ExplicitContextManager();
  })());
}

// Distinct configs by their serialization: functions by source, RegExps and class instances (samplers,
// propagators) by their class, text and fields, so a config function that returns equal objects reuses one telemetry.
const keyOf = (config: CloudflareConfig, env: Env): string =>
  JSON.stringify([config, Object.entries(env).filter(([k]) => k.startsWith("OTEL_"))], (_, v) =>
    v instanceof Object && v.constructor != Object && !Array.isArray(v) ? [v.constructor?.name, String(v), { ...v }] : v,
  );

const telemetries = new Map<string, Telemetry>();
let last: [ConfigSource, Env, Resolved] | undefined;

/** The config for this invocation and its telemetry: made on first use, then reused while the config is the same. */
export async function resolve(source: ConfigSource, env: Env, trigger: Trigger): Promise<Resolved> {
  // The common case, a config object and the isolate's one env, skips the serialization.
  if (last?.[0] === source && last[1] === env) return last[2];
  const config = typeof source == "function" ? source(env, trigger) : source;
  const cm = await contextManager();
  const key = keyOf(config, env);
  let telemetry = telemetries.get(key);
  if (!telemetry) {
    // A config that differs at every invocation must not grow the isolate's memory without end.
    if (telemetries.size > 7) telemetries.delete(telemetries.keys().next().value!);
    const tail = config.tailSampler;
    telemetries.set(
      key,
      (telemetry = createTelemetry({
        ...config,
        env,
        contextManager: cm,
        detectedResource: detectResource(config, env),
        // The core's hook for wrapping its span processor (TelemetryConfig.wrapSpanProcessor, requested of the core).
        ...(tail && { wrapSpanProcessor: (p: SpanProcessor) => new TailSamplingProcessor(p, tail) }),
      } as TelemetryConfig)),
    );
  }
  const resolved = { config, telemetry, contextManager: cm };
  if (config === source) last = [source, env, resolved];
  return resolved;
}

/**
 * cloud.provider, cloud.platform, faas.name (the service name) and faas.version (the version id from a version
 * metadata binding, if there is one). https://opentelemetry.io/docs/specs/semconv/resource/faas/
 */
function detectResource(config: CloudflareConfig, env: Env): Attributes {
  let version: string | undefined;
  for (const k in env) {
    const v = env[k] as unknown as { id?: unknown; timestamp?: unknown } | undefined;
    if (v && Object.getPrototypeOf(v) == Object.prototype && typeof v.id == "string" && "timestamp" in v) version = v.id;
  }
  return {
    "cloud.provider": "cloudflare",
    "cloud.platform": "cloudflare.workers",
    "faas.name": config.service?.name || envString(env, "OTEL_SERVICE_NAME"),
    "faas.version": version,
  };
}
