import { describe, expect, it } from "vitest";
import fc from "fast-check";
import path from "node:path";
import protobuf from "protobufjs";
import { toBinary } from "@bufbuild/protobuf";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { ExportTraceServiceRequestSchema } from "../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { encodeTraceRequest } from "../src/otlp/trace-encoder.ts";
import * as w from "../src/otlp/proto-writer.ts";
import { msToNanosBigInt, msToNanosParts } from "../src/otlp/time.ts";
import type { Resource } from "../src/common/types.ts";
import type { ReadableSpan } from "../src/trace/span-record.ts";
import { referenceTraceRequest } from "./helpers/encoder-reference.ts";
import { anyString, spanOf, timeMs, traceBatch, traceStateOf, type SpanFields } from "./helpers/encoder-arbitraries.ts";

function expectSameBytes(resource: Resource, spans: readonly ReadableSpan[]): void {
  const expected = toBinary(ExportTraceServiceRequestSchema, referenceTraceRequest(resource, spans));
  const actual = encodeTraceRequest(resource, spans);
  // Buffer comparison prints a readable diff and is far faster than element-wise equality on big arrays.
  expect(Buffer.from(actual).toString("hex")).toBe(Buffer.from(expected).toString("hex"));
}

const scope = { name: "edge-otel.test", version: "1.2.3" };
const baseSpan: SpanFields = {
  name: "GET /items",
  kind: 1,
  context: { traceId: "5b8efff798038103d269b633813fc60c", spanId: "eee19b7ec3c1b174", traceFlags: 1 },
  parentSpanId: undefined,
  parentIsRemote: false,
  startTime: 1732240000123.4567,
  endTime: 1732240000456.25,
  attributes: ["http.request.method", "GET", "http.response.status_code", 200],
  droppedAttributesCount: 0,
  events: [],
  droppedEventsCount: 0,
  links: [],
  droppedLinksCount: 0,
  status: { code: 0 },
  scope,
};
const resource: Resource = { attributes: ["service.name", "checkout"], droppedAttributesCount: 0 };

describe("encodeTraceRequest", () => {
  it("matches toBinary of the reference message for random batches", () => {
    fc.assert(
      fc.property(traceBatch, ({ resource, spans }) => expectSameBytes(resource, spans)),
      { numRuns: 400 },
    );
  });

  it("matches for an empty batch and an empty resource", () => {
    expectSameBytes({ attributes: [], droppedAttributesCount: 0 }, []);
    expectSameBytes(resource, []);
  });

  it("matches for zero and default values, remote parents, links and every status", () => {
    const remoteLinked = spanOf({
      ...baseSpan,
      name: "",
      kind: 0,
      context: { ...baseSpan.context, traceState: traceStateOf("vendor=a,other=b"), isRemote: true },
      parentSpanId: "0000000000000000",
      parentIsRemote: true,
      endTime: 0,
      attributes: ["", "", "zero", 0, "neg", -1, "negzero", -0, "false", false, "empty", [], "nulls", [null, undefined, "x"]],
      events: [{ name: "", time: 0, attributes: [], droppedAttributesCount: 0 }],
      links: [
        { context: { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 0, isRemote: false }, attributes: [], droppedAttributesCount: 3 },
        { context: { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 0 }, attributes: ["k", 1.5], droppedAttributesCount: 0 },
      ],
      status: { code: 0, message: "" },
    });
    for (const status of [{ code: 0, message: "why" }, { code: 1 }, { code: 2, message: "boom" }, { code: 2, message: "" }] as const) {
      expectSameBytes(resource, [remoteLinked, spanOf({ ...baseSpan, status })]);
    }
  });

  it("matches when lengths cross varint boundaries (content moves after the length is known)", () => {
    for (const n of [0, 1, 42, 43, 63, 64, 65, 125, 126, 127, 128, 129, 5000, 16383, 16384, 20000]) {
      const s = "é".repeat(n >> 1) + "a".repeat(n & 1);
      expectSameBytes(resource, [spanOf({ ...baseSpan, name: s, attributes: ["k", s, s, [s, s]], status: { code: 2, message: s } })]);
    }
    const many = Array.from({ length: 300 }, (_, i) => spanOf({ ...baseSpan, attributes: ["i", i, "s", "x".repeat(i)] }));
    expectSameBytes(resource, many);
  });

  it("groups spans by scope object and by equal scope fields, in first-seen order", () => {
    const a = { name: "a" };
    const b = { name: "b", version: "2", schemaUrl: "https://opentelemetry.io/schemas/1.30.0" };
    const spans = [a, b, { name: "a" }, b, { name: "a", version: "" }, { name: "b" }].map((s) => spanOf({ ...baseSpan, scope: s }));
    expectSameBytes(resource, spans);
    const bytes = encodeTraceRequest(resource, spans);
    const decoded = requestType().decode(bytes) as unknown as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] };
    expect(decoded.resourceSpans[0].scopeSpans.map((s) => s.spans.length)).toEqual([3, 2, 1]);
  });

  it("stays correct across a batch over a megabyte (the shared buffer grows, then shrinks)", () => {
    const big = Array.from({ length: 1500 }, (_, i) => spanOf({ ...baseSpan, attributes: ["payload", String(i).repeat(1000 / String(i).length)] }));
    expectSameBytes(resource, big);
    expect(encodeTraceRequest(resource, big).length).toBeGreaterThan(1024 * 1024);
    expectSameBytes(resource, [spanOf(baseSpan)]);
    expectSameBytes(resource, big.slice(0, 700));
  });

  it("returns results that later calls do not overwrite, whether copied or handed over whole", () => {
    const many = (name: string) => Array.from({ length: 200 }, () => spanOf({ ...baseSpan, name }));
    const first = encodeTraceRequest(resource, [spanOf(baseSpan)]);
    const big = encodeTraceRequest(resource, many("a"));
    const copies = [first.slice(), big.slice()];
    encodeTraceRequest(resource, [spanOf({ ...baseSpan, name: "other name of the same length?" })]);
    encodeTraceRequest(resource, many("b"));
    expect([first, big]).toEqual(copies);
  });

  it("matches when keys, values, names and ids repeat across spans, contexts and batches (cached bytes)", () => {
    const other = "0af7651916cd43dd8448eb211c80319c";
    const attrs = (i: number) => ["k", i % 3, "s", `v${i % 4}`, "b", i % 2 === 0, "d", 0.5, "k", "same key, other value", "", "", "long", "z".repeat(60 + (i % 10))];
    const spans = Array.from({ length: 40 }, (_, i) =>
      spanOf({
        ...baseSpan,
        name: `op ${i % 3}`,
        context: { ...baseSpan.context, traceId: i % 7 < 4 ? baseSpan.context.traceId : other.toUpperCase(), spanId: (i + 1).toString(16).padStart(16, "0") },
        parentSpanId: i % 5 === 0 ? undefined : i % 2 ? "00f067aa0ba902b7" : "00F067AA0BA902B7",
        attributes: attrs(i),
        events: [{ name: "e", time: 1732240000200, attributes: attrs(i + 1), droppedAttributesCount: 0 }],
        links: [{ context: { traceId: other, spanId: "b7ad6b7169203331", traceFlags: 1 }, attributes: attrs(i + 2), droppedAttributesCount: 0 }],
        scope: i % 2 ? scope : { name: "k", version: "v1", attributes: attrs(i) },
      }),
    );
    const res: Resource = { attributes: attrs(0), droppedAttributesCount: 0 };
    expectSameBytes(res, spans);
    expectSameBytes(res, spans.slice().reverse());
  });

  it("stays correct while unique values overflow the cache again and again", () => {
    const spans = Array.from({ length: 2000 }, (_, i) => spanOf({ ...baseSpan, attributes: ["u", `unique value ${i}`, "n", i * 1000.5, "k", "v"] }));
    for (let i = 0; i < 2000; i += 500) expectSameBytes(resource, spans.slice(i, i + 500));
    expectSameBytes(resource, spans.slice(0, 500));
  });

  it("decodes with protobufjs to the values we put in", () => {
    const traceState = "congo=t61rcWkgMzE";
    const span = spanOf({
      ...baseSpan,
      context: { ...baseSpan.context, traceState: traceStateOf(traceState) },
      parentSpanId: "00f067aa0ba902b7",
      parentIsRemote: true,
      // 1732240000123 ms plus 1875/4096 ms: exact in a double, so the nanoseconds are known exactly.
      startTime: 1732240000123 + 1875 / 4096,
      attributes: ["s", "héllo 😀", "i", -42, "big", -(2n ** 63n), "d", 0.25, "b", true, "arr", ["x", null], "bytes", new Uint8Array([1, 2, 255])],
      events: [{ name: "exception", time: 1732240000200, attributes: ["exception.type", "Error"], droppedAttributesCount: 2 }],
      links: [{ context: { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1, isRemote: true }, attributes: [], droppedAttributesCount: 0 }],
      droppedLinksCount: 7,
      status: { code: 2, message: "failed" },
    });
    const msg = requestType().decode(encodeTraceRequest(resource, [span]));
    const obj = requestType().toObject(msg, { longs: String, enums: Number, oneofs: true }) as DecodedRequest;
    const rs = obj.resourceSpans[0];
    expect(rs.resource.attributes).toEqual([{ key: "service.name", value: { stringValue: "checkout", value: "stringValue" } }]);
    expect(rs.scopeSpans[0].scope).toEqual({ name: scope.name, version: scope.version });
    const s = rs.scopeSpans[0].spans[0];
    const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
    expect(hex(s.traceId)).toBe(baseSpan.context.traceId);
    expect(hex(s.spanId)).toBe(baseSpan.context.spanId);
    expect(hex(s.parentSpanId)).toBe("00f067aa0ba902b7");
    expect(s.traceState).toBe(traceState);
    expect(s.flags).toBe(1 | 0x100 | 0x200);
    expect(s.kind).toBe(baseSpan.kind + 1);
    expect(s.startTimeUnixNano).toBe(String(1732240000123n * 1000000n + BigInt(Math.round((1875 * 1e6) / 4096))));
    expect(s.endTimeUnixNano).toBe(String(1732240000456n * 1000000n + 250000n));
    const attrs = Object.fromEntries(s.attributes.map((kv) => [kv.key, kv.value]));
    expect(attrs.s.stringValue).toBe("héllo 😀");
    expect(attrs.i.intValue).toBe("-42");
    expect(attrs.big.intValue).toBe(String(-(2n ** 63n)));
    expect(attrs.d.doubleValue).toBe(0.25);
    expect(attrs.b.boolValue).toBe(true);
    expect(attrs.arr.arrayValue?.values).toEqual([{ stringValue: "x", value: "stringValue" }, {}]);
    expect([...(attrs.bytes.bytesValue ?? [])]).toEqual([1, 2, 255]);
    expect(s.events[0].name).toBe("exception");
    expect(s.events[0].timeUnixNano).toBe(String(1732240000200n * 1000000n));
    expect(s.events[0].droppedAttributesCount).toBe(2);
    expect(hex(s.links[0].spanId)).toBe("b7ad6b7169203331");
    expect(s.links[0].flags).toBe(1 | 0x100 | 0x200);
    expect(s.droppedLinksCount).toBe(7);
    expect(s.status).toEqual({ code: 2, message: "failed" });
  });
});

interface DecodedValue {
  value?: string;
  stringValue?: string;
  intValue?: string;
  doubleValue?: number;
  boolValue?: boolean;
  bytesValue?: Uint8Array;
  arrayValue?: { values: DecodedValue[] };
}
interface DecodedKeyValue {
  key: string;
  value: DecodedValue;
}
interface DecodedRequest {
  resourceSpans: {
    resource: { attributes: DecodedKeyValue[] };
    scopeSpans: {
      scope: { name: string; version: string };
      spans: {
        traceId: Uint8Array;
        spanId: Uint8Array;
        parentSpanId: Uint8Array;
        traceState: string;
        flags: number;
        kind: number;
        startTimeUnixNano: string;
        endTimeUnixNano: string;
        attributes: DecodedKeyValue[];
        events: { name: string; timeUnixNano: string; droppedAttributesCount: number }[];
        links: { spanId: Uint8Array; flags: number }[];
        droppedLinksCount: number;
        status: { code: number; message: string };
      }[];
    }[];
  }[];
}

let cachedType: protobuf.Type | undefined;
function requestType(): protobuf.Type {
  if (!cachedType) {
    const root = new protobuf.Root();
    const protoDir = path.join(import.meta.dirname, "..", "proto");
    root.resolvePath = (_origin, target) => path.join(protoDir, target);
    root.loadSync("opentelemetry/proto/collector/trace/v1/trace_service.proto");
    cachedType = root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest");
  }
  return cachedType;
}

// A random program of writes, some nested, to replay on our writer and on @bufbuild's BinaryWriter.
type Op =
  | { op: "string"; v: string }
  | { op: "uint32"; v: number }
  | { op: "int64"; v: number }
  | { op: "bigint64"; v: bigint }
  | { op: "double"; v: number }
  | { op: "fixed32"; v: number }
  | { op: "fixed64"; v: bigint }
  | { op: "bytes"; v: Uint8Array }
  | { op: "hex"; v: Uint8Array; upper: boolean }
  | { op: "nested"; reserve: number; body: Op[] };
const ops: fc.Arbitrary<Op[]> = fc.letrec<{ ops: Op[]; op: Op }>((tie) => ({
  op: fc.oneof(
    { depthIdentifier: "ops" },
    anyString.map((v): Op => ({ op: "string", v })),
    fc.nat({ max: 2 ** 32 - 1 }).map((v): Op => ({ op: "uint32", v })),
    fc.maxSafeInteger().map((v): Op => ({ op: "int64", v })),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v): Op => ({ op: "bigint64", v })),
    fc.double().map((v): Op => ({ op: "double", v })),
    fc.nat({ max: 2 ** 32 - 1 }).map((v): Op => ({ op: "fixed32", v })),
    fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((v): Op => ({ op: "fixed64", v })),
    fc.uint8Array({ maxLength: 300 }).map((v): Op => ({ op: "bytes", v })),
    fc.record({ v: fc.uint8Array({ maxLength: 20 }), upper: fc.boolean() }).map((r): Op => ({ op: "hex", ...r })),
    fc.record({ op: fc.constant("nested" as const), reserve: fc.integer({ min: 1, max: 5 }), body: tie("ops") }),
  ),
  ops: fc.array(tie("op"), { maxLength: 8, depthIdentifier: "ops" }),
})).ops;

function replayOurs(program: Op[]): void {
  for (const o of program) {
    if (o.op === "nested") {
      const start = w.fork(10, o.reserve);
      replayOurs(o.body);
      w.join(start, o.reserve);
      continue;
    }
    w.varint(10);
    if (o.op === "string") w.string(o.v);
    else if (o.op === "uint32") w.varint(o.v);
    else if (o.op === "int64" || o.op === "bigint64") w.int64(o.v);
    else if (o.op === "double") w.double(o.v);
    else if (o.op === "fixed32") w.fixed32(o.v);
    else if (o.op === "fixed64") w.fixed64(Number(o.v & 0xffffffffn), Number(o.v >> 32n));
    else if (o.op === "bytes") w.bytes(o.v);
    else w.hexBytes(Buffer.from(o.v).toString("hex")[o.upper ? "toUpperCase" : "toLowerCase"]());
  }
}

function replayBuf(w: BinaryWriter, program: Op[]): void {
  for (const o of program) {
    w.uint32(10);
    if (o.op === "string") w.string(o.v);
    else if (o.op === "uint32") w.uint32(o.v);
    else if (o.op === "int64" || o.op === "bigint64") w.int64(o.v);
    else if (o.op === "double") w.double(o.v);
    else if (o.op === "fixed32") w.fixed32(o.v);
    else if (o.op === "fixed64") w.fixed64(o.v);
    else if (o.op === "bytes" || o.op === "hex") w.bytes(o.v);
    else {
      w.fork();
      replayBuf(w, o.body);
      w.join();
    }
  }
}

describe("proto writer", () => {
  it("writes what @bufbuild's BinaryWriter writes, from any starting buffer size", () => {
    fc.assert(
      fc.property(ops, fc.integer({ min: 0, max: 64 }), (program, size) => {
        w.begin(size);
        replayOurs(program);
        const theirs = new BinaryWriter();
        replayBuf(theirs, program);
        expect(Buffer.from(w.finish()).toString("hex")).toBe(Buffer.from(theirs.finish()).toString("hex"));
      }),
      { numRuns: 500 },
    );
  });

  it("grows when a nested message's length outgrows its reservation in a full buffer", () => {
    for (const len of [126, 127, 128, 200, 16381, 16382, 16383, 16384]) {
      const program: Op[] = [{ op: "nested", reserve: 1, body: [{ op: "bytes", v: new Uint8Array(len).fill(7) }] }];
      const theirs = new BinaryWriter();
      replayBuf(theirs, program);
      const expected = theirs.finish();
      // A buffer that the tag, the one reserved length byte and the content fill exactly, so a longer length must grow it.
      const inner = 1 + (len < 128 ? 1 : len < 16384 ? 2 : 3) + len;
      const size = 2 + inner;
      w.begin(size);
      replayOurs(program);
      expect(Buffer.from(w.finish()).toString("hex")).toBe(Buffer.from(expected).toString("hex"));
    }
  });

  it("writes strings as TextEncoder does, lone surrogates included", () => {
    const enc = new TextEncoder();
    fc.assert(
      fc.property(anyString, (s) => {
        w.begin(8);
        w.string(s);
        const bytes = w.finish();
        const utf8 = enc.encode(s);
        const prefix = new BinaryWriter().uint32(utf8.length).finish();
        expect(Buffer.from(bytes).toString("hex")).toBe(Buffer.from(prefix).toString("hex") + Buffer.from(utf8).toString("hex"));
      }),
      { numRuns: 500 },
    );
  });

  it("writes int64 of numbers as two's complement, like the same value as bigint", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        w.begin(1);
        w.int64(n);
        const a = w.finish();
        w.begin(1);
        w.int64(BigInt(n));
        expect(a).toEqual(w.finish());
      }),
    );
  });
});

describe("time conversion", () => {
  // The exact value of a double, as a fraction num / 2^shift, then ms * 1e6 rounded half up.
  function exactNanos(ms: number): bigint {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, ms);
    const bits = view.getBigUint64(0);
    const exp = Number((bits >> 52n) & 0x7ffn);
    const mantissa = (bits & ((1n << 52n) - 1n)) | (exp ? 1n << 52n : 0n);
    const shift = 1075n - BigInt(exp || 1); // value = mantissa * 2^-shift
    if (shift <= 0n) return mantissa * 1000000n * (1n << -shift);
    const scaled = mantissa * 1000000n;
    return (scaled + (1n << (shift - 1n))) >> shift;
  }

  it("gives the exact nanoseconds, rounded half up, for timestamps since 1970-04", () => {
    // From 2^33 ms on, a double's fraction of a ms times 1e6 is exact, so the float rounding is the exact one.
    fc.assert(
      fc.property(fc.double({ min: 2 ** 33, max: 18446744073708, noNaN: true }), (ms) => {
        expect(msToNanosBigInt(ms)).toBe(exactNanos(ms));
      }),
      { numRuns: 1000 },
    );
  });

  it("stays within 1 ns of the exact value in its [low, high] halves, and is 0 out of range", () => {
    const parts = new Uint32Array(2);
    fc.assert(
      fc.property(fc.oneof(timeMs, fc.double()), (ms) => {
        msToNanosParts(ms, parts);
        const halves = BigInt(parts[1]) * 2n ** 32n + BigInt(parts[0]);
        expect(msToNanosBigInt(ms)).toBe(halves);
        if (ms >= 0 && ms < 18446744073708) {
          const diff = halves - exactNanos(ms);
          expect(diff >= -1n && diff <= 1n).toBe(true);
        } else if (!(ms >= 0 && ms < 18446744073710)) {
          expect(halves).toBe(0n);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
