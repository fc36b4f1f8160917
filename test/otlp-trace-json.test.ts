import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fromJson, toBinary, toJson, type JsonValue } from "@bufbuild/protobuf";
import { ExportTraceServiceRequestSchema } from "../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { encodeTraceRequestJson } from "../src/otlp/trace-json-encoder.ts";
import { referenceTraceRequest } from "./helpers/encoder-reference.ts";
import { spanOf, traceBatch, traceStateOf } from "./helpers/encoder-arbitraries.ts";
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
      fc.property(traceBatch, ({ resource, spans }) => {
        const ours = JSON.parse(encodeTraceRequestJson(resource, spans)) as unknown;
        const reference = toJson(ExportTraceServiceRequestSchema, referenceTraceRequest(resource, spans), { enumAsInteger: true });
        expect(ours).toEqual(wellFormed(mapIds(reference, base64ToHex)));
      }),
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
});
