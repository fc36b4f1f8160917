import type { Context } from "../context/context.ts";
import type { TextMapGetter, TextMapPropagator, TextMapSetter } from "./propagator.ts";
import { injectFields, readField, setRemote } from "./propagator.ts";

/** Options of the B3 propagator. */
export interface B3PropagatorOptions {
  /** Which form `inject` writes: the single `b3` header (OTEL_PROPAGATORS `b3`) or X-B3-* (`b3multi`). */
  injectEncoding?: "single" | "multi" | undefined;
}

// https://github.com/openzipkin/b3-propagation#single-header : {TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]].
// setRemote checks the ids.
const SINGLE = /^(\w+)-(\w+)(?:-([01d])(?:-[\da-f]{16})?)?$/;
// https://github.com/openzipkin/b3-propagation#multiple-headers
const MULTI = /*#__PURE__*/ "traceid spanid sampled flags parentspanid".split(" ").map((f) => "x-b3-" + f);
// X-B3-Sampled: absent, then not sampled, then sampled ("true"/"false" come from older clients); any other value
// makes the headers invalid.
const SAMPLED = ["", "0", "false", "1", "true"];

/**
 * Zipkin B3 propagation. Extract reads the single `b3` header first, then X-B3-*, whatever `injectEncoding` says.
 * https://github.com/openzipkin/b3-propagation
 */
export class B3Propagator implements TextMapPropagator {
  readonly #fields: string[];
  constructor(options?: B3PropagatorOptions) {
    this.#fields = options?.injectEncoding == "multi" ? MULTI : ["b3"];
  }

  inject(ctx: Context, carrier: unknown, setter?: TextMapSetter): void {
    injectFields(ctx, carrier, setter, this.#fields, (sc, values = [sc.traceId, sc.spanId, "" + (sc.traceFlags & 1)]) =>
      this.#fields[1] ? values : [values.join("-")],
    );
  }

  extract(ctx: Context, carrier: unknown, getter?: TextMapGetter): Context {
    const read = (i: number) => readField(getter, carrier, MULTI[i]!);
    const m = SINGLE.exec(readField(getter, carrier, "b3")) ?? [];
    const sampled = SAMPLED.indexOf(read(2));
    // The multi headers first (the inner call), then the single header over them: it wins when valid.
    return setRemote(
      // An invalid X-B3-Sampled voids the trace id; X-B3-Flags 1 is debug, which implies sampled.
      setRemote(ctx, sampled < 0 ? "" : read(0), read(1), +(sampled > 2 || read(3) == "1")),
      // Debug ("d") implies sampled; an absent (deferred) state (undefined > "0" is false) is sent on as not sampled.
      // A state alone ("0", "d") carries no ids, so it yields no span context.
      m[1],
      m[2]!,
      +(m[3]! > "0"),
    );
  }

  fields(): string[] {
    return [...this.#fields];
  }
}
