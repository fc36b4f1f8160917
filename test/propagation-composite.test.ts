import { describe, expect, it } from "vitest";
import { ROOT_CONTEXT, type Context } from "../src/context/context.ts";
import { B3Propagator } from "../src/propagation/b3-propagator.ts";
import { createBaggage, getBaggage, setBaggage } from "../src/propagation/baggage.ts";
import { W3CBaggagePropagator } from "../src/propagation/baggage-propagator.ts";
import { CompositePropagator } from "../src/propagation/composite-propagator.ts";
import { propagatorByName } from "../src/propagation/names.ts";
import type { TextMapPropagator } from "../src/propagation/propagator.ts";
import { W3CTraceContextPropagator } from "../src/propagation/trace-context-propagator.ts";
import { getSpanContext, setSpanContext } from "../src/trace/span-context.ts";

const W3C_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const B3_TRACE = "463ac35c9f6413ad48485a3953bb6124";
const SPAN = "00f067aa0ba902b7";
const tc = new W3CTraceContextPropagator();
const baggage = new W3CBaggagePropagator();
const b3 = new B3Propagator();
const both = { traceparent: `00-${W3C_TRACE}-${SPAN}-01`, b3: `${B3_TRACE}-${SPAN}-1`, baggage: "k=v" };

const throwing: TextMapPropagator = {
  inject() {
    throw new Error("inject");
  },
  extract() {
    throw new Error("extract");
  },
  fields: () => ["boom"],
};

describe("CompositePropagator", () => {
  it("injects through every propagator", () => {
    const ctx: Context = setBaggage(setSpanContext(ROOT_CONTEXT, { traceId: W3C_TRACE, spanId: SPAN, traceFlags: 1 }), createBaggage({ k: "v" }));
    const carrier: Record<string, string> = {};
    new CompositePropagator([tc, baggage, b3, throwing]).inject(ctx, carrier);
    expect(carrier).toEqual({ traceparent: `00-${W3C_TRACE}-${SPAN}-01`, baggage: "k=v", b3: `${W3C_TRACE}-${SPAN}-1` });
  });

  it("extracts in order, each on the previous result, so the last span context wins", () => {
    const w3cLast = new CompositePropagator([b3, baggage, tc]).extract(ROOT_CONTEXT, both);
    expect(getSpanContext(w3cLast)?.traceId).toBe(W3C_TRACE);
    expect(getBaggage(w3cLast)?.getEntry("k")).toEqual({ value: "v" });
    const b3Last = new CompositePropagator([tc, baggage, b3]).extract(ROOT_CONTEXT, both);
    expect(getSpanContext(b3Last)?.traceId).toBe(B3_TRACE);
    expect(getBaggage(b3Last)?.getEntry("k")).toEqual({ value: "v" });
  });

  it("keeps an earlier result when a later propagator finds nothing", () => {
    const ctx = new CompositePropagator([tc, b3]).extract(ROOT_CONTEXT, { traceparent: both.traceparent });
    expect(getSpanContext(ctx)?.traceId).toBe(W3C_TRACE);
  });

  it("skips a propagator that throws", () => {
    const composite = new CompositePropagator([throwing, tc, throwing]);
    expect(getSpanContext(composite.extract(ROOT_CONTEXT, both))?.traceId).toBe(W3C_TRACE);
    const carrier: Record<string, string> = {};
    expect(() => composite.inject(setSpanContext(ROOT_CONTEXT, { traceId: W3C_TRACE, spanId: SPAN, traceFlags: 0 }), carrier)).not.toThrow();
    expect(carrier.traceparent).toBe(`00-${W3C_TRACE}-${SPAN}-00`);
  });

  it("passes a custom getter and setter through", () => {
    const seen: string[] = [];
    const getter = { keys: () => [], get: (_: unknown, k: string) => (seen.push(k), undefined) };
    new CompositePropagator([tc, baggage]).extract(ROOT_CONTEXT, {}, getter);
    expect(seen).toEqual(["traceparent", "baggage"]);
    const written: string[] = [];
    const setter = { set: (_: unknown, k: string) => void written.push(k) };
    new CompositePropagator([b3]).inject(setSpanContext(ROOT_CONTEXT, { traceId: W3C_TRACE, spanId: SPAN, traceFlags: 1 }), {}, setter);
    expect(written).toEqual(["b3"]);
  });

  it("lists the union of fields without duplicates", () => {
    const multi = new B3Propagator({ injectEncoding: "multi" });
    const fields = new CompositePropagator([tc, baggage, tc, multi, b3]).fields();
    expect(fields).toEqual([...new Set([...tc.fields(), ...baggage.fields(), ...multi.fields(), ...b3.fields()])]);
    expect(new Set(fields).size).toBe(fields.length);
  });

  it("does nothing when empty", () => {
    const empty = new CompositePropagator();
    expect(empty.extract(ROOT_CONTEXT, both)).toBe(ROOT_CONTEXT);
    expect(empty.fields()).toEqual([]);
  });

  it("is not affected by later changes to the array it was given", () => {
    const list: TextMapPropagator[] = [tc];
    const composite = new CompositePropagator(list);
    list.push(b3);
    expect(composite.fields()).toEqual(tc.fields());
  });
});

describe("propagatorByName", () => {
  it("builds the OTEL_PROPAGATORS propagators on demand", () => {
    expect(propagatorByName("tracecontext")).toBeInstanceOf(W3CTraceContextPropagator);
    expect(propagatorByName("baggage")).toBeInstanceOf(W3CBaggagePropagator);
    expect(propagatorByName("b3")).toBeInstanceOf(B3Propagator);
    expect(propagatorByName("b3")?.fields()).toEqual(["b3"]);
    expect(propagatorByName("b3multi")?.fields()).toEqual(new B3Propagator({ injectEncoding: "multi" }).fields());
    expect(propagatorByName("tracecontext")).not.toBe(propagatorByName("tracecontext"));
  });

  it("returns undefined for names it does not implement", () => {
    for (const name of ["jaeger", "xray", "ottrace", "none", "", "TraceContext"]) expect(propagatorByName(name)).toBeUndefined();
  });
});
