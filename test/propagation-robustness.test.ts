// Regression tests from a correctness review of the propagators.
import { describe, expect, it } from "vitest";
import { ROOT_CONTEXT } from "../src/context/context.ts";
import { W3CBaggagePropagator } from "../src/propagation/baggage-propagator.ts";
import { createBaggage, getBaggage, setBaggage } from "../src/propagation/baggage.ts";

describe("W3C baggage values", () => {
  it("keep a leading U+FEFF: percent-decoding must not eat a byte-order mark", () => {
    const p = new W3CBaggagePropagator();
    const value = "\uFEFFv";
    const carrier: Record<string, string> = {};
    p.inject(setBaggage(ROOT_CONTEXT, createBaggage({ k: value })), carrier);
    expect(carrier["baggage"]).toBe("k=%EF%BB%BFv");
    expect(getBaggage(p.extract(ROOT_CONTEXT, carrier))?.getEntry("k")?.value).toBe(value);
  });

  it("a non-string value or metadata (from plain JS) is sent as text, and never costs the other entries", () => {
    const p = new W3CBaggagePropagator();
    const carrier: Record<string, string> = {};
    const bag = createBaggage({ n: { value: 5 as never }, m: { value: "x", metadata: 1 as never }, ok: "yes" });
    expect(() => p.inject(setBaggage(ROOT_CONTEXT, bag), carrier)).not.toThrow();
    expect(carrier["baggage"]).toBe("n=5,m=x;1,ok=yes");
  });
});
