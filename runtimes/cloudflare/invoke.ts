// One invocation: resolve the config, start the root span, run the handler with it active, end the root span
// (for fetch, when the body is sent), and flush once in the original waitUntil.
import { getAttribute } from "../../src/common/attributes.ts";
import type { Attributes } from "../../src/common/types.ts";
import type { Env } from "../../src/config/env.ts";
import { ROOT_CONTEXT, createContextKey, type Context } from "../../src/context/context.ts";
import { activeContext, registerTelemetry } from "../../src/global.ts";
import { instrumentFetch, matchPropagateTo, type FetchTrace } from "../../src/instrumentation/fetch.ts";
import { failSpan, headerAttributes, requestAttributes, setResponseStatus } from "../../src/instrumentation/http.ts";
import { flushAfter, settleWithin, watchBody, type WaitUntil } from "../../src/instrumentation/invocation.ts";
import { FAAS_COLDSTART, FAAS_INVOCATION_ID, FAAS_TRIGGER, HTTP_ROUTE } from "../../src/instrumentation/semconv.ts";
import { markWrappedFetch } from "../../src/otlp/original-fetch.ts";
import type { Link, Span } from "../../src/trace/span-api.ts";
import { setSpan } from "../../src/trace/span-context.ts";
import { SpanKind } from "../../src/trace/span-record.ts";
import type { Tracer } from "../../src/trace/tracer.ts";
import { resolve, type BindingsConfig, type ConfigSource, type Resolved, type Trigger } from "./config.ts";

/** The instrumentation scope of the adapter's own spans. */
export const SCOPE = "edge-otel/cloudflare";

/** What an instrumented invocation keeps in its context: its config and telemetry, and the inbound origin. */
export interface Invocation extends Resolved {
  origin?: string | undefined;
}

const INVOCATION = /*#__PURE__*/ createContextKey("edge-otel.cloudflare.invocation");

/** The invocation `ctx` belongs to (default: the active context), if any. */
export const invocationOf = (ctx: Context = activeContext()): Invocation | undefined => ctx.getValue(INVOCATION) as Invocation | undefined;

/** The adapter's tracer in an invocation's telemetry. */
export const tracerOf = (inv: Invocation): Tracer => inv.telemetry.tracer(SCOPE);

/** True when spans of binding kind `kind` are on in this invocation's config. */
export const bindingOn = (inv: Invocation, kind: keyof BindingsConfig): boolean => {
  const b = inv.config.bindings;
  return b !== false && b?.[kind] !== false;
};

/**
 * The trace settings for an outgoing fetch in the active invocation: the global fetch (`kind` undefined; its
 * propagateTo applies) or a binding's (always propagates). Undefined, so the call is plain, outside any invocation
 * or when switched off.
 */
export function fetchTrace(kind?: keyof BindingsConfig): FetchTrace | undefined {
  const context = activeContext();
  const inv = invocationOf(context);
  if (!inv || (kind ? !bindingOn(inv, kind) : inv.config.instrumentGlobalFetch === false)) return;
  const rule = inv.config.propagateTo;
  return {
    tracer: tracerOf(inv),
    context,
    propagator: inv.telemetry.propagation,
    propagate: (url) => !!kind || (rule ? matchPropagateTo(rule, url) : !!inv.origin && (url + "/").startsWith(inv.origin + "/")),
    headers: inv.config.headers,
  };
}

// The context of the latest invocation that received each execution context (explicit-context mode's handle).
const contexts = new WeakMap<object, Context>();

/**
 * The context of the invocation that received `ctx` (the handler's ExecutionContext, or a Durable Object's
 * `this.ctx`): without AsyncLocalStorage, pass it as the parent to spans started after an `await`. The root context
 * for an unknown `ctx`.
 */
export const invocationContext = (ctx: object): Context => contexts.get(ctx) ?? ROOT_CONTEXT;

/**
 * Runs `fn` with the invocation that received `ctx` active: without AsyncLocalStorage, the spans, fetches and
 * binding calls `fn` makes synchronously (say, `withInvocation(ctx, () => fetch(url))` after an await) join it.
 */
export function withInvocation<T>(ctx: object, fn: () => T): T {
  const context = contexts.get(ctx);
  return context ? invocationOf(context)!.contextManager.with(context, fn) : fn();
}

let cold = true;
let patched = false;

/** What a trigger contributes to its root span. */
export interface RootSpec {
  name: string;
  kind: SpanKind;
  attributes: Attributes;
  /** The extracted inbound context (default: the root context). */
  parent?: Context | undefined;
  links?: Link[] | undefined;
  /** The inbound origin (fetch), the default propagateTo. */
  origin?: string | undefined;
}

/** Ends a fetch root span's handling: status attributes, and the response whose body end ends the span. */
export type Respond<R> = (span: Span, inv: Invocation, result: R) => [R, Promise<unknown>];

/**
 * Runs one invocation. `ctx` is the runtime's original context (its waitUntil carries the flush); `userCtx` the one
 * the handler sees (the key of invocationContext); `settled` resolves when the user's waitUntil promises have.
 */
export async function invoke<R>(
  source: ConfigSource,
  env: Env,
  ctx: WaitUntil,
  userCtx: object,
  settled: (() => Promise<void>) | undefined,
  trigger: Trigger,
  spec: (inv: Resolved) => RootSpec,
  run: () => R | Promise<R>,
  respond?: Respond<R>,
): Promise<R> {
  let resolved: Resolved;
  try {
    resolved = await resolve(source, env, trigger);
  } catch (e) {
    // A broken config (a throwing config function, say) must not take the Worker down: run it untraced.
    console.warn(`edge-otel: config failed, running untraced: ${e}`);
    return run();
  }
  const { telemetry, config, contextManager } = resolved;
  registerTelemetry(telemetry);
  if (!patched && config.instrumentGlobalFetch !== false) {
    patched = true;
    const original = globalThis.fetch;
    globalThis.fetch = markWrappedFetch(instrumentFetch(original, fetchTrace), original);
  }
  const s = spec(resolved);
  const inv: Invocation = { ...resolved, origin: s.origin };
  const parent = s.parent ?? ROOT_CONTEXT;
  const span = tracerOf(inv).startSpan(s.name, { kind: s.kind, links: s.links, attributes: { ...s.attributes, [FAAS_COLDSTART]: cold } }, parent);
  cold = false;
  const cap = config.waitCapMs ?? 20_000;
  let ended: Promise<unknown> = Promise.resolve();
  try {
    const context = setSpan(parent, span).setValue(INVOCATION, inv);
    contexts.set(userCtx, context);
    let result: R = await contextManager.with(context, run);
    if (respond) [result, ended] = respond(span, inv, result);
    ended = settleWithin(ended, cap).then(() => {
      // A route set by the user (or a router) names the server span. https://opentelemetry.io/docs/specs/semconv/http/http-spans/#name
      const route = getAttribute((span as { attributes?: unknown[] }).attributes ?? [], HTTP_ROUTE);
      if (route) span.updateName(`${s.name} ${route}`);
      span.end();
    });
    return result;
  } catch (e) {
    failSpan(span, e);
    throw e;
  } finally {
    flushAfter(ctx, [ended, settled?.() as Promise<void>], cap, () => telemetry.flush());
  }
}

/** The root span of a fetch: SERVER, the HTTP attributes, the inbound trace context extracted. */
export const fetchSpec = (request: Request, { telemetry, config }: Resolved): RootSpec => {
  const headers = request.headers;
  const [name, attributes] = requestAttributes(request, true, headers.get("cf-connecting-ip"));
  return {
    name,
    kind: SpanKind.SERVER,
    attributes: {
      ...attributes,
      ...headerAttributes(headers, "request", config.headers?.request),
      [FAAS_TRIGGER]: "http",
      [FAAS_INVOCATION_ID]: headers.get("cf-ray") ?? undefined,
    },
    parent: telemetry.propagation.extract(headers, ROOT_CONTEXT),
    origin: new URL(request.url).origin,
  };
};

/** Records the response status (and chosen headers) and watches the body, whose end ends the root span. */
export const respondFetch: Respond<Response> = (span, inv, response) => {
  setResponseStatus(span, response.status, true);
  span.setAttributes(headerAttributes(response.headers, "response", inv.config.headers?.response));
  return watchBody(response);
};
