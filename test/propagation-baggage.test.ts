import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ROOT_CONTEXT, type Context } from "../src/context/context.ts";
import { createBaggage, deleteBaggage, getBaggage, setBaggage, type BaggageEntry } from "../src/propagation/baggage.ts";
import { W3CBaggagePropagator, w3cBaggagePropagator } from "../src/propagation/baggage-propagator.ts";

const propagator = new W3CBaggagePropagator();

function extract(carrier: unknown): Record<string, BaggageEntry> | undefined {
  const bag = getBaggage(propagator.extract(ROOT_CONTEXT, carrier));
  return bag && Object.fromEntries(bag.getAllEntries());
}

function inject(entries: Record<string, BaggageEntry | string>): string | undefined {
  const carrier: Record<string, string> = {};
  propagator.inject(setBaggage(ROOT_CONTEXT, createBaggage(entries)), carrier);
  return carrier.baggage;
}

describe("Baggage", () => {
  it("creates from strings and entries, and reads entries back", () => {
    const bag = createBaggage({ a: "1", b: { value: "2", metadata: "p=1" } });
    expect(bag.getEntry("a")).toEqual({ value: "1" });
    expect(bag.getEntry("b")).toEqual({ value: "2", metadata: "p=1" });
    expect(bag.getEntry("c")).toBeUndefined();
    expect(bag.getAllEntries()).toEqual([
      ["a", { value: "1" }],
      ["b", { value: "2", metadata: "p=1" }],
    ]);
    expect(createBaggage().getAllEntries()).toEqual([]);
  });

  it("is immutable: setEntry and removeEntry return new baggage, entries are copies", () => {
    const entry: BaggageEntry = { value: "1" };
    const a = createBaggage({ a: entry });
    entry.value = "changed";
    const b = a.setEntry("b", { value: "2" });
    const c = b.removeEntry("a");
    expect(a.getAllEntries().map(([k]) => k)).toEqual(["a"]);
    expect(a.getEntry("a")?.value).toBe("1");
    expect(b.getAllEntries().map(([k]) => k)).toEqual(["a", "b"]);
    expect(c.getAllEntries().map(([k]) => k)).toEqual(["b"]);
    a.getEntry("a")!.value = "mutated";
    a.getAllEntries()[0]![1].value = "mutated";
    expect(a.getEntry("a")?.value).toBe("1");
    expect(c.removeEntry("absent")).toBe(c);
  });

  it("lives in a context under a shared key", () => {
    const bag = createBaggage({ a: "1" });
    const ctx = setBaggage(ROOT_CONTEXT, bag);
    expect(getBaggage(ctx)).toBe(bag);
    expect(getBaggage(ROOT_CONTEXT)).toBeUndefined();
    expect(getBaggage(deleteBaggage(ctx))).toBeUndefined();
    expect(ctx.getValue(Symbol.for("edge-otel.baggage"))).toBe(bag);
  });
});

describe("baggage extract", () => {
  it("reads members, with OWS around members, '=' and ';'", () => {
    expect(extract({ baggage: "k1=v1,k2=v2" })).toEqual({ k1: { value: "v1" }, k2: { value: "v2" } });
    expect(extract({ baggage: " k1 \t= v1 ,\tk2=v2\t" })).toEqual({ k1: { value: "v1" }, k2: { value: "v2" } });
    expect(extract({ baggage: "k=" })).toEqual({ k: { value: "" } });
  });

  it("keeps properties as raw metadata", () => {
    expect(extract({ baggage: "k=v;p1=x;p2" })).toEqual({ k: { value: "v", metadata: "p1=x;p2" } });
    expect(extract({ baggage: "k=v ; p1 = x ;p2 " })).toEqual({ k: { value: "v", metadata: "p1 = x ;p2" } });
  });

  it("percent-decodes values as UTF-8 but leaves keys alone", () => {
    const text = "héllo, wörld; ✓ 100% 🙂";
    expect(extract({ baggage: `k=${encodeURIComponent(text)}` })?.k?.value).toBe(text);
    expect(extract({ baggage: "k%41=1" })).toEqual({ "k%41": { value: "1" } });
    expect(extract({ baggage: "k=%e2%9c%93" })?.k?.value).toBe("✓");
  });

  it("skips members with malformed percent escapes, keeping the others", () => {
    for (const bad of ["%", "%4", "%zz", "a%g1", "100%"]) {
      expect(extract({ baggage: `bad=${bad},good=1` })).toEqual({ good: { value: "1" } });
    }
  });

  it("replaces bytes that are not UTF-8 with U+FFFD", () => {
    expect(extract({ baggage: "k=a%FFb" })?.k?.value).toBe("a\uFFFDb");
  });

  it("skips members with an invalid key, value or property", () => {
    for (const bad of ["=v", "k y=v", "k@=v", "k(=v", "k", "k=a b", 'k="v"', "k=a\\b", "k=\u00e9", "k=v;=p", "k=v;p q", "k=v;p=a b"]) {
      expect(extract({ baggage: `${bad},ok=1` })).toEqual({ ok: { value: "1" } });
    }
  });

  it("returns the context unchanged when nothing is valid or the carrier is odd", () => {
    for (const carrier of [{ baggage: "" }, { baggage: " , " }, { baggage: "k y=v" }, {}, null, 3, "baggage"]) {
      expect(propagator.extract(ROOT_CONTEXT, carrier)).toBe(ROOT_CONTEXT);
    }
  });

  it("replaces baggage already in the context", () => {
    const ctx = setBaggage(ROOT_CONTEXT, createBaggage({ old: "1" }));
    const bag = getBaggage(propagator.extract(ctx, { baggage: "new=2" }));
    expect(bag?.getAllEntries()).toEqual([["new", { value: "2" }]]);
  });

  it("merges repeated headers from arrays and Headers, in any header-name case", () => {
    expect(extract({ Baggage: ["a=1", "b=2,c=3"] })).toEqual({ a: { value: "1" }, b: { value: "2" }, c: { value: "3" } });
    const headers = new Headers();
    headers.append("BAGGAGE", "a=1");
    headers.append("baggage", "b=2");
    expect(extract(headers)).toEqual({ a: { value: "1" }, b: { value: "2" } });
  });

  it("the last of duplicate keys wins", () => {
    expect(extract({ baggage: "k=1,k=2" })).toEqual({ k: { value: "2" } });
  });

  it("treats keys such as __proto__ as plain keys", () => {
    expect(getBaggage(propagator.extract(ROOT_CONTEXT, { baggage: "__proto__=1" }))?.getEntry("__proto__")).toEqual({ value: "1" });
  });

  it("keeps at most 64 members", () => {
    const members = Array.from({ length: 65 }, (_, i) => `k${i}=${i}`);
    const got = extract({ baggage: members.join(",") })!;
    expect(Object.keys(got)).toEqual(members.slice(0, 64).map((m) => m.split("=")[0]));
  });

  it("keeps at most 8192 bytes of whole members, skipping those that do not fit", () => {
    const big = (i: number) => `k${i}=${"v".repeat(2500)}`;
    const header = [big(0), big(1), big(2), big(3), "small=1"].join(",");
    // Three big members and their commas fit; a fourth would pass 8192, "small=1" still fits after them.
    const three = [big(0), big(1), big(2)].join(",").length;
    expect(three + 1 + big(3).length).toBeGreaterThan(8192);
    expect(three + 1 + "small=1".length).toBeLessThanOrEqual(8192);
    const got = extract({ baggage: header })!;
    expect(Object.keys(got)).toEqual(["k0", "k1", "k2", "small"]);
    expect(got.k0?.value).toBe("v".repeat(2500));
  });
});

describe("baggage inject", () => {
  it("writes members with metadata", () => {
    expect(inject({ a: "1", b: { value: "2", metadata: "p1=x;p2" } })).toBe("a=1,b=2;p1=x;p2");
  });

  it("writes nothing for no or empty baggage", () => {
    const carrier: Record<string, string> = {};
    propagator.inject(ROOT_CONTEXT, carrier);
    expect(carrier).toEqual({});
    expect(inject({})).toBeUndefined();
  });

  it("percent-encodes what is not a baggage-octet, and '%'", () => {
    const header = inject({ k: 'a b,c;d"e\\f%g=h✓' })!;
    expect(header).toBe(`k=a%20b%2Cc%3Bd%22e%5Cf%25g=h${encodeURIComponent("✓")}`);
    expect(header).toMatch(/^k=[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/);
  });

  it("never throws on a lone surrogate; it becomes U+FFFD", () => {
    const header = inject({ k: "a\ud800b" });
    expect(extract({ baggage: header })?.k?.value).toBe("a\uFFFDb");
  });

  it("skips keys that are not tokens and drops malformed metadata", () => {
    expect(inject({ "bad key": "1", ok: "2" })).toBe("ok=2");
    expect(inject({ k: { value: "1", metadata: "p,q" } })).toBe("k=1");
    expect(inject({ k: { value: "1", metadata: " p=1 " } })).toBe("k=1;p=1");
  });

  it("writes at most 64 members", () => {
    const entries = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, String(i)]));
    const members = inject(entries)!.split(",");
    expect(members).toEqual(Object.entries(entries).slice(0, 64).map(([k, v]) => `${k}=${v}`));
  });

  it("writes at most 8192 bytes of whole members", () => {
    const v = "v".repeat(3000);
    const header = inject({ a: v, b: v, c: v, small: "1" })!;
    expect(header).toBe(`a=${v},b=${v},small=1`);
    expect(header.length).toBeLessThanOrEqual(8192);
  });

  it("counts encoded bytes towards the limit", () => {
    // 1000 "✓" encode to 9000 bytes: more than the whole header may hold.
    expect(inject({ k: "✓".repeat(1000), ok: "1" })).toBe("ok=1");
  });

  it("re-injects the baggage it extracted, which reads back as an immutable Baggage", () => {
    const header = "a=1;p=x,b=%E2%9C%93";
    const ctx = propagator.extract(ROOT_CONTEXT, { baggage: header });
    const carrier: Record<string, string> = {};
    propagator.inject(ctx, carrier);
    expect(carrier.baggage).toBe(header);
    const bag = getBaggage(ctx)!;
    bag.setEntry("c", { value: "3" }).removeEntry("a");
    bag.getEntry("a")!.value = "changed";
    expect(getBaggage(ctx)?.getAllEntries()).toEqual([
      ["a", { value: "1", metadata: "p=x" }],
      ["b", { value: decodeURIComponent("%E2%9C%93") }],
    ]);
  });

  it("writes to Headers", () => {
    const headers = new Headers();
    propagator.inject(setBaggage(ROOT_CONTEXT, createBaggage({ a: "1" })), headers);
    expect(headers.get("Baggage")).toBe("a=1");
    expect(propagator.fields()).toEqual(["baggage"]);
    expect(w3cBaggagePropagator.fields()).toEqual(["baggage"]);
  });
});

describe("baggage round trip", () => {
  const token = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/);
  const property = fc.oneof(token, fc.tuple(token, fc.stringMatching(/^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]{0,8}$/)).map(([k, v]) => `${k}=${v}`));

  it("extract(inject(x)) == x for unicode values with commas, semicolons and percents", () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          token,
          fc.record(
            {
              value: fc.string({ unit: fc.oneof(fc.constantFrom(",", ";", "%", " ", "=", '"', "\\"), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })), maxLength: 20 }),
              metadata: fc.array(property, { minLength: 1, maxLength: 3 }).map((p) => p.join(";")),
            },
            { requiredKeys: ["value"] },
          ),
          { maxKeys: 20, noNullPrototype: true },
        ),
        fc.boolean(),
        (entries, useHeaders) => {
          const carrier = useHeaders ? new Headers() : {};
          w3cBaggagePropagator.inject(setBaggage(ROOT_CONTEXT, createBaggage(entries)), carrier);
          const ctx: Context = w3cBaggagePropagator.extract(ROOT_CONTEXT, carrier);
          const expected = Object.entries(entries);
          expect(getBaggage(ctx)?.getAllEntries() ?? []).toEqual(expected);
        },
      ),
    );
  });
});
