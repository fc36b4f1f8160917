import { format } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { createDiag } from "../src/common/diag.ts";
import { captureConsole, formatConsoleArgs } from "../src/logs/console-bridge.ts";
import type { Logger, LogRecordInput } from "../src/logs/logger-api.ts";
import { createLoggerProvider } from "../src/logs/logger.ts";
import type { ReadableLogRecord } from "../src/logs/log-record.ts";
import type { ContextManager } from "../src/context/context-manager.ts";
import { memoryTelemetry } from "./helpers/memory-telemetry.ts";

const METHODS = ["debug", "log", "info", "warn", "error"] as const;
type Method = (typeof METHODS)[number];
const ORIGINAL_WARN = Symbol.for("edge-otel.original-console-warn");
const STATE = Symbol.for("edge-otel.console-bridge");

/** A logger that keeps what it is given. */
function recordingLogger() {
  const inputs: LogRecordInput[] = [];
  const logger: Logger = { emit: (r) => void inputs.push(r) };
  return { logger, inputs };
}

// Each console method replaced by a silent spy first: the "original" the bridge wraps and must still call.
let spies: Record<Method, MockInstance>;
let originals: Record<Method, unknown>;
let uninstalls: (() => void)[];
beforeEach(() => {
  spies = Object.fromEntries(METHODS.map((m) => [m, vi.spyOn(console, m).mockImplementation(() => {})])) as unknown as typeof spies;
  originals = Object.fromEntries(METHODS.map((m) => [m, console[m]])) as typeof originals;
  uninstalls = [];
});
afterEach(() => {
  for (const u of uninstalls) u();
  vi.restoreAllMocks();
});
const install = (logger: Logger) => {
  const u = captureConsole(logger);
  uninstalls.push(u);
  return u;
};

describe("formatConsoleArgs", () => {
  it("formats as Node's console does, for placeholders, extra arguments and primitives", () => {
    const cases: unknown[][] = [
      ["hello %s, you are %d years (%i, %f) %j %c|%%|%x", "bob", 42.5, "42.9px", "3.5e2", { a: [1] }, "color: red"],
      ["%s %s", "only one"],
      ["100%%"],
      ["100%%", 1],
      ["%d %i %s", 5n, 6n, 7n],
      ["%d %i %f", Symbol("s"), Symbol("t"), Symbol("u")],
      ["%s", -0],
      ["%s", new URL("https://example.com/a")],
      [1, 2n, -0, true, null, undefined, Symbol("s")],
      ["", 1],
      ["a", "b", 3],
      [{ a: { b: { c: { d: 1 } } } }],
      [[1, [2, [3, [4]]]]],
      [new Date(0), /re/g],
      [function named() {}, () => 1],
      ["%o and %O", { b: 2 }, [1, 2]],
      [{}, []],
    ];
    for (const args of cases) expect(formatConsoleArgs(args)).toBe(format(...args));
  });

  it("renders objects safely: cycles, errors with stack and cause, maps, sets, long arrays", () => {
    const cyclic: Record<string, unknown> = { s: "x", n: null };
    cyclic.self = cyclic;
    expect(formatConsoleArgs([cyclic])).toBe('{ s: "x", n: null, self: [Circular] }');
    const error = new Error("boom", { cause: new TypeError("inner") });
    (error as Error & { code?: string }).code = "E_BOOM";
    const text = formatConsoleArgs(["failed:", error]);
    expect(text.startsWith(`failed: ${error.stack}`)).toBe(true);
    expect(text).toContain('code: "E_BOOM"');
    expect(text).toContain("[cause]: TypeError: inner");
    // An error whose stack lacks the message (as in other engines) still shows it.
    const bare = new RangeError("out");
    bare.stack = "    at somewhere";
    expect(formatConsoleArgs([bare])).toBe("RangeError: out\n    at somewhere");
    expect(formatConsoleArgs([new Map([["k", { v: 1 }]]), new Set([1, "a"])])).toBe('Map(1) { "k" => { v: 1 } } Set(2) { 1, "a" }');
    expect(formatConsoleArgs([Array.from({ length: 102 }, (_, i) => i)])).toMatch(/ 99, \.\.\. 2 more \]$/);
    class Point {
      x = 1;
    }
    expect(formatConsoleArgs([new Point(), { "a-b": 1 }])).toBe('Point { x: 1 } { "a-b": 1 }');
    // A circular %j falls back to [Circular], as Node's does.
    expect(formatConsoleArgs(["%j", cyclic])).toBe(format("%j", cyclic));
  });
});

describe("captureConsole", () => {
  it("turns each console method into records with the matching severity, and still prints", () => {
    const { logger, inputs } = recordingLogger();
    install(logger);
    const before = Date.now();
    for (const m of METHODS) console[m]("%s went %d%%", m, 50, { ok: true });
    const expected: Record<Method, [number, string]> = { debug: [5, "DEBUG"], log: [9, "INFO"], info: [9, "INFO"], warn: [13, "WARN"], error: [17, "ERROR"] };
    expect(inputs.map((r) => [r.severityNumber, r.severityText, r.body])).toEqual(
      METHODS.map((m) => [...expected[m], format("%s went %d%%", m, 50, { ok: true })]),
    );
    for (const r of inputs) expect(r.timestamp as number).toBeGreaterThanOrEqual(before - 1);
    for (const m of METHODS) expect(spies[m]).toHaveBeenCalledWith("%s went %d%%", m, 50, { ok: true });
  });

  it("correlates records with the active span, through the logger", () => {
    const { telemetry } = memoryTelemetry();
    const records: ReadableLogRecord[] = [];
    const done = () => Promise.resolve({ status: "success" as const, exported: 0, dropped: 0 });
    const logger = createLoggerProvider({
      processor: { onEmit: (r) => void records.push(r), forceFlush: done, shutdown: done },
      limits: { countLimit: 128, valueLengthLimit: Infinity },
      contextManager: telemetry.context as ContextManager,
      diag: telemetry.diag,
    }).logger("console");
    install(logger);
    const span = telemetry.tracer("t").startActiveSpan("work", (span) => {
      console.info("inside");
      return span;
    });
    span.end();
    console.info("outside");
    expect(records.map((r) => [r.body, r.traceId, r.spanId])).toEqual([
      ["inside", span.spanContext().traceId, span.spanContext().spanId],
      ["outside", undefined, undefined],
    ]);
  });

  it("records the original console.warn for the SDK's warnings, which never come back as records", () => {
    const { logger, inputs } = recordingLogger();
    install(logger);
    expect((console as unknown as Record<symbol, unknown>)[ORIGINAL_WARN]).toBe(originals.warn);
    // The SDK's default diag logger, warning while the app logs and on its own.
    const diag = createDiag(undefined);
    const warnFromInside: Logger = { emit: () => diag.warn("export failed") };
    install(warnFromInside);
    console.log("app message");
    diag.warn("later problem");
    expect(inputs.map((r) => r.body)).toEqual(["app message"]);
    expect(spies.warn.mock.calls.map((c) => c[0])).toEqual(["[edge-otel] export failed", "[edge-otel] later problem"]);
  });

  it("only prints a console call made while a record is being made (no loop)", () => {
    const { logger, inputs } = recordingLogger();
    // A user's diag logger that writes to console, called from inside emit.
    const loud: Logger = {
      emit(r) {
        console.warn("diag:", r.body);
        logger.emit(r);
      },
    };
    install(loud);
    console.error("real problem");
    expect(inputs.map((r) => r.body)).toEqual(["real problem"]);
    expect(spies.warn).toHaveBeenCalledWith("diag:", "real problem");
    expect(spies.error).toHaveBeenCalledWith("real problem");
  });

  it("wraps once however often it is installed; each logger gets each call once", () => {
    const a = recordingLogger();
    const b = recordingLogger();
    const ua1 = install(a.logger);
    const wrapped = console.log;
    const ua2 = install(a.logger);
    const ub = install(b.logger);
    expect(console.log).toBe(wrapped);
    console.log("one");
    expect(a.inputs.map((r) => r.body)).toEqual(["one"]);
    expect(b.inputs.map((r) => r.body)).toEqual(["one"]);
    expect(spies.log).toHaveBeenCalledTimes(1);
    ua1();
    ua1(); // a second call of the same uninstall changes nothing
    console.log("two");
    expect(a.inputs).toHaveLength(2);
    ua2();
    console.log("three");
    expect(a.inputs).toHaveLength(2);
    expect(b.inputs).toHaveLength(3);
    ub();
    expect(console.log).toBe(originals.log);
  });

  it("uninstalling restores the console exactly", () => {
    const descriptors = () => Reflect.ownKeys(console).map((k) => [k, Object.getOwnPropertyDescriptor(console, k)]);
    const before = descriptors();
    const { logger, inputs } = recordingLogger();
    const uninstall = install(logger);
    for (const m of METHODS) expect(console[m]).not.toBe(originals[m]);
    uninstall();
    expect(descriptors()).toEqual(before);
    expect(Reflect.ownKeys(console)).not.toContain(STATE);
    expect(Reflect.ownKeys(console)).not.toContain(ORIGINAL_WARN);
    console.log("after");
    expect(inputs).toHaveLength(0);
    expect(spies.log).toHaveBeenCalledWith("after");
  });

  it("leaves a wrapper installed on top of its own in place, passing calls through", () => {
    const { logger, inputs } = recordingLogger();
    const uninstall = install(logger);
    const ours = console.log;
    const theirs = vi.fn((...args: unknown[]) => ours(...args));
    console.log = theirs;
    uninstall();
    expect(console.log).toBe(theirs);
    console.log("still works");
    expect(spies.log).toHaveBeenCalledWith("still works");
    expect(inputs).toHaveLength(0);
    console.log = originals.log as typeof console.log;
  });

  it("still prints when the arguments cannot be formatted", () => {
    const { logger, inputs } = recordingLogger();
    install(logger);
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("no keys");
        },
      },
    );
    expect(() => console.log(hostile)).not.toThrow();
    expect(inputs).toHaveLength(0);
    expect(spies.log).toHaveBeenCalledWith(hostile);
  });
});
