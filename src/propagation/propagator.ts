import type { Context } from "../context/context.ts";

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

type HeadersLike = { get(key: string): string | null | undefined; set(key: string, value: string): void };
type HeaderRecord = Record<string, unknown>;

const isObject = (c: unknown): c is object => typeof c === "object" && c !== null;
const hasFn = (c: object, name: "get" | "set" | "keys"): boolean => typeof (c as Record<string, unknown>)[name] === "function";

/**
 * Reads a Web `Headers` (anything with `get`) or a plain record. Record keys match case-insensitively and array
 * values (repeated headers) are joined with "," as HTTP combines them (https://www.rfc-editor.org/rfc/rfc9110#section-5.3).
 */
export const defaultTextMapGetter: TextMapGetter<unknown> = {
  keys(carrier) {
    if (!isObject(carrier)) return [];
    return hasFn(carrier, "keys") ? [...(carrier as { keys(): Iterable<string> }).keys()] : Object.keys(carrier);
  },
  get(carrier, key) {
    if (!isObject(carrier)) return undefined;
    if (hasFn(carrier, "get")) return (carrier as HeadersLike).get(key) ?? undefined;
    const rec = carrier as HeaderRecord;
    const lower = key.toLowerCase();
    let v = rec[lower];
    if (v === undefined) {
      for (const k in rec) {
        if (k.toLowerCase() === lower) {
          v = rec[k];
          break;
        }
      }
    }
    return Array.isArray(v) ? v.join(",") : typeof v === "string" ? v : undefined;
  },
};

/** Writes to a Web `Headers` (anything with `set`) or a plain record (lowercase key); never throws. */
export const defaultTextMapSetter: TextMapSetter<unknown> = {
  set(carrier, key, value) {
    if (!isObject(carrier)) return;
    // An immutable Headers (a received Request's) throws; propagation must not break the caller's request.
    try {
      if (hasFn(carrier, "set")) (carrier as HeadersLike).set(key, value);
      else (carrier as HeaderRecord)[key.toLowerCase()] = value;
    } catch {}
  },
};

/** One field read through `getter`, with repeated values joined by ","; `undefined` when absent. */
export function readField(getter: TextMapGetter, carrier: unknown, key: string): string | undefined {
  const v = getter.get(carrier, key);
  return Array.isArray(v) ? v.join(",") : typeof v === "string" ? v : undefined;
}
