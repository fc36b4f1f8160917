import { afterEach, describe, expect, it } from "vitest";
import { activeContext, getLogger, getMeter, getTelemetry, getTracer, registerTelemetry } from "../src/global.ts";
import { ROOT_CONTEXT } from "../src/context/context.ts";
import { setSpan } from "../src/trace/span-context.ts";
import type { Telemetry } from "../src/telemetry.ts";
import type { ObservableCallback } from "../src/metrics/meter-api.ts";
import { memoryTelemetry } from "./helpers/memory-telemetry.ts";

afterEach(() => registerTelemetry(undefined));

describe("module-scope API before any telemetry", () => {
  it("gives silent non-recording spans, and runs startActiveSpan's callback", () => {
    const tracer = getTracer("shop");
    const span = tracer.startSpan("early");
    expect(span.isRecording()).toBe(false);
    span.setAttribute("a", 1).end();
    expect(tracer.startActiveSpan("x", (s) => s.isRecording())).toBe(false);
    expect(tracer.startActiveSpan("x", {}, ROOT_CONTEXT, () => 42)).toBe(42);
    expect(activeContext()).toBe(ROOT_CONTEXT);
    expect(getTelemetry()).toBeUndefined();
  });

  it("keeps the parent's context on a no-op span, so propagation still works", () => {
    const { telemetry } = memoryTelemetry();
    const parent = telemetry.tracer("t").startSpan("p");
    const span = getTracer("shop").startSpan("child", {}, setSpan(ROOT_CONTEXT, parent));
    expect(span.spanContext().traceId).toBe(parent.spanContext().traceId);
  });

  it("meters and loggers made before registration are no-ops, not crashes", () => {
    getMeter("m").createCounter("c").add(1, { a: 1 });
    getMeter("m").createHistogram("h").record(1);
    getLogger("l").emit({ body: "nobody listens" });
  });
});

describe("registered telemetry", () => {
  it("sends spans of a module-scope tracer to the telemetry registered when they start", () => {
    const tracer = getTracer("shop", "1.2.3");
    const a = memoryTelemetry();
    const b = memoryTelemetry();
    registerTelemetry(a.telemetry);
    tracer.startSpan("to-a").end();
    tracer.startActiveSpan("active-a", (span) => {
      expect(activeContext()).not.toBe(ROOT_CONTEXT);
      span.end();
    });
    registerTelemetry(b.telemetry);
    tracer.startSpan("to-b").end();
    expect(a.spans().map((s) => s.name)).toEqual(["to-a", "active-a"]);
    expect(b.spans().map((s) => s.name)).toEqual(["to-b"]);
    expect(a.spans()[0]!.scope).toMatchObject({ name: "shop", version: "1.2.3" });
  });

  it("binds module-scope observables to each telemetry registered later, and removes callbacks from all", () => {
    const made: { telemetry: string; name: string; callbacks: Set<ObservableCallback> }[] = [];
    const fake = (label: string) =>
      ({
        meter: () => ({
          createObservableGauge: (name: string) => {
            const callbacks = new Set<ObservableCallback>();
            made.push({ telemetry: label, name, callbacks });
            return { addCallback: (cb: ObservableCallback) => callbacks.add(cb), removeCallback: (cb: ObservableCallback) => callbacks.delete(cb) };
          },
        }),
      }) as unknown as Telemetry;
    const gauge = getMeter("m").createObservableGauge("queue.depth");
    const cb: ObservableCallback = (r) => r.observe(1);
    gauge.addCallback(cb);
    const one = fake("one");
    registerTelemetry(one);
    registerTelemetry(fake("two"));
    registerTelemetry(one); // already bound: not twice
    expect(made.map((m) => m.telemetry)).toEqual(["one", "two"]);
    expect(made.every((m) => m.name === "queue.depth" && m.callbacks.has(cb))).toBe(true);
    gauge.removeCallback(cb);
    expect(made.every((m) => m.callbacks.size === 0)).toBe(true);
  });

  it("resolves sync instruments per telemetry, creating each real instrument once", () => {
    const adds: unknown[][] = [];
    let creations = 0;
    const fake = {
      meter: () => ({
        createCounter: () => {
          creations++;
          return { add: (...a: unknown[]) => adds.push(a) };
        },
      }),
    } as unknown as Telemetry;
    const counter = getMeter("m").createCounter("requests");
    counter.add(1); // before registration: dropped
    registerTelemetry(fake);
    counter.add(2, { route: "/" });
    counter.add(3);
    expect(adds).toEqual([[2, { route: "/" }], [3]]);
    expect(creations).toBe(1);
  });

  it("routes module-scope logger records to the registered telemetry", () => {
    const emitted: unknown[] = [];
    registerTelemetry({ logger: () => ({ emit: (r: unknown) => emitted.push(r) }) } as unknown as Telemetry);
    getLogger("l").emit({ body: "hi" });
    expect(emitted).toEqual([{ body: "hi" }]);
  });
});
