import type { Context } from "../context/context.ts";
import type { SpanContext } from "../trace/span-context.ts";
import type { TextMapGetter, TextMapPropagator, TextMapSetter } from "./propagator.ts";
import { getSpanContext, isSpanContextValid, isValidSpanId, isValidTraceId, setSpanContext } from "../trace/span-context.ts";
import { createTraceState } from "../trace/trace-state.ts";
import { defaultTextMapGetter, defaultTextMapSetter, readField } from "./propagator.ts";

// The layout every version shares: version, trace-id, parent-id, flags, then (future versions only) "-" and more.
// https://www.w3.org/TR/trace-context/#traceparent-header-field-values
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** Parses a traceparent header value into a remote span context; undefined when invalid. */
function parseTraceparent(raw: string): SpanContext | undefined {
  // trim(): the W3C test suite sends leading and trailing OWS, which HTTP does not count as part of the value.
  const m = TRACEPARENT.exec(raw.trim());
  if (!m) return undefined;
  const version = m[1];
  // Version ff is invalid and version 00 is exactly 55 characters.
  // https://www.w3.org/TR/trace-context/#versioning-of-traceparent
  if (version === "ff" || (version === "00" && m[5] !== undefined)) return undefined;
  if (!isValidTraceId(m[2]) || !isValidSpanId(m[3])) return undefined;
  // A higher version's flags may mean something else: only the sampled bit is read.
  const flags = parseInt(m[4], 16);
  return { traceId: m[2], spanId: m[3], traceFlags: version === "00" ? flags : flags & 1, isRemote: true };
}

/**
 * W3C Trace Context: the `traceparent` and `tracestate` headers.
 * https://www.w3.org/TR/trace-context/
 */
export class W3CTraceContextPropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter = defaultTextMapSetter): void {
    const sc = getSpanContext(ctx);
    if (!sc || !isSpanContextValid(sc)) return;
    // Only sampled (0x01) and random (0x02, Level 2) are defined; other bits MUST be sent as zero.
    // https://www.w3.org/TR/trace-context-2/#trace-flags
    setter.set(carrier, "traceparent", `00-${sc.traceId}-${sc.spanId}-0${(sc.traceFlags & 3).toString(16)}`);
    const state = sc.traceState?.serialize();
    if (state) setter.set(carrier, "tracestate", state);
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter = defaultTextMapGetter): Context {
    const parent = readField(getter, carrier, "traceparent");
    const sc = parent ? parseTraceparent(parent) : undefined;
    // Without a valid traceparent, tracestate is ignored too. https://www.w3.org/TR/trace-context/#tracestate-header
    if (!sc) return ctx;
    const raw = readField(getter, carrier, "tracestate");
    const state = raw ? createTraceState(raw) : undefined;
    if (state?.serialize()) sc.traceState = state;
    return setSpanContext(ctx, sc);
  }

  fields(): string[] {
    return ["traceparent", "tracestate"];
  }
}

/** A shared W3C Trace Context propagator. */
export const w3cTraceContextPropagator: TextMapPropagator = /*#__PURE__*/ new W3CTraceContextPropagator();
