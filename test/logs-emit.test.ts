import { describe, expect, it } from "vitest";
import { attributesToObject } from "../src/common/attributes.ts";
import { msToNanosBigInt } from "../src/otlp/time.ts";
import type { DiagLogger } from "../src/common/types.ts";
import { ROOT_CONTEXT, type Context } from "../src/context/context.ts";
import { ExplicitContextManager, type ContextManager } from "../src/context/context-manager.ts";
import { createLoggerProvider, type LoggerProviderOptions } from "../src/logs/logger.ts";
import type { AnyValue, ReadableLogRecord } from "../src/logs/log-record.ts";
import { SeverityNumber } from "../src/logs/log-record.ts";
import type { LogRecordProcessor } from "../src/logs/log-record-processor.ts";
import { AlwaysOffSampler } from "../src/trace/sampler.ts";
import { setSpanContext } from "../src/trace/span-context.ts";
import { memoryTelemetry } from "./helpers/memory-telemetry.ts";

const done = () => Promise.resolve({ status: "success" as const, exported: 0, dropped: 0 });

/** A provider whose records (and the contexts they came with) are kept in arrays; diag is recorded. */
function setup(options: Partial<LoggerProviderOptions> = {}) {
  const records: ReadableLogRecord[] = [];
  const contexts: Context[] = [];
  const warnings: string[] = [];
  const diag: DiagLogger = { error: (m) => warnings.push(m), warn: (m) => warnings.push(m), info() {}, debug() {} };
  const processor: LogRecordProcessor = {
    onEmit: (r, c) => void (records.push(r), contexts.push(c)),
    forceFlush: done,
    shutdown: done,
  };
  const provider = createLoggerProvider({
    processor,
    limits: { countLimit: 128, valueLengthLimit: Infinity },
    contextManager: new ExplicitContextManager(),
    diag,
    ...options,
  });
  return { provider, records, contexts, warnings };
}

describe("logger.emit", () => {
  it("builds a record of every field given, for the logger's scope", () => {
    const { provider, records } = setup();
    const logger = provider.logger("checkout", "1.2.0", { schemaUrl: "https://opentelemetry.io/schemas/1.30.0" });
    logger.emit({
      timestamp: 1732240000123.25,
      observedTimestamp: new Date(1732240000200),
      severityNumber: SeverityNumber.WARN2,
      severityText: "WARNING",
      body: "disk almost full",
      attributes: { "disk.free": 12, mount: "/" },
      eventName: "disk.low",
    });
    expect(records).toHaveLength(1);
    expect(records[0]).toEqual({
      time: 1732240000123.25,
      observedTime: 1732240000200,
      severityNumber: 14,
      severityText: "WARNING",
      body: "disk almost full",
      attributes: ["disk.free", 12, "mount", "/"],
      droppedAttributesCount: 0,
      traceFlags: 0,
      traceId: undefined,
      spanId: undefined,
      eventName: "disk.low",
      scope: { name: "checkout", version: "1.2.0", schemaUrl: "https://opentelemetry.io/schemas/1.30.0" },
    });
  });

  it("leaves the timestamp unset when none is given, and observes the current time", () => {
    const { provider, records } = setup();
    const before = Date.now();
    provider.logger("t").emit({ body: "x" });
    const after = Date.now();
    const [r] = records;
    expect(r!.time).toBe(0);
    expect(r!.observedTime).toBeGreaterThanOrEqual(before - 1);
    expect(r!.observedTime).toBeLessThanOrEqual(after + 1);
    expect(r!).toMatchObject({ severityNumber: 0, severityText: "", eventName: "", attributes: [], droppedAttributesCount: 0 });
  });

  it("takes times as epoch ms, Date or [seconds, nanoseconds], as spans do", () => {
    const { provider, records } = setup();
    const logger = provider.logger("t");
    const ms = 1732240000123.5;
    for (const timestamp of [ms, new Date(1732240000123), [1732240000, 123500000] as const]) logger.emit({ timestamp });
    expect(records.map((r) => msToNanosBigInt(r.time))).toEqual([msToNanosBigInt(ms), msToNanosBigInt(1732240000123), msToNanosBigInt(ms)]);
  });

  it("passes bodies of every AnyValue kind through as given", () => {
    const { provider, records } = setup();
    const bodies: AnyValue[] = ["text", "", 42, 0.5, -0, true, false, 2n ** 70n, new Uint8Array([1, 2]), ["a", 1, [null]], { k: { nested: [1n] } }, null, undefined];
    for (const body of bodies) provider.logger("t").emit({ body });
    expect(records).toHaveLength(bodies.length);
    records.forEach((r, i) => expect(r.body).toBe(bodies[i]));
  });

  it("gives the same logger for the same name, version and schema URL, and another otherwise", () => {
    const { provider } = setup();
    const a = provider.logger("a", "1");
    expect(provider.logger("a", "1")).toBe(a);
    expect(provider.logger("a", "2")).not.toBe(a);
    expect(provider.logger("a", "1", { schemaUrl: "s" })).not.toBe(a);
    expect(provider.logger("a", "1", { schemaUrl: "s" })).toBe(provider.logger("a", "1", { schemaUrl: "s" }));
    expect(provider.logger("a")).not.toBe(a);
  });

  it("keeps severity numbers 1–24 and writes anything else as unspecified", () => {
    const { provider, records } = setup();
    const given = [1, 24, 9, 0, 25, -3, 9.7, Number.NaN, "9" as unknown as number];
    for (const severityNumber of given) provider.logger("t").emit({ severityNumber });
    expect(records.map((r) => r.severityNumber)).toEqual([1, 24, 9, 0, 0, 0, 9, 0, 9]);
  });

  it("does nothing while disabled", () => {
    const { provider, records } = setup({ enabled: false });
    provider.logger("t").emit({ body: "x" });
    expect(records).toHaveLength(0);
  });
});

describe("trace correlation", () => {
  // A provider on the telemetry's own context manager, as the telemetry wires it.
  function withTelemetry(config: Parameters<typeof memoryTelemetry>[0] = {}) {
    const { telemetry } = memoryTelemetry(config);
    const logs = setup({ contextManager: telemetry.context as ContextManager });
    return { telemetry, ...logs, logger: logs.provider.logger("app") };
  }

  it("takes trace id, span id and flags from the active span", () => {
    const { telemetry, logger, records, contexts } = withTelemetry();
    const span = telemetry.tracer("t").startActiveSpan("work", (span) => {
      logger.emit({ body: "inside" });
      return span;
    });
    span.end();
    logger.emit({ body: "outside" });
    const sc = span.spanContext();
    expect(records[0]).toMatchObject({ traceId: sc.traceId, spanId: sc.spanId, traceFlags: 1 });
    expect(records[1]).toMatchObject({ traceId: undefined, spanId: undefined, traceFlags: 0 });
    // The processor sees the context the record was emitted in.
    expect(contexts[1]).toBe(ROOT_CONTEXT);
  });

  it("prefers a context passed in to the active one", () => {
    const { telemetry, logger, records, contexts } = withTelemetry();
    const other = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 1, isRemote: true };
    const ctx = setSpanContext(ROOT_CONTEXT, other);
    telemetry.tracer("t").startActiveSpan("work", (span) => {
      logger.emit({ body: "explicit", context: ctx });
      span.end();
    });
    expect(records[0]).toMatchObject({ traceId: other.traceId, spanId: other.spanId, traceFlags: 1 });
    expect(contexts[0]).toBe(ctx);
  });

  it("correlates with an unsampled span (flags 0) but not with an invalid span context", () => {
    const { telemetry, logger, records } = withTelemetry({ sampler: new AlwaysOffSampler() });
    const span = telemetry.tracer("t").startSpan("dropped");
    logger.emit({ context: setSpanContext(ROOT_CONTEXT, span.spanContext()) });
    const invalid = { traceId: "0".repeat(32), spanId: "00f067aa0ba902b7", traceFlags: 1 };
    const garbage = { traceId: "not hex", spanId: "x", traceFlags: 1 };
    for (const sc of [invalid, garbage, invalid]) logger.emit({ context: setSpanContext(ROOT_CONTEXT, sc) });
    expect(records[0]).toMatchObject({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId, traceFlags: 0 });
    for (const r of records.slice(1)) expect(r).toMatchObject({ traceId: undefined, spanId: undefined, traceFlags: 0 });
  });
});

describe("log record attributes", () => {
  it("keep any AnyValue, ignore null and undefined values and empty keys", () => {
    const { provider, records } = setup();
    const attributes = { s: "v", n: 1, b: false, big: 3n, bytes: new Uint8Array([7]), list: [1, "mixed", [true]], map: { a: { b: "c" } }, none: null, gone: undefined, "": "empty key" };
    provider.logger("t").emit({ attributes });
    expect(attributesToObject(records[0]!.attributes)).toEqual({ s: "v", n: 1, b: false, big: 3n, bytes: new Uint8Array([7]), list: [1, "mixed", [true]], map: { a: { b: "c" } } });
    expect(records[0]!.droppedAttributesCount).toBe(0);
  });

  it("apply the count limit, counting what they drop", () => {
    const { provider, records } = setup({ limits: { countLimit: 2, valueLengthLimit: Infinity } });
    provider.logger("t").emit({ attributes: { a: 1, b: 2, c: 3, d: 4, skipped: null } });
    expect(records[0]!.attributes).toEqual(["a", 1, "b", 2]);
    expect(records[0]!.droppedAttributesCount).toBe(2);
  });

  it("cut strings and byte arrays to the length limit, also inside arrays and maps", () => {
    const { provider, records } = setup({ limits: { countLimit: 128, valueLengthLimit: 3 } });
    const long = "abcdef";
    provider.logger("t").emit({
      body: long, // bodies are not limited
      attributes: { s: long, short: "ab", emoji: "ab\u{1F600}", bytes: new Uint8Array([1, 2, 3, 4]), list: [long, 12345678, [long]], map: { k: long, deep: { k: [long] } } },
    });
    const r = records[0]!;
    expect(r.body).toBe(long);
    expect(attributesToObject(r.attributes)).toEqual({
      s: "abc",
      short: "ab",
      emoji: "ab", // a surrogate pair is never split
      bytes: new Uint8Array([1, 2, 3]),
      list: ["abc", 12345678, ["abc"]],
      map: { k: "abc", deep: { k: ["abc"] } },
    });
  });

  it("are copies: later changes to the given arrays and maps do not reach the record", () => {
    const { provider, records } = setup();
    const list = ["a"];
    const map: Record<string, AnyValue> = { k: "v" };
    const bytes = new Uint8Array([1]);
    provider.logger("t").emit({ attributes: { list, map, bytes } });
    list[0] = "changed";
    map.k = "changed";
    bytes[0] = 9;
    expect(attributesToObject(records[0]!.attributes)).toEqual({ list: ["a"], map: { k: "v" }, bytes: new Uint8Array([1]) });
  });

  it("turn a cycle into null and keep a key named __proto__", () => {
    const { provider, records } = setup();
    const cyclic: Record<string, AnyValue> = { name: "loop" };
    cyclic.self = cyclic;
    const withProto = JSON.parse('{"__proto__": "kept"}') as Record<string, AnyValue>;
    provider.logger("t").emit({ attributes: { cyclic, withProto } });
    const stored = attributesToObject(records[0]!.attributes) as Record<string, Record<string, unknown>>;
    expect(stored.cyclic).toEqual({ name: "loop", self: null });
    expect(Object.keys(stored.withProto!)).toEqual(["__proto__"]);
    expect(Object.getOwnPropertyDescriptor(stored.withProto, "__proto__")?.value).toBe("kept");
  });
});

describe("logging never breaks the caller", () => {
  it("survives a throwing processor, a throwing getter and a missing record, with a warning", () => {
    const { provider, records, warnings } = setup();
    const logger = provider.logger("t");
    expect(() => logger.emit(undefined as never)).not.toThrow();
    const attributes = Object.defineProperty({}, "bad", {
      enumerable: true,
      get() {
        throw new Error("getter");
      },
    });
    expect(() => logger.emit({ attributes })).not.toThrow();
    expect(records).toHaveLength(0);
    expect(warnings.some((w) => w.includes("getter"))).toBe(true);

    const throwing = setup({
      processor: {
        onEmit() {
          throw new Error("processor");
        },
        forceFlush: done,
        shutdown: done,
      },
    });
    expect(() => throwing.provider.logger("t").emit({ body: "x" })).not.toThrow();
    expect(throwing.warnings.some((w) => w.includes("processor"))).toBe(true);
  });
});
