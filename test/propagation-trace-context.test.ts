import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ROOT_CONTEXT } from "../src/context/context.ts";
import { defaultTextMapGetter, defaultTextMapSetter } from "../src/propagation/propagator.ts";
import { W3CTraceContextPropagator, w3cTraceContextPropagator } from "../src/propagation/trace-context-propagator.ts";
import { getSpanContext, setSpanContext, type SpanContext } from "../src/trace/span-context.ts";
import { createTraceState } from "../src/trace/trace-state.ts";

const TRACE = "12345678901234567890123456789012";
const SPAN = "1234567890123456";
const VALID = `00-${TRACE}-${SPAN}-01`;
const propagator = new W3CTraceContextPropagator();

function extract(carrier: unknown): SpanContext | undefined {
  return getSpanContext(propagator.extract(ROOT_CONTEXT, carrier));
}

function injected(sc: SpanContext): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagator.inject(setSpanContext(ROOT_CONTEXT, sc), carrier);
  return carrier;
}

describe("traceparent extract", () => {
  it("reads a valid version-00 header as a remote span context", () => {
    expect(extract({ traceparent: VALID })).toEqual({ traceId: TRACE, spanId: SPAN, traceFlags: 1, isRemote: true });
    expect(extract({ traceparent: `00-${TRACE}-${SPAN}-00` })?.traceFlags).toBe(0);
  });

  it("keeps unknown flag bits of version 00 (receivers must not fail on them)", () => {
    expect(extract({ traceparent: `00-${TRACE}-${SPAN}-09` })?.traceFlags).toBe(0x09);
  });

  // The W3C test suite's invalid traceparent cases (test/test.py), plus uppercase hex.
  const invalid: Record<string, string> = {
    "extra char after 00": `${VALID}.`,
    "extra fields on version 00": `${VALID}-what-the-future-will-be-like`,
    "version ff": `ff-${TRACE}-${SPAN}-01`,
    "illegal version char first": `.0-${TRACE}-${SPAN}-01`,
    "illegal version char second": `0.-${TRACE}-${SPAN}-01`,
    "version too long (3)": `000-${TRACE}-${SPAN}-01`,
    "version too long (4)": `0000-${TRACE}-${SPAN}-01`,
    "version too short": `0-${TRACE}-${SPAN}-01`,
    "uppercase version": `0A-${TRACE}-${SPAN}-01`,
    "all-zero trace id": `00-${"0".repeat(32)}-${SPAN}-01`,
    "illegal trace id char first": `00-.${TRACE.slice(1)}-${SPAN}-01`,
    "illegal trace id char last": `00-${TRACE.slice(0, -1)}.-${SPAN}-01`,
    "trace id too long": `00-${TRACE}3-${SPAN}-01`,
    "trace id too short": `00-${TRACE.slice(1)}-${SPAN}-01`,
    "uppercase trace id": `00-${"ab".repeat(16).toUpperCase()}-${SPAN}-01`,
    "all-zero parent id": `00-${TRACE}-${"0".repeat(16)}-01`,
    "illegal parent id char first": `00-${TRACE}-.${SPAN.slice(1)}-01`,
    "illegal parent id char last": `00-${TRACE}-${SPAN.slice(0, -1)}.-01`,
    "parent id too long": `00-${TRACE}-${SPAN}7-01`,
    "parent id too short": `00-${TRACE}-${SPAN.slice(1)}-01`,
    "uppercase parent id": `00-${TRACE}-${"cd".repeat(8).toUpperCase()}-01`,
    "illegal flags char first": `00-${TRACE}-${SPAN}-.0`,
    "illegal flags char last": `00-${TRACE}-${SPAN}-0.`,
    "flags too long": `00-${TRACE}-${SPAN}-001`,
    "flags too short": `00-${TRACE}-${SPAN}-1`,
    "uppercase flags": `00-${TRACE}-${SPAN}-0A`,
    "future version, no dash after flags": `cc-${TRACE}-${SPAN}-01.what-the-future-will-be-like`,
    "future version, too short": `cc-${TRACE}-${SPAN}-1`,
    empty: "",
    garbage: "hello",
  };
  for (const [name, value] of Object.entries(invalid)) {
    it(`rejects ${name}, and ignores tracestate with it`, () => {
      const ctx = propagator.extract(ROOT_CONTEXT, { traceparent: value, tracestate: "foo=1" });
      expect(ctx).toBe(ROOT_CONTEXT);
    });
  }

  it("accepts a future version with or without more dash-separated fields", () => {
    expect(extract({ traceparent: `cc-${TRACE}-${SPAN}-01` })?.traceId).toBe(TRACE);
    expect(extract({ traceparent: `cc-${TRACE}-${SPAN}-01-what-the-future-will-be-like` })?.spanId).toBe(SPAN);
  });

  it("reads only the sampled bit of a future version's flags", () => {
    expect(extract({ traceparent: `cc-${TRACE}-${SPAN}-03` })?.traceFlags).toBe(1);
    expect(extract({ traceparent: `cc-${TRACE}-${SPAN}-fe` })?.traceFlags).toBe(0);
  });

  it("accepts leading and trailing OWS", () => {
    for (const v of [` ${VALID}`, `\t${VALID}`, `${VALID} `, `${VALID}\t`, `\t ${VALID} \t`]) {
      expect(extract({ traceparent: v })?.traceId).toBe(TRACE);
    }
  });

  it("rejects a duplicated traceparent header (array value or repeated Headers entry)", () => {
    const other = `00-${TRACE.replace("1", "9")}-${SPAN}-01`;
    expect(extract({ traceparent: [VALID, other] })).toBeUndefined();
    const headers = new Headers();
    headers.append("traceparent", VALID);
    headers.append("traceparent", other);
    expect(extract(headers)).toBeUndefined();
    // One array element is just the header.
    expect(extract({ traceparent: [VALID] })?.traceId).toBe(TRACE);
  });

  it("finds header names in any case, in records and Headers", () => {
    for (const name of ["TraceParent", "TrAcEpArEnT", "TRACEPARENT"]) {
      expect(extract({ [name]: VALID })?.traceId).toBe(TRACE);
      expect(extract(new Headers({ [name]: VALID }))?.traceId).toBe(TRACE);
    }
    expect(extract({ "trace-parent": VALID })).toBeUndefined();
    expect(extract({ "trace.parent": VALID })).toBeUndefined();
  });

  it("returns the context unchanged for odd carriers", () => {
    for (const carrier of [null, undefined, 42, "traceparent", true, [], {}]) {
      expect(propagator.extract(ROOT_CONTEXT, carrier)).toBe(ROOT_CONTEXT);
    }
  });

  it("uses a custom getter, joining array results", () => {
    const getter = { keys: () => ["tp"], get: (c: Map<string, string[]>, k: string) => c.get(k) };
    const carrier = new Map([["traceparent", [VALID]], ["tracestate", ["a=1", "b=2"]]]);
    const sc = getSpanContext(propagator.extract(ROOT_CONTEXT, carrier, getter));
    expect(sc?.traceId).toBe(TRACE);
    expect(sc?.traceState?.serialize()).toBe("a=1,b=2");
  });
});

describe("tracestate extract", () => {
  const state = (tracestate: unknown): string | undefined => extract({ traceparent: VALID, tracestate })?.traceState?.serialize();

  it("inherits a valid tracestate, in order", () => {
    expect(state("foo=1,bar=2")).toBe("foo=1,bar=2");
    const sc = extract({ traceparent: VALID, tracestate: "foo=1,bar=2" });
    expect(sc?.traceState?.get("foo")).toBe("1");
    expect(sc?.traceState?.get("bar")).toBe("2");
  });

  it("omits an absent or empty tracestate", () => {
    expect(extract({ traceparent: VALID })?.traceState).toBeUndefined();
    expect(extract({ traceparent: VALID, tracestate: "" })?.traceState).toBeUndefined();
    expect(extract({ traceparent: VALID, tracestate: " , ,\t" })?.traceState).toBeUndefined();
  });

  it("combines multiple headers in order and skips empty ones", () => {
    expect(state(["foo=1,bar=2", "rojo=1,congo=2", "baz=3"])).toBe("foo=1,bar=2,rojo=1,congo=2,baz=3");
    expect(state(["foo=1", ""])).toBe("foo=1");
    expect(state(["", "foo=1"])).toBe("foo=1");
    const headers = new Headers({ traceparent: VALID });
    headers.append("tracestate", "foo=1");
    headers.append("tracestate", "bar=2");
    expect(getSpanContext(propagator.extract(ROOT_CONTEXT, headers))?.traceState?.serialize()).toBe("foo=1,bar=2");
  });

  it("discards the whole header on duplicate keys, within or across headers", () => {
    for (const v of ["foo=1,foo=1", "foo=1,foo=2", ["foo=1", "foo=1"], ["foo=1", "foo=2"]]) {
      const sc = extract({ traceparent: VALID, tracestate: v });
      expect(sc?.traceId).toBe(TRACE);
      expect(sc?.traceState).toBeUndefined();
    }
  });

  it("accepts every allowed character in keys and values", () => {
    const simpleKey = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
    const tenantKey = `${simpleKey}@a-z0-9_-*/`;
    let value = "";
    for (let c = 0x20; c <= 0x7e; c++) if (c !== 0x2c && c !== 0x3d) value += String.fromCharCode(c);
    for (const key of [simpleKey, tenantKey]) {
      expect(extract({ traceparent: VALID, tracestate: `${key}=${value}` })?.traceState?.get(key)).toBe(value);
    }
  });

  it("handles OWS around members", () => {
    for (const v of ["foo=1 \t , \t bar=2, \t baz=3", "foo=1\t \t,\t \tbar=2,\t \tbaz=3"]) {
      expect(state(v)).toBe("foo=1,bar=2,baz=3");
    }
    for (const v of [" foo=1", "\tfoo=1", "foo=1 ", "foo=1\t", "\t foo=1 \t"]) expect(state(v)).toBe("foo=1");
  });

  it("discards the whole header on an illegal key", () => {
    for (const v of ["foo =1", "FOO=1", "foo.bar=1", "1foo=1", "=1", "foo@=1,bar=2", "@foo=1,bar=2", "foo@@bar=1,bar=2", "foo@bar@baz=1,bar=2", "foo@1bar=1"]) {
      expect(state(v)).toBeUndefined();
    }
  });

  it("limits key lengths: 256 simple, 241@14 multi-tenant", () => {
    expect(state(["foo=1", `${"z".repeat(256)}=1`])).toBe(`foo=1,${"z".repeat(256)}=1`);
    expect(state(["foo=1", `${"z".repeat(257)}=1`])).toBeUndefined();
    expect(state(["foo=1", `${"t".repeat(241)}@${"v".repeat(14)}=1`])).toBe(`foo=1,${"t".repeat(241)}@${"v".repeat(14)}=1`);
    expect(state(["foo=1", `${"t".repeat(242)}@v=1`])).toBeUndefined();
    expect(state(["foo=1", `t@${"v".repeat(15)}=1`])).toBeUndefined();
  });

  it("discards the whole header on an illegal or over-long value", () => {
    for (const v of ["foo=bar=baz", "foo=,bar=3", "foo", "foo=a\u00e9", "foo=a\tb", "foo=a\x7f"]) expect(state(v)).toBeUndefined();
    expect(state(`foo=${"v".repeat(256)}`)).toBe(`foo=${"v".repeat(256)}`);
    expect(state(`foo=${"v".repeat(257)}`)).toBeUndefined();
    // A value may start with a space (chr includes %x20); only its end may not be one.
    expect(extract({ traceparent: VALID, tracestate: "foo= 1" })?.traceState?.get("foo")).toBe(" 1");
  });

  it("allows 32 members across headers and discards 33", () => {
    const members = Array.from({ length: 33 }, (_, i) => `bar${String(i + 1).padStart(2, "0")}=${i + 1}`);
    const split = (list: string[]) => [list.slice(0, 10).join(","), list.slice(10, 20).join(","), list.slice(20).join(",")];
    expect(state(split(members.slice(0, 32)))).toBe(members.slice(0, 32).join(","));
    expect(state(split(members))).toBeUndefined();
  });
});

describe("traceparent inject", () => {
  const sc: SpanContext = { traceId: TRACE, spanId: SPAN, traceFlags: 1 };

  it("writes version 00 with two-digit flags", () => {
    expect(injected(sc)).toEqual({ traceparent: VALID });
    expect(injected({ ...sc, traceFlags: 0 }).traceparent).toBe(`00-${TRACE}-${SPAN}-00`);
    expect(injected({ ...sc, traceFlags: 2 }).traceparent).toBe(`00-${TRACE}-${SPAN}-02`);
  });

  it("clears flag bits that trace context does not define", () => {
    expect(injected({ ...sc, traceFlags: 0xff }).traceparent).toBe(`00-${TRACE}-${SPAN}-03`);
    expect(injected({ ...sc, traceFlags: 0x10 }).traceparent).toBe(`00-${TRACE}-${SPAN}-00`);
  });

  it("writes tracestate only when it is non-empty", () => {
    expect(injected({ ...sc, traceState: createTraceState("a=1,b=2") }).tracestate).toBe("a=1,b=2");
    expect("tracestate" in injected({ ...sc, traceState: createTraceState("") })).toBe(false);
  });

  it("writes nothing without a valid span context", () => {
    const carrier: Record<string, string> = {};
    propagator.inject(ROOT_CONTEXT, carrier);
    expect(carrier).toEqual({});
    expect(injected({ ...sc, traceId: "0".repeat(32) })).toEqual({});
    expect(injected({ ...sc, spanId: "0".repeat(16) })).toEqual({});
    expect(injected({ ...sc, traceId: TRACE.toUpperCase().replace(/1/g, "A") })).toEqual({});
  });

  it("writes to Headers and lowercases record keys", () => {
    const headers = new Headers();
    propagator.inject(setSpanContext(ROOT_CONTEXT, sc), headers);
    expect(headers.get("TraceParent")).toBe(VALID);
    const record: Record<string, string> = {};
    defaultTextMapSetter.set(record, "TraceParent", VALID);
    expect(record).toEqual({ traceparent: VALID });
  });

  it("never throws on odd or immutable carriers", () => {
    const ctx = setSpanContext(ROOT_CONTEXT, sc);
    for (const carrier of [null, undefined, 42, "x", Object.freeze({}), Response.error().headers]) {
      expect(() => propagator.inject(ctx, carrier)).not.toThrow();
    }
  });

  it("lists its fields", () => {
    expect(propagator.fields()).toEqual(["traceparent", "tracestate"]);
    expect(w3cTraceContextPropagator.fields()).toEqual(propagator.fields());
  });
});

describe("trace context round trip", () => {
  const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
  const key = fc.stringMatching(/^[a-z][a-z0-9_\-*/]{0,15}$/);
  const value = fc.stringMatching(/^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,15}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/);

  it("extract(inject(x)) == x for valid span contexts, through records and Headers", () => {
    fc.assert(
      fc.property(
        hex(32).filter((s) => /[^0]/.test(s)),
        hex(16).filter((s) => /[^0]/.test(s)),
        fc.integer({ min: 0, max: 3 }),
        fc.uniqueArray(fc.tuple(key, value), { maxLength: 32, selector: (e) => e[0] }),
        fc.boolean(),
        (traceId, spanId, traceFlags, entries, useHeaders) => {
          const raw = entries.map(([k, v]) => `${k}=${v}`).join(",");
          const traceState = createTraceState(raw);
          const carrier = useHeaders ? new Headers() : {};
          w3cTraceContextPropagator.inject(setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags, traceState }), carrier);
          const sc = getSpanContext(w3cTraceContextPropagator.extract(ROOT_CONTEXT, carrier));
          expect(sc).toMatchObject({ traceId, spanId, traceFlags, isRemote: true });
          expect(sc?.traceState?.serialize()).toBe(raw === "" ? undefined : raw);
        },
      ),
    );
  });
});

describe("createTraceState", () => {
  it("gets, sets (moving the key first), unsets and serializes without mutating", () => {
    const a = createTraceState("foo=1,bar=2");
    const b = a.set("bar", "3");
    const c = b.set("new", "x");
    const d = c.unset("foo");
    expect(a.serialize()).toBe("foo=1,bar=2");
    expect(b.serialize()).toBe("bar=3,foo=1");
    expect(c.serialize()).toBe("new=x,bar=3,foo=1");
    expect(d.serialize()).toBe("new=x,bar=3");
    expect(d.get("foo")).toBeUndefined();
    expect(c.get("new")).toBe("x");
    expect(a.unset("absent")).toBe(a);
  });

  it("ignores invalid keys and values in set", () => {
    const a = createTraceState("foo=1");
    for (const [k, v] of [["Foo", "1"], ["foo", ""], ["foo", "a,b"], ["foo", "a=b"], ["foo", "a "], ["", "1"]] as const) {
      expect(a.set(k, v)).toBe(a);
    }
  });

  it("keeps at most 32 members on set, dropping from the right", () => {
    const raw = Array.from({ length: 32 }, (_, i) => `k${i}=${i}`).join(",");
    const full = createTraceState(raw).set("new", "v");
    const expected = ["new=v", ...raw.split(",").slice(0, 31)].join(",");
    expect(full.serialize()).toBe(expected);
  });

  it("is empty for absent or invalid input", () => {
    expect(createTraceState().serialize()).toBe("");
    expect(createTraceState("FOO=1").serialize()).toBe("");
  });

});

describe("default carrier access", () => {
  it("the default getter reads Headers, records and arrays, never throwing", () => {
    expect(defaultTextMapGetter.get(new Headers({ A: "1" }), "a")).toBe("1");
    expect(defaultTextMapGetter.get({ Mixed: ["x", "y"] }, "mixed")).toBe("x,y");
    expect(defaultTextMapGetter.get({ a: "exact", A: "other" }, "a")).toBe("exact");
    expect(defaultTextMapGetter.get(null, "a")).toBeUndefined();
    expect(defaultTextMapGetter.get({ a: 5 }, "a")).toBeUndefined();
    expect(defaultTextMapGetter.keys({ a: "1", b: "2" })).toEqual(["a", "b"]);
    expect(defaultTextMapGetter.keys(new Headers({ a: "1" }))).toEqual(["a"]);
    expect(defaultTextMapGetter.keys(7)).toEqual([]);
  });
});
