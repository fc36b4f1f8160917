import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { toBinary } from "@bufbuild/protobuf";
import { ExportLogsServiceRequestSchema } from "../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import { encodeLogsRequest } from "../src/otlp/logs-encoder.ts";
import { msToNanosBigInt } from "../src/otlp/time.ts";
import type { Resource } from "../src/common/types.ts";
import type { AnyValue, ReadableLogRecord } from "../src/logs/log-record.ts";
import { logsBatch } from "./helpers/encoder-metrics-logs-arbitraries.ts";
import { referenceLogsRequest } from "./helpers/encoder-metrics-logs-reference.ts";
import { decodeLogs } from "./helpers/proto-decoder.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function expectSameBytes(resource: Resource, records: readonly ReadableLogRecord[]): void {
  const expected = toBinary(ExportLogsServiceRequestSchema, referenceLogsRequest(resource, records));
  expect(hex(encodeLogsRequest(resource, records))).toBe(hex(expected));
}

const resource: Resource = { attributes: ["service.name", "checkout"], droppedAttributesCount: 0 };
const scope = { name: "edge-otel.test", version: "1.2.3" };
const t0 = 1732240000123.5;
const traceId = "5b8efff798038103d269b633813fc60c";
const spanId = "eee19b7ec3c1b174";

const record = (more: Partial<ReadableLogRecord> = {}): ReadableLogRecord => ({
  time: t0,
  observedTime: t0 + 1,
  severityNumber: 9,
  severityText: "INFO",
  body: "hello",
  attributes: ["http.route", "/items"],
  droppedAttributesCount: 0,
  traceFlags: 1,
  traceId,
  spanId,
  eventName: "",
  scope,
  ...more,
});

describe("encodeLogsRequest", () => {
  it("matches toBinary of the reference message for random batches", () => {
    fc.assert(
      fc.property(logsBatch, ({ resource, records }) => expectSameBytes(resource, records)),
      { numRuns: 400 },
    );
  });

  it("matches for an empty batch and for records of zero values only", () => {
    expectSameBytes({ attributes: [], droppedAttributesCount: 0 }, []);
    const empty = record({ time: 0, observedTime: 0, severityNumber: 0, severityText: "", body: undefined, attributes: [], traceFlags: 0, traceId: undefined, spanId: undefined });
    expectSameBytes(resource, [empty, record({ body: null }), record({ traceFlags: 0x300, droppedAttributesCount: 4, eventName: "app.start" })]);
  });

  it("writes empty bodies as present bodies, and null as no body", () => {
    const bodies: AnyValue[] = ["", 0, -0, false, 0n, [], {}, new Uint8Array(0), [null, undefined, []], { "": null }];
    expectSameBytes(resource, bodies.map((body) => record({ body })));
    const decoded = decodeLogs(encodeLogsRequest(resource, [record({ body: null }), record({ body: "" }), record({ body: {} })]));
    const logs = decoded.resourceLogs[0].scopeLogs[0].logRecords;
    expect(logs.map((l: { body?: unknown }) => l.body)).toEqual([undefined, { stringValue: "" }, { kvlistValue: {} }]);
  });

  it("writes a cycle in a body as an empty value, and cuts nesting at 32 levels", () => {
    const cyclic: { [k: string]: AnyValue } = { a: 1, list: [] };
    cyclic.self = cyclic;
    (cyclic.list as AnyValue[]).push(cyclic, "x");
    const shared = { k: "v" };
    const dag = { one: shared, two: [shared, shared] }; // no cycle: every reference is written out
    let deep: AnyValue = "bottom";
    for (let i = 0; i < 40; i++) deep = i % 2 ? [deep] : { level: deep };
    const records = [record({ body: cyclic }), record({ body: dag }), record({ body: deep, attributes: ["deep", deep, "cyclic", cyclic] })];
    expectSameBytes(resource, records);

    const logs = decodeLogs(encodeLogsRequest(resource, records)).resourceLogs[0].scopeLogs[0].logRecords;
    const kv = logs[0].body.kvlistValue.values;
    expect(kv.map((x: { key: string }) => x.key)).toEqual(["a", "list", "self"]);
    expect(kv[2].value).toEqual({});
    expect(kv[1].value.arrayValue.values).toEqual([{}, { stringValue: "x" }]);
    expect(logs[1].body.kvlistValue.values[1].value.arrayValue.values[1]).toEqual({ kvlistValue: { values: [{ key: "k", value: { stringValue: "v" } }] } });
    // Count the levels that were written: arrays and maps alternate, 32 of them, then an empty value.
    let levels = 0;
    for (let v = logs[2].body; v.kvlistValue || v.arrayValue; levels++) v = v.kvlistValue ? v.kvlistValue.values[0].value : v.arrayValue.values[0];
    expect(levels).toBe(32);
  });

  it("decodes with protobufjs to the values we put in", () => {
    const body = { msg: "héllo 😀", n: -42, big: -(2n ** 63n), d: 0.25, ok: true, raw: new Uint8Array([1, 2, 255]), list: ["a", 1, [2]], none: null };
    const a = record({ body, severityNumber: 17, severityText: "ERROR", traceFlags: 0x101, droppedAttributesCount: 2, eventName: "app.crash" });
    const b = record({ time: 0, traceId: undefined, spanId: undefined, traceFlags: 0, scope: { name: "other" } });
    const decoded = decodeLogs(encodeLogsRequest(resource, [a, b]));
    const rl = decoded.resourceLogs[0];
    expect(rl.resource.attributes).toEqual([{ key: "service.name", value: { stringValue: "checkout" } }]);
    expect(rl.scopeLogs.map((s: { scope: unknown }) => s.scope)).toEqual([scope, { name: "other" }]);
    const [la] = rl.scopeLogs[0].logRecords;
    const [lb] = rl.scopeLogs[1].logRecords;
    expect(la).toMatchObject({
      timeUnixNano: String(msToNanosBigInt(t0)),
      observedTimeUnixNano: String(msToNanosBigInt(t0 + 1)),
      severityNumber: 17,
      severityText: "ERROR",
      attributes: [{ key: "http.route", value: { stringValue: "/items" } }],
      droppedAttributesCount: 2,
      flags: 1, // the trace flags byte only
      traceId,
      spanId,
      eventName: "app.crash",
    });
    expect(la.body.kvlistValue.values).toEqual([
      { key: "msg", value: { stringValue: "héllo 😀" } },
      { key: "n", value: { intValue: "-42" } },
      { key: "big", value: { intValue: String(-(2n ** 63n)) } },
      { key: "d", value: { doubleValue: 0.25 } },
      { key: "ok", value: { boolValue: true } },
      { key: "raw", value: { bytesValue: "0102ff" } },
      { key: "list", value: { arrayValue: { values: [{ stringValue: "a" }, { intValue: "1" }, { arrayValue: { values: [{ intValue: "2" }] } }] } } },
      { key: "none", value: {} },
    ]);
    expect(lb.timeUnixNano).toBeUndefined();
    expect(lb.traceId).toBeUndefined();
    expect(lb.flags).toBeUndefined();
    expect(lb.body).toEqual({ stringValue: "hello" });
  });
});
