import type { Context } from "../context/context.ts";
import { NonRecordingSpan } from "./non-recording-span.ts";
import type { Span } from "./span-api.ts";

/** W3C trace flags: bit 0 is `sampled`. */
export const TraceFlags = { NONE: 0, SAMPLED: 1 } as const;
/** A W3C trace-flags byte. */
export type TraceFlags = number;

/**
 * The identity of a span that crosses process boundaries. IDs are lowercase hex, as in `@opentelemetry/api`.
 * https://opentelemetry.io/docs/specs/otel/trace/api/#spancontext
 */
export interface SpanContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
  /** The serialized W3C tracestate header value, if any. */
  traceState?: TraceState | undefined;
  isRemote?: boolean | undefined;
}

/** W3C tracestate, kept in its serialized form; the propagator validates it. */
export interface TraceState {
  get(key: string): string | undefined;
  set(key: string, value: string): TraceState;
  unset(key: string): TraceState;
  serialize(): string;
}

const INVALID_TRACE_ID = "00000000000000000000000000000000";
const INVALID_SPAN_ID = "0000000000000000";
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/** True for a 32-hex-digit, non-zero trace id. */
export function isValidTraceId(id: string): boolean {
  return TRACE_ID.test(id) && id !== INVALID_TRACE_ID;
}

/** True for a 16-hex-digit, non-zero span id. */
export function isValidSpanId(id: string): boolean {
  return SPAN_ID.test(id) && id !== INVALID_SPAN_ID;
}

/** True when both ids of the span context are valid. */
export function isSpanContextValid(sc: SpanContext): boolean {
  return isValidTraceId(sc.traceId) && isValidSpanId(sc.spanId);
}

/** The span context that stands for "no span". */
export const INVALID_SPAN_CONTEXT: SpanContext = {
  traceId: INVALID_TRACE_ID,
  spanId: INVALID_SPAN_ID,
  traceFlags: TraceFlags.NONE,
};

// Symbol.for: two bundled copies of the SDK (say, a library and the app) still see each other's spans.
const SPAN_KEY: symbol = /*#__PURE__*/ Symbol.for("edge-otel.span");

/** The span stored in `ctx`, if any. */
export function getSpan(ctx: Context): Span | undefined {
  return ctx.getValue(SPAN_KEY) as Span | undefined;
}

/** A copy of `ctx` with `span` stored as its current span. */
export function setSpan(ctx: Context, span: Span): Context {
  return ctx.setValue(SPAN_KEY, span);
}

/** A copy of `ctx` without a span. */
export function deleteSpan(ctx: Context): Context {
  return ctx.deleteValue(SPAN_KEY);
}

/** The span context of the span stored in `ctx`, if any. */
export function getSpanContext(ctx: Context): SpanContext | undefined {
  return getSpan(ctx)?.spanContext();
}

/** A copy of `ctx` whose current span is a non-recording span with `sc`: how a remote parent enters a context. */
export function setSpanContext(ctx: Context, sc: SpanContext): Context {
  return setSpan(ctx, wrapSpanContext(sc));
}

/** A non-recording span that carries `sc`: how a span context becomes a span. */
export function wrapSpanContext(sc: SpanContext): Span {
  return new NonRecordingSpan(sc);
}
