import { describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fromJson, toBinary, toJson, type JsonValue } from "@bufbuild/protobuf";
import { ExportLogsServiceRequestSchema } from "../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import type { AttributeList, Resource } from "../src/common/types.ts";
import type { AnyValue, ReadableLogRecord } from "../src/logs/log-record.ts";
import type { ScopeWithAttributes } from "../src/otlp/common-encoder.ts";
import { encodeLogsRequestJson } from "../src/otlp/logs-json-encoder.ts";
import { msToNanosBigInt } from "../src/otlp/time.ts";
import { logsBatch } from "./helpers/encoder-metrics-logs-arbitraries.ts";
import { referenceLogsRequest } from "./helpers/encoder-metrics-logs-reference.ts";

const ID_KEYS = new Set(["traceId", "spanId"]);

// OTLP/JSON writes ids as hex where proto3 JSON has base64; this maps one to the other anywhere in a tree.
function mapIds(v: unknown, f: (id: string) => string): unknown {
  if (Array.isArray(v)) return v.map((x) => mapIds(x, f));
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, ID_KEYS.has(k) && typeof x === "string" ? f(x) : mapIds(x, f)]));
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
function expectReferenceJson(resource: Resource, records: readonly ReadableLogRecord[], json = encodeLogsRequestJson(resource, records)) {
  const reference = toJson(ExportLogsServiceRequestSchema, referenceLogsRequest(resource, records), { enumAsInteger: true });
  expect(JSON.parse(json)).toEqual(wellFormed(mapIds(reference, base64ToHex)));
}

const emptyResource: Resource = { attributes: [], droppedAttributesCount: 0 };
const scope = { name: "s", version: "1" };
const record = (more: Partial<ReadableLogRecord> = {}): ReadableLogRecord => ({
  time: 1732240000123.5,
  observedTime: 1732240000124,
  severityNumber: 9,
  severityText: "INFO",
  body: "hello",
  attributes: [],
  droppedAttributesCount: 0,
  traceFlags: 1,
  traceId: "5b8efff798038103d269b633813fc60c",
  spanId: "eee19b7ec3c1b174",
  eventName: "",
  scope,
  ...more,
});

interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values?: JsonAnyValue[] };
  kvlistValue?: { values?: { key: string; value: JsonAnyValue }[] };
}
type JsonKeyValue = { key: string; value: JsonAnyValue };
interface JsonLogsRequest {
  resourceLogs: {
    resource: { attributes?: JsonKeyValue[] };
    scopeLogs: {
      scope: { name: string; version?: string; attributes?: JsonKeyValue[] };
      logRecords: {
        timeUnixNano?: string;
        observedTimeUnixNano?: string;
        severityNumber?: number;
        severityText?: string;
        traceId?: string;
        spanId?: string;
        flags?: number;
        body?: JsonAnyValue;
        attributes?: JsonKeyValue[];
      }[];
    }[];
  }[];
}

// The example's values as ours (only the shapes it uses): an independent reading of the OTLP/JSON text.
function value(v: JsonAnyValue): AnyValue {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(value);
  if (v.kvlistValue) return Object.fromEntries((v.kvlistValue.values ?? []).map((kv) => [kv.key, value(kv.value)]));
  throw new Error("shape not in the example");
}
const list = (kvs: JsonKeyValue[] | undefined): AttributeList => (kvs ?? []).flatMap((kv) => [kv.key, value(kv.value)]);
const ms = (nanos: string | undefined) => (nanos ? Number(BigInt(nanos) / 1000000n) + Number(BigInt(nanos) % 1000000n) / 1e6 : 0);

describe("encodeLogsRequestJson", () => {
  it("reproduces the official OTLP/JSON logs example", () => {
    const example = JSON.parse(readFileSync(path.join(import.meta.dirname, "vectors", "logs.json"), "utf8")) as JsonLogsRequest;
    const actual = {
      resourceLogs: example.resourceLogs.flatMap((rl) => {
        const resource: Resource = { attributes: list(rl.resource.attributes), droppedAttributesCount: 0 };
        const records = rl.scopeLogs.flatMap((sl) => {
          const s: ScopeWithAttributes = { name: sl.scope.name, version: sl.scope.version, attributes: list(sl.scope.attributes) };
          return sl.logRecords.map(
            (r): ReadableLogRecord => ({
              time: ms(r.timeUnixNano),
              observedTime: ms(r.observedTimeUnixNano),
              severityNumber: r.severityNumber ?? 0,
              severityText: r.severityText ?? "",
              body: r.body ? value(r.body) : undefined,
              attributes: list(r.attributes),
              droppedAttributesCount: 0,
              traceFlags: r.flags ?? 0,
              traceId: r.traceId?.toLowerCase(),
              spanId: r.spanId?.toLowerCase(),
              eventName: "",
              scope: s,
            }),
          );
        });
        return (JSON.parse(encodeLogsRequestJson(resource, records)) as JsonLogsRequest).resourceLogs;
      }),
    };
    // The example's ids are upper-case hex, which OTLP receivers accept; we write lower case.
    expect(actual).toEqual(mapIds(example, (id) => id.toLowerCase()));
  });

  it("writes what @bufbuild's toJson writes for the reference message, ids as hex", () => {
    fc.assert(
      fc.property(logsBatch, ({ resource, records }) => expectReferenceJson(resource, records)),
      { numRuns: 400 },
    );
  });

  it("parses back with fromJson into the reference message", () => {
    fc.assert(
      fc.property(logsBatch, ({ resource, records }) => {
        const ours = mapIds(JSON.parse(encodeLogsRequestJson(resource, records)), hexToBase64) as JsonValue;
        const parsed = fromJson(ExportLogsServiceRequestSchema, ours);
        const expected = toBinary(ExportLogsServiceRequestSchema, referenceLogsRequest(resource, records));
        expect(Buffer.from(toBinary(ExportLogsServiceRequestSchema, parsed)).toString("hex")).toBe(Buffer.from(expected).toString("hex"));
      }),
      { numRuns: 300 },
    );
  });

  it("writes empty bodies as present bodies, null as no body, and zero values as no fields", () => {
    const bodies: AnyValue[] = ["", 0, -0, false, 0n, [], {}, new Uint8Array(0), [null, undefined, []], { "": null }, null, undefined];
    const records = bodies.map((body) => record({ body }));
    records.push(record({ time: 0, observedTime: 0, severityNumber: 0, severityText: "", traceFlags: 0x100, traceId: undefined, spanId: "" }));
    expectReferenceJson(emptyResource, records);
    const out = JSON.parse(encodeLogsRequestJson(emptyResource, records)) as JsonLogsRequest;
    const got = out.resourceLogs[0]!.scopeLogs[0]!.logRecords;
    expect(got.map((r) => r.body)).toEqual([
      { stringValue: "" },
      { intValue: "0" },
      { intValue: "0" },
      { boolValue: false },
      { intValue: "0" },
      { arrayValue: {} },
      { kvlistValue: {} },
      { bytesValue: "" },
      { arrayValue: { values: [{}, {}, { arrayValue: {} }] } },
      { kvlistValue: { values: [{ value: {} }] } },
      undefined,
      undefined,
      { stringValue: "hello" },
    ]);
    // Only the 0x100 bit, outside the trace flags byte, was set: no flags field.
    expect(got.at(-1)).toEqual({ body: { stringValue: "hello" } });
    expect(got[0]).toMatchObject({ timeUnixNano: String(msToNanosBigInt(1732240000123.5)), flags: 1 });
  });

  it("writes a cycle as an empty value and cuts nesting at 32 levels, in bodies and attributes", () => {
    const cyclic: { [k: string]: AnyValue } = { a: 1, list: [] };
    cyclic.self = cyclic;
    (cyclic.list as AnyValue[]).push(cyclic, "x");
    const shared = { k: "v" };
    const dag = { one: shared, two: [shared, shared] };
    let deep: AnyValue = "bottom";
    for (let i = 0; i < 40; i++) deep = i % 2 ? [deep] : { level: deep };
    const records = [record({ body: cyclic }), record({ body: dag }), record({ body: deep, attributes: ["deep", deep, "cyclic", cyclic] })];
    expectReferenceJson(emptyResource, records);
    const logs = (JSON.parse(encodeLogsRequestJson(emptyResource, records)) as JsonLogsRequest).resourceLogs[0]!.scopeLogs[0]!.logRecords;
    expect(logs[0]!.body!.kvlistValue!.values![2]).toEqual({ key: "self", value: {} });
    let levels = 0;
    for (let v = logs[2]!.body!; v.kvlistValue || v.arrayValue; levels++) v = v.kvlistValue ? v.kvlistValue.values![0]!.value : v.arrayValue!.values![0]!;
    expect(levels).toBe(32);
  });

  it("grows its buffer in the middle of a body", async () => {
    // A fresh module, so the buffer starts empty whatever the tests before this one wrote.
    vi.resetModules();
    const fresh = (await import("../src/otlp/logs-json-encoder.ts")).encodeLogsRequestJson;
    const big = (c: string) => c.repeat(70_000);
    const records = [
      record({ body: big("a"), attributes: ["k", { nested: [big("\u00e9"), new Uint8Array(50_000).fill(7)] }] }),
      record({ body: { m: big("\u20ac"), list: Array.from({ length: 3000 }, (_, i) => ({ i, s: `v${i}` })) } }),
    ];
    expectReferenceJson(emptyResource, records, fresh(emptyResource, records));
  });
});
