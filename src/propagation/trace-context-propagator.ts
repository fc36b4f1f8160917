import type { Context } from "../context/context.ts";
import type { TextMapGetter, TextMapPropagator, TextMapSetter } from "./propagator.ts";
import { createTraceState } from "../trace/trace-state.ts";
import { injectFields, readField, setRemote } from "./propagator.ts";

const FIELDS = ["traceparent", "tracestate"];
// version-traceid-parentid-flags, then for future versions only "-" and more: version ff is invalid and version 00
// is exactly 55 characters. https://www.w3.org/TR/trace-context/#traceparent-header-field-values and
// https://www.w3.org/TR/trace-context/#versioning-of-traceparent . setRemote checks the ids' digits.
const TRACEPARENT = /^(?!ff|00.{54})([\da-f]{2})-(\w{32})-(\w+)-([\da-f]{2})(-|$)/;

/**
 * W3C Trace Context: the `traceparent` and `tracestate` headers.
 * https://www.w3.org/TR/trace-context/
 */
export class W3CTraceContextPropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter?: TextMapSetter): void {
    // Only sampled (0x01) and random (0x02, Level 2) are defined; other bits MUST be sent as zero.
    // https://www.w3.org/TR/trace-context-2/#trace-flags
    injectFields(ctx, carrier, setter, FIELDS, (sc) => [
      `00-${sc.traceId}-${sc.spanId}-0${sc.traceFlags & 3}`,
      sc.traceState?.serialize(),
    ]);
  }

  extract(ctx: Context, carrier: unknown, getter?: TextMapGetter): Context {
    // readField trims: the W3C test suite sends leading and trailing OWS, which HTTP does not count as the value.
    const m = TRACEPARENT.exec(readField(getter, carrier, FIELDS[0]!));
    // Without a valid traceparent, tracestate is ignored too. https://www.w3.org/TR/trace-context/#tracestate-header
    const state = m && createTraceState(readField(getter, carrier, FIELDS[1]!));
    return m
      ? // A higher version's flags may mean something else: only the sampled bit is read.
        setRemote(ctx, m[2], m[3], +("0x" + m[4]) & (m[1] == "00" ? 255 : 1), state!.serialize() ? state! : undefined)
      : ctx;
  }

  fields(): string[] {
    return [...FIELDS];
  }
}

/** A shared W3C Trace Context propagator. */
export const w3cTraceContextPropagator: TextMapPropagator = /*#__PURE__*/ new W3CTraceContextPropagator();
