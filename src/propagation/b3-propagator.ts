import type { Context } from "../context/context.ts";
import type { SpanContext } from "../trace/span-context.ts";
import type { TextMapGetter, TextMapPropagator, TextMapSetter } from "./propagator.ts";
import { getSpanContext, isSpanContextValid, isValidSpanId, isValidTraceId, setSpanContext } from "../trace/span-context.ts";
import { defaultTextMapGetter, defaultTextMapSetter, readField } from "./propagator.ts";

/** Options of the B3 propagator. */
export interface B3PropagatorOptions {
  /** Which form `inject` writes: the single `b3` header (OTEL_PROPAGATORS `b3`) or X-B3-* (`b3multi`). */
  injectEncoding?: "single" | "multi" | undefined;
}

// https://github.com/openzipkin/b3-propagation#single-header : {TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]]
const SINGLE = /^((?:[0-9a-f]{16}){1,2})-([0-9a-f]{16})(?:-([01d])(?:-[0-9a-f]{16})?)?$/;
const TRACE_ID = /^(?:[0-9a-f]{16}){1,2}$/;
const MULTI_FIELDS = ["x-b3-traceid", "x-b3-spanid", "x-b3-sampled", "x-b3-flags", "x-b3-parentspanid"];

/** A remote span context from B3 ids, or undefined when they are invalid. 64-bit trace ids are left-padded. */
function toSpanContext(traceId: string, spanId: string, sampled: boolean): SpanContext | undefined {
  const id = traceId.padStart(32, "0");
  if (!isValidTraceId(id) || !isValidSpanId(spanId)) return undefined;
  return { traceId: id, spanId, traceFlags: sampled ? 1 : 0, isRemote: true };
}

function extractSingle(getter: TextMapGetter, carrier: unknown): SpanContext | undefined {
  // A header of only a sampling state ("0", "d") carries no ids, so it yields no span context.
  const m = SINGLE.exec(readField(getter, carrier, "b3")?.trim() ?? "");
  // Debug ("d") implies sampled; an absent (deferred) state is sent on as not sampled, like OTel JS.
  return m ? toSpanContext(m[1], m[2], m[3] === "1" || m[3] === "d") : undefined;
}

// https://github.com/openzipkin/b3-propagation#multiple-headers
function extractMulti(getter: TextMapGetter, carrier: unknown): SpanContext | undefined {
  const traceId = readField(getter, carrier, "x-b3-traceid")?.trim();
  const spanId = readField(getter, carrier, "x-b3-spanid")?.trim();
  if (!traceId || !spanId || !TRACE_ID.test(traceId)) return undefined;
  const sampled = readField(getter, carrier, "x-b3-sampled")?.trim();
  // "true"/"false" come from older clients; any other value makes the headers invalid.
  const accepted = sampled === "1" || sampled === "true";
  if (!accepted && sampled !== undefined && sampled !== "0" && sampled !== "false") return undefined;
  // X-B3-Flags: 1 is debug, which implies sampled.
  return toSpanContext(traceId, spanId, accepted || readField(getter, carrier, "x-b3-flags")?.trim() === "1");
}

/**
 * Zipkin B3 propagation. Extract reads the single `b3` header first, then X-B3-*, whatever `injectEncoding` says.
 * https://github.com/openzipkin/b3-propagation
 */
export class B3Propagator implements TextMapPropagator {
  readonly #multi: boolean;
  constructor(options: B3PropagatorOptions = {}) {
    this.#multi = options.injectEncoding === "multi";
  }

  inject(ctx: Context, carrier: unknown, setter: TextMapSetter = defaultTextMapSetter): void {
    const sc = getSpanContext(ctx);
    if (!sc || !isSpanContextValid(sc)) return;
    const sampled = sc.traceFlags & 1 ? "1" : "0";
    if (!this.#multi) return setter.set(carrier, "b3", `${sc.traceId}-${sc.spanId}-${sampled}`);
    setter.set(carrier, "x-b3-traceid", sc.traceId);
    setter.set(carrier, "x-b3-spanid", sc.spanId);
    setter.set(carrier, "x-b3-sampled", sampled);
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter = defaultTextMapGetter): Context {
    const sc = extractSingle(getter, carrier) ?? extractMulti(getter, carrier);
    return sc ? setSpanContext(ctx, sc) : ctx;
  }

  fields(): string[] {
    return this.#multi ? [...MULTI_FIELDS] : ["b3"];
  }
}
