import type { Context } from "../context/context.ts";
import type { TextMapGetter, TextMapPropagator, TextMapSetter } from "./propagator.ts";

/**
 * Runs several propagators as one: inject calls each, extract runs them in order on the previous one's result (so a
 * later one's span context wins), fields is the union. A propagator that throws is skipped: propagation must never
 * break the caller. https://opentelemetry.io/docs/specs/otel/context/api-propagators/#composite-propagator
 */
export class CompositePropagator implements TextMapPropagator {
  readonly #list: readonly TextMapPropagator[];
  constructor(propagators: readonly TextMapPropagator[] = []) {
    this.#list = [...propagators];
  }

  inject(ctx: Context, carrier: unknown, setter?: TextMapSetter): void {
    for (const p of this.#list)
      try {
        p.inject(ctx, carrier, setter);
      } catch {}
  }

  extract(ctx: Context, carrier: unknown, getter?: TextMapGetter): Context {
    for (const p of this.#list)
      try {
        ctx = p.extract(ctx, carrier, getter);
      } catch {}
    return ctx;
  }

  fields(): string[] {
    return [...new Set(this.#list.flatMap((p) => p.fields()))];
  }
}
