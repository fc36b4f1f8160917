// A fetch wrapper that makes a CLIENT span per request and injects the trace context where allowed.
// https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-client
import type { Context } from "../context/context.ts";
import type { TextMapPropagator } from "../propagation/propagator.ts";
import { setSpan } from "../trace/span-context.ts";
import { SpanKind } from "../trace/span-record.ts";
import type { Tracer } from "../trace/tracer.ts";
import { endWith, headerAttributes, requestAttributes, setResponseStatus, type HeaderCapture } from "./http.ts";

/** Which outgoing URLs get trace headers: URL prefixes (strings), RegExps, or a function of the URL. */
export type PropagateTo = (string | RegExp)[] | ((url: string) => boolean);

/** True when `url` matches `rule` (a prefix string or a RegExp in the list, or the function). */
export function matchPropagateTo(rule: PropagateTo | undefined, url: string): boolean {
  return typeof rule == "function" ? !!rule(url) : !!rule?.some((r) => (typeof r == "string" ? url.startsWith(r) : r.test(url)));
}

/** What a traced fetch needs for one call; `undefined` from the resolver means "call fetch untraced". */
export interface FetchTrace {
  tracer: Tracer;
  /** The parent context of the client span. */
  context: Context;
  propagator: Pick<TextMapPropagator, "inject">;
  /** True when this URL may receive trace headers. */
  propagate(url: string): boolean;
  headers?: HeaderCapture | undefined;
}

/** The fetch signature the wrapper takes and returns (global fetch, a service binding's, a stub's). */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * Wraps `fetchFn`: each call asks `resolve` for the trace settings (none: plain call), starts a CLIENT span under
 * its context, injects the trace headers when the URL may have them, and ends the span when the response headers
 * arrive (status ≥ 400 or a throw is an error).
 */
export function instrumentFetch<F extends FetchLike>(fetchFn: F, resolve: () => FetchTrace | undefined): F {
  return function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
    const t = resolve();
    if (!t) return fetchFn.call(this, input, init);
    // A new Request has its own, writable headers: the caller's Request and Headers stay untouched.
    const request = new Request(input, init);
    const [name, attributes] = requestAttributes(request, false);
    const span = t.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, t.context);
    span.setAttributes(headerAttributes(request.headers, "request", t.headers?.request));
    if (t.propagate(request.url)) t.propagator.inject(setSpan(t.context, span), request.headers);
    return endWith(
      span,
      () => fetchFn.call(this, request),
      (response) => {
        setResponseStatus(span, response.status, false);
        span.setAttributes(headerAttributes(response.headers, "response", t.headers?.response));
      },
    );
  } as F;
}
