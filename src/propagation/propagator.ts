import type { Context } from "../context/context.ts";
import type { SpanContext, TraceState } from "../trace/span-context.ts";
import {
  getSpanContext,
  isSpanContextValid,
  isValidSpanId,
  isValidTraceId,
  setSpanContext,
} from "../trace/span-context.ts";

/** Reads fields from a carrier; the same shape as `TextMapGetter` in `@opentelemetry/api`. */
export interface TextMapGetter<Carrier = any> {
  keys(carrier: Carrier): string[];
  get(carrier: Carrier, key: string): string | string[] | undefined;
}

/** Writes fields to a carrier; the same shape as `TextMapSetter` in `@opentelemetry/api`. */
export interface TextMapSetter<Carrier = any> {
  set(carrier: Carrier, key: string, value: string): void;
}

/**
 * Moves context to and from string key/value carriers such as HTTP headers. The same shape as `@opentelemetry/api`.
 * https://opentelemetry.io/docs/specs/otel/context/api-propagators/#textmap-propagator
 */
export interface TextMapPropagator<Carrier = any> {
  inject(ctx: Context, carrier: Carrier, setter?: TextMapSetter<Carrier>): void;
  extract(ctx: Context, carrier: Carrier, getter?: TextMapGetter<Carrier>): Context;
  fields(): string[];
}

// Repeated headers (an array) are joined with "," as HTTP combines them:
// https://www.rfc-editor.org/rfc/rfc9110#section-5.3
const text = (v: unknown): string | undefined => (Array.isArray(v) ? v.join() : typeof v == "string" ? v : undefined);
const has = (c: any, method: string): boolean => typeof c?.[method] == "function";

/**
 * Reads a Web `Headers` (anything with `get`) or a plain record, whose keys match case-insensitively (the first match
 * wins); array values are joined with ",". Other carriers read as empty.
 */
export const defaultTextMapGetter: TextMapGetter<unknown> = {
  keys: (c: any) => (has(c, "keys") ? [...c.keys()] : Object.keys(c ?? 0)),
  get(c: any, key) {
    if (has(c, "get")) return text(c.get(key));
    for (const k in c) if (k.toLowerCase() == key.toLowerCase()) return text(c[k]);
  },
};

/** Writes to a Web `Headers` (anything with `set`) or a plain record (lowercase key); never throws. */
export const defaultTextMapSetter: TextMapSetter<unknown> = {
  set(c: any, key, value) {
    // Odd carriers, frozen records and immutable Headers (a received Request's) throw: propagation must not break
    // the caller's request.
    try {
      has(c, "set") ? c.set(key, value) : (c[key.toLowerCase()] = value);
    } catch {}
  },
};

/** One field read through `getter` (default: defaultTextMapGetter), arrays joined by ",", trimmed; "" when absent. */
export const readField = (getter: TextMapGetter = defaultTextMapGetter, carrier: unknown, key: string): string =>
  (text(getter.get(carrier, key)) ?? "").trim();

/**
 * `ctx` with a remote parent made of these ids, or `ctx` itself when an id is invalid. 64-bit (B3) trace ids are
 * left-padded to 128 bits (isValidTraceId then checks the digits).
 */
export const setRemote = (
  ctx: Context,
  traceId = "",
  spanId: string,
  traceFlags: number,
  traceState?: TraceState,
): Context =>
  traceId.length % 16 < 1 && isValidTraceId((traceId = traceId.padStart(32, "0"))) && isValidSpanId(spanId)
    ? setSpanContext(ctx, { traceId, spanId, traceFlags, traceState, isRemote: true })
    : ctx;

/** Writes `values(sc)` to `fields` (an empty value is skipped) when `ctx` holds a valid span context. */
export const injectFields = (
  ctx: Context,
  carrier: unknown,
  setter: TextMapSetter = defaultTextMapSetter,
  fields: string[],
  values: (sc: SpanContext) => (string | undefined)[],
): void => {
  const sc = getSpanContext(ctx);
  if (sc && isSpanContextValid(sc)) values(sc).map((v, i) => v && setter.set(carrier, fields[i]!, v));
};
