import { describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fromJson, toBinary, toJson, type JsonValue } from "@bufbuild/protobuf";
import { ExportTraceServiceRequestSchema } from "../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import type { Resource } from "../src/common/types.ts";
import { msToNanosBigInt, msToSecondsNanos } from "../src/otlp/time.ts";
import { encodeTraceRequestJson } from "../src/otlp/trace-json-encoder.ts";
import type { ReadableSpan } from "../src/trace/span-record.ts";
import { referenceTraceRequest } from "./helpers/encoder-reference.ts";
import { spanOf, timeMs, traceBatch, traceStateOf, type SpanFields } from "./helpers/encoder-arbitraries.ts";
import { recordsFromOtlpJson, type JsonTraceRequest } from "./helpers/encoder-otlp-json.ts";

const ID_KEYS = new Set(["traceId", "spanId", "parentSpanId"]);

// OTLP/JSON writes ids as hex where proto3 JSON has base64; this maps one to the other anywhere in a tree.
function mapIds(v: unknown, f: (id: string) => string): unknown {
  if (Array.isArray(v)) return v.map((x) => mapIds(x, f));
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [k, ID_KEYS.has(k) && typeof x === "string" ? f(x) : mapIds(x, f)]),
  );
}
// OTLP strings are UTF-8: a lone surrogate means U+FFFD, which Node's own UTF-8 round trip gives.
function wellFormed(v: unknown): unknown {
  if (typeof v === "string") return Buffer.from(v, "utf8").toString("utf8");
  if (Array.isArray(v)) return v.map(wellFormed);
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [wellFormed(k), wellFormed(x)]));
}
const hexToBase64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");
const base64ToHex = (b64: string) => Buffer.from(b64, "base64").toString("hex");

// Our JSON, parsed, against @bufbuild's toJson of the reference message with ids as hex.
function expectReferenceJson(resource: Resource, spans: readonly ReadableSpan[], json = encodeTraceRequestJson(resource, spans)) {
  const reference = toJson(ExportTraceServiceRequestSchema, referenceTraceRequest(resource, spans), { enumAsInteger: true });
  expect(JSON.parse(json)).toEqual(wellFormed(mapIds(reference, base64ToHex)));
}

// A plain span: fields from `f` over root-span defaults.
function plainSpan(i: number, f: Partial<SpanFields> = {}): ReadableSpan {
  return spanOf({
    name: `span ${i}`,
    kind: 1,
    context: { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: (i + 1).toString(16).padStart(16, "0"), traceFlags: 1 },
    parentSpanId: undefined,
    parentIsRemote: false,
    startTime: 1732240000000 + i,
    endTime: 1732240000001.5 + i,
    attributes: [],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0 },
    scope: { name: "s" },
    ...f,
  });
}
const emptyResource: Resource = { attributes: [], droppedAttributesCount: 0 };

describe("encodeTraceRequestJson", () => {
  it("reproduces the official OTLP/JSON trace example", () => {
    const example = JSON.parse(readFileSync(path.join(import.meta.dirname, "vectors", "trace.json"), "utf8")) as JsonTraceRequest;
    const batches = recordsFromOtlpJson(example);
    const actual = {
      resourceSpans: batches.flatMap(({ resource, spans }) => (JSON.parse(encodeTraceRequestJson(resource, spans)) as JsonTraceRequest).resourceSpans),
    };
    // The example's ids are upper-case hex, which OTLP receivers accept; we write lower case. We also always
    // set SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK (0x100): our records know whether each parent and link is remote.
    const expected = mapIds(example, (id) => id.toLowerCase()) as JsonTraceRequest;
    for (const rs of expected.resourceSpans) {
      for (const ss of rs.scopeSpans ?? []) {
        for (const span of ss.spans ?? []) {
          span.flags = (span.flags ?? 0) | 0x100;
          for (const link of span.links ?? []) link.flags = (link.flags ?? 0) | 0x100;
        }
      }
    }
    expect(actual).toEqual(expected);
  });

  it("writes what @bufbuild's toJson writes for the reference message, ids as hex", () => {
    fc.assert(
      fc.property(traceBatch, ({ resource, spans }) => expectReferenceJson(resource, spans)),
      { numRuns: 300 },
    );
  });

  it("parses back with fromJson into the reference message", () => {
    fc.assert(
      fc.property(traceBatch, ({ resource, spans }) => {
        const ours = mapIds(JSON.parse(encodeTraceRequestJson(resource, spans)), hexToBase64) as JsonValue;
        const parsed = fromJson(ExportTraceServiceRequestSchema, ours);
        const expected = toBinary(ExportTraceServiceRequestSchema, referenceTraceRequest(resource, spans));
        expect(Buffer.from(toBinary(ExportTraceServiceRequestSchema, parsed)).toString("hex")).toBe(Buffer.from(expected).toString("hex"));
      }),
      { numRuns: 300 },
    );
  });

  it("writes non-finite doubles, int64 bounds and bytes in their proto3 JSON forms", () => {
    const scope = { name: "s" };
    const span = spanOf({
      name: "n",
      kind: 0,
      context: { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1, traceState: traceStateOf("a=b") },
      parentSpanId: undefined,
      parentIsRemote: false,
      startTime: 1732240000123.4567,
      endTime: 0,
      attributes: ["lone\ud800", "\udc00x\ud83d\ude00", "esc\\", "\\\udfff\\\\\ud800", "text", "\\ud800 \\\\udc00", "nan", NaN, "inf", Infinity, "ninf", -Infinity, "min", -(2n ** 63n), "bytes", new Uint8Array([0xfb, 0xff]), "none", null],
      droppedAttributesCount: 0,
      events: [],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: { code: 0 },
      scope,
    });
    const out = JSON.parse(encodeTraceRequestJson({ attributes: [], droppedAttributesCount: 0 }, [span])) as {
      resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[];
    };
    const s = out.resourceSpans[0].scopeSpans[0].spans[0];
    expect(s.startTimeUnixNano).toBe(String(1732240000123n * 1000000n + BigInt(Math.round((1732240000123.4567 - 1732240000123) * 1e6))));
    expect(s).not.toHaveProperty("endTimeUnixNano");
    expect(s.traceState).toBe("a=b");
    expect(s.attributes).toEqual([
      { key: "lone\ufffd", value: { stringValue: "\ufffdx\ud83d\ude00" } },
      // A backslash before a lone surrogate, and the text of an escape, which must stay as it is.
      { key: "esc\\", value: { stringValue: "\\\ufffd\\\\\ufffd" } },
      { key: "text", value: { stringValue: "\\ud800 \\\\udc00" } },
      { key: "nan", value: { doubleValue: "NaN" } },
      { key: "inf", value: { doubleValue: "Infinity" } },
      { key: "ninf", value: { doubleValue: "-Infinity" } },
      { key: "min", value: { intValue: String(-(2n ** 63n)) } },
      { key: "bytes", value: { bytesValue: Buffer.from([0xfb, 0xff]).toString("base64") } },
      { key: "none", value: {} },
    ]);
  });

  it("splits times into seconds and nanoseconds that make the value msToNanosBigInt gives", () => {
    // Small values and values just under a whole second test the carry of a rounded-up fraction.
    const ms = fc.oneof(timeMs, fc.double({ min: 0, max: 1e4, noNaN: true }), fc.nat({ max: 1e4 }).map((n) => n + 0.9999996));
    fc.assert(
      fc.property(ms, (t) => {
        const [s, ns] = msToSecondsNanos(t);
        expect(Number.isInteger(s) && Number.isInteger(ns) && ns >= 0 && ns < 1e9).toBe(true);
        expect(BigInt(s) * 1_000_000_000n + BigInt(ns)).toBe(msToNanosBigInt(t));
      }),
      { numRuns: 2000 },
    );
  });

  it("writes the same JSON for attributes first seen, cached, and after the cache starts afresh", () => {
    // 3000 distinct pairs (past the cache's bound), each in two spans, with pairs of every cacheable type
    // recurring in every span, and pairs that are never cached: objects and long strings.
    const spans = Array.from({ length: 6000 }, (_, i) => {
      const cacheable = ["n", i % 3000, "s", `v${i % 7}`, "t", i % 2 === 0, "d", 0.5, "", "", "e\u00e9", "\u00e9\u0000"];
      return plainSpan(i, { attributes: [...cacheable, "o", { a: [i % 2] }, "l", "x".repeat(65 + (i % 2))] });
    });
    const first = encodeTraceRequestJson(emptyResource, spans);
    expectReferenceJson(emptyResource, spans, first);
    expect(encodeTraceRequestJson(emptyResource, spans)).toBe(first);
  });

  it("does not reuse the JSON of an array or object whose contents have changed", () => {
    const list = ["a"];
    const map: Record<string, unknown> = { k: 1 };
    const spans = [plainSpan(0, { attributes: ["list", list, "map", map] })];
    expectReferenceJson(emptyResource, spans);
    list[0] = "b";
    map.k = 2;
    expectReferenceJson(emptyResource, spans);
  });

  it("grows its buffer in the middle of any value", async () => {
    // A fresh module, so the buffer starts empty whatever the tests before this one wrote.
    vi.resetModules();
    const fresh = (await import("../src/otlp/trace-json-encoder.ts")).encodeTraceRequestJson;
    const big = (c: string) => c.repeat(70_000);
    const spans = [
      plainSpan(0, { name: big("a"), attributes: ["k", big("b")] }),
      plainSpan(1, { name: big("\u00e9"), attributes: ["\u20ac", big("\u20ac"), "bytes", new Uint8Array(100_000).fill(7)] }),
      plainSpan(2, {
        events: Array.from({ length: 2000 }, (_, i) => {
          return { name: `e${i}`, time: 1732240000000.25 + i, attributes: ["i", i], droppedAttributesCount: 0 };
        }),
      }),
    ];
    expectReferenceJson(emptyResource, spans, fresh(emptyResource, spans));
  });

  it("starts afresh after an encoding that threw", () => {
    const throwing = traceStateOf("");
    throwing.serialize = () => {
      throw new Error("serialize");
    };
    const context = { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1, traceState: throwing };
    const bad = plainSpan(0, { attributes: ["k", "v"], context });
    expect(() => encodeTraceRequestJson(emptyResource, [plainSpan(1), bad])).toThrow("serialize");
    expectReferenceJson(emptyResource, [plainSpan(2, { attributes: ["k", "v"] })]);
  });
});
