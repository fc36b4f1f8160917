import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ROOT_CONTEXT } from "../src/context/context.ts";
import { B3Propagator } from "../src/propagation/b3-propagator.ts";
import { getSpanContext, setSpanContext, type SpanContext } from "../src/trace/span-context.ts";

const TRACE = "463ac35c9f6413ad48485a3953bb6124";
const TRACE64 = "a3ce929d0e0e4736";
const SPAN = "0020000000000001";
const PARENT = "0000000000000002";
const single = new B3Propagator();
const multi = new B3Propagator({ injectEncoding: "multi" });

function extract(carrier: unknown): SpanContext | undefined {
  return getSpanContext(single.extract(ROOT_CONTEXT, carrier));
}

const remote = (traceId: string, traceFlags: number): SpanContext => ({ traceId, spanId: SPAN, traceFlags, isRemote: true });

describe("B3 single-header extract", () => {
  it("reads trace id, span id and sampling state", () => {
    expect(extract({ b3: `${TRACE}-${SPAN}-1` })).toEqual(remote(TRACE, 1));
    expect(extract({ b3: `${TRACE}-${SPAN}-0` })).toEqual(remote(TRACE, 0));
    expect(extract({ b3: `${TRACE}-${SPAN}-1-${PARENT}` })).toEqual(remote(TRACE, 1));
  });

  it("treats debug as sampled and an absent (deferred) state as not sampled", () => {
    expect(extract({ b3: `${TRACE}-${SPAN}-d` })?.traceFlags).toBe(1);
    expect(extract({ b3: `${TRACE}-${SPAN}` })?.traceFlags).toBe(0);
  });

  it("left-pads 64-bit trace ids to 128 bits", () => {
    expect(extract({ b3: `${TRACE64}-${SPAN}-1` })?.traceId).toBe(TRACE64.padStart(32, "0"));
  });

  it("yields no span context for a sampling state alone", () => {
    for (const b3 of ["0", "1", "d"]) expect(single.extract(ROOT_CONTEXT, { b3 })).toBe(ROOT_CONTEXT);
  });

  it("rejects malformed headers", () => {
    const bad = [
      `${TRACE.toUpperCase()}-${SPAN}-1`,
      `${TRACE}-${SPAN.toUpperCase().replace(/0/g, "A")}-1`,
      `${TRACE.slice(1)}-${SPAN}-1`,
      `${TRACE}0-${SPAN}-1`,
      `${TRACE}-${SPAN.slice(1)}-1`,
      `${"0".repeat(32)}-${SPAN}-1`,
      `${"0".repeat(16)}-${SPAN}-1`,
      `${TRACE}-${"0".repeat(16)}-1`,
      `${TRACE}-${SPAN}-true`,
      `${TRACE}-${SPAN}-2`,
      `${TRACE}-${SPAN}-${PARENT}`,
      `${TRACE}-${SPAN}-1-${PARENT}-x`,
      `${TRACE}-${SPAN}-1x`,
      `x${TRACE}-${SPAN}-1`,
      "",
    ];
    for (const b3 of bad) expect(single.extract(ROOT_CONTEXT, { b3 })).toBe(ROOT_CONTEXT);
  });
});

describe("B3 multi-header extract", () => {
  const headers = (sampled?: string, flags?: string, traceId = TRACE): Record<string, string> => ({
    "X-B3-TraceId": traceId,
    "X-B3-SpanId": SPAN,
    "X-B3-ParentSpanId": PARENT,
    ...(sampled === undefined ? {} : { "X-B3-Sampled": sampled }),
    ...(flags === undefined ? {} : { "X-B3-Flags": flags }),
  });

  it("reads ids and X-B3-Sampled (1/0/true/false) from mixed-case record keys", () => {
    expect(extract(headers("1"))).toEqual(remote(TRACE, 1));
    expect(extract(headers("true"))).toEqual(remote(TRACE, 1));
    expect(extract(headers("0"))).toEqual(remote(TRACE, 0));
    expect(extract(headers("false"))).toEqual(remote(TRACE, 0));
  });

  it("treats X-B3-Flags: 1 as debug, hence sampled, and absent sampling as not sampled", () => {
    expect(extract(headers(undefined, "1"))?.traceFlags).toBe(1);
    expect(extract(headers("0", "1"))?.traceFlags).toBe(1);
    expect(extract(headers(undefined, "0"))?.traceFlags).toBe(0);
    expect(extract(headers())?.traceFlags).toBe(0);
  });

  it("left-pads 64-bit trace ids", () => {
    expect(extract(headers("1", undefined, TRACE64))?.traceId).toBe(TRACE64.padStart(32, "0"));
  });

  it("works with Headers objects, whatever the injectEncoding option", () => {
    const h = new Headers(headers("1"));
    expect(getSpanContext(multi.extract(ROOT_CONTEXT, h))).toEqual(remote(TRACE, 1));
    expect(getSpanContext(single.extract(ROOT_CONTEXT, h))).toEqual(remote(TRACE, 1));
    expect(getSpanContext(multi.extract(ROOT_CONTEXT, new Headers({ b3: `${TRACE}-${SPAN}-1` })))).toEqual(remote(TRACE, 1));
  });

  it("rejects bad ids, missing ids and unknown sampled values", () => {
    expect(extract(headers("yes"))).toBeUndefined();
    expect(extract(headers("2"))).toBeUndefined();
    expect(extract(headers("1", undefined, TRACE.toUpperCase()))).toBeUndefined();
    expect(extract(headers("1", undefined, "0".repeat(32)))).toBeUndefined();
    expect(extract(headers("1", undefined, `${TRACE}00`))).toBeUndefined();
    expect(extract({ "x-b3-traceid": TRACE })).toBeUndefined();
    expect(extract({ "x-b3-spanid": SPAN })).toBeUndefined();
    expect(extract({ "x-b3-traceid": TRACE, "x-b3-spanid": "0".repeat(16) })).toBeUndefined();
  });
});

describe("B3 extract precedence", () => {
  const other = "1".repeat(32);

  it("prefers a valid single header over multi headers", () => {
    const carrier = { b3: `${TRACE}-${SPAN}-0`, "x-b3-traceid": other, "x-b3-spanid": SPAN, "x-b3-sampled": "1" };
    expect(extract(carrier)).toEqual(remote(TRACE, 0));
  });

  it("falls back to multi headers when the single header has no ids", () => {
    const carrier = { b3: "garbage", "x-b3-traceid": other, "x-b3-spanid": SPAN, "x-b3-sampled": "1" };
    expect(extract(carrier)).toEqual(remote(other, 1));
  });

  it("returns the context unchanged for odd carriers", () => {
    for (const carrier of [null, undefined, 1, "b3", {}]) expect(single.extract(ROOT_CONTEXT, carrier)).toBe(ROOT_CONTEXT);
  });
});

describe("B3 inject", () => {
  const ctx = (traceFlags: number) => setSpanContext(ROOT_CONTEXT, { traceId: TRACE, spanId: SPAN, traceFlags });

  it("writes the single header", () => {
    const carrier: Record<string, string> = {};
    single.inject(ctx(1), carrier);
    expect(carrier).toEqual({ b3: `${TRACE}-${SPAN}-1` });
    const unsampled: Record<string, string> = {};
    single.inject(ctx(2), unsampled);
    expect(unsampled).toEqual({ b3: `${TRACE}-${SPAN}-0` });
  });

  it("writes multi headers, to records (lowercase) and Headers", () => {
    const carrier: Record<string, string> = {};
    multi.inject(ctx(1), carrier);
    expect(carrier).toEqual({ "x-b3-traceid": TRACE, "x-b3-spanid": SPAN, "x-b3-sampled": "1" });
    const headers = new Headers();
    multi.inject(ctx(0), headers);
    expect(headers.get("X-B3-TraceId")).toBe(TRACE);
    expect(headers.get("X-B3-SpanId")).toBe(SPAN);
    expect(headers.get("X-B3-Sampled")).toBe("0");
  });

  it("writes nothing without a valid span context, and never throws on odd carriers", () => {
    for (const p of [single, multi]) {
      const carrier: Record<string, string> = {};
      p.inject(ROOT_CONTEXT, carrier);
      p.inject(setSpanContext(ROOT_CONTEXT, { traceId: "0".repeat(32), spanId: SPAN, traceFlags: 1 }), carrier);
      expect(carrier).toEqual({});
      for (const odd of [null, 5, "x"]) expect(() => p.inject(ctx(1), odd)).not.toThrow();
    }
  });

  it("lists the fields of its encoding", () => {
    expect(single.fields()).toEqual(["b3"]);
    expect(multi.fields()).toEqual(["x-b3-traceid", "x-b3-spanid", "x-b3-sampled", "x-b3-flags", "x-b3-parentspanid"]);
    // fields() hands out a copy.
    multi.fields().pop();
    expect(multi.fields()).toHaveLength(5);
  });

  it("round-trips through both encodings", () => {
    const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`)).filter((s) => /[^0]/.test(s));
    fc.assert(
      fc.property(hex(32), hex(16), fc.boolean(), fc.boolean(), (traceId, spanId, sampled, useMulti) => {
        const p = useMulti ? multi : single;
        const carrier = new Headers();
        p.inject(setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: sampled ? 1 : 0 }), carrier);
        expect(getSpanContext(single.extract(ROOT_CONTEXT, carrier))).toEqual({ traceId, spanId, traceFlags: sampled ? 1 : 0, isRemote: true });
      }),
    );
  });
});
