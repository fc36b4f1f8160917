import { AsyncLocalStorage } from "node:async_hooks";
import { describe, expect, it } from "vitest";
import { attributesToObject } from "../src/common/attributes.ts";
import { ROOT_CONTEXT, type Context } from "../src/context/context.ts";
import { AsyncLocalStorageContextManager } from "../src/context/context-manager.ts";
import { AlwaysOffSampler, ParentBasedSampler, TraceIdRatioBasedSampler } from "../src/trace/sampler.ts";
import { getSpan, isSpanContextValid, setSpanContext } from "../src/trace/span-context.ts";
import { SpanKind, SpanStatusCode, type ReadableSpan } from "../src/trace/span-record.ts";
import { memoryTelemetry } from "./helpers/memory-telemetry.ts";

const attrs = (s: ReadableSpan) => attributesToObject(s.attributes);

describe("Tracer and Span", () => {
  it("records a span with kind, attributes, events, links, status and times", () => {
    const { telemetry, spans } = memoryTelemetry();
    const tracer = telemetry.tracer("payments-api", "1.0.0");
    const before = Date.now();
    const link = { context: { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 1 }, attributes: { why: "retry" } };
    const span = tracer.startSpan("charge", { kind: SpanKind.SERVER, attributes: { "payment.amount": 1.5 }, links: [link] });
    span.setAttribute("user.id", "u1").setAttributes({ count: 3, ok: true, tags: ["a", "b"] });
    span.addEvent("rows", { count: 3 });
    span.addEvent("timed", 1_700_000_000_000);
    span.setStatus({ code: SpanStatusCode.ERROR, message: "declined" });
    span.updateName("charge card");
    expect(span.isRecording()).toBe(true);
    span.end();
    expect(span.isRecording()).toBe(false);

    const [s] = spans();
    expect(s!.name).toBe("charge card");
    expect(s!.kind).toBe(SpanKind.SERVER);
    expect(s!.scope).toEqual({ name: "payments-api", version: "1.0.0", schemaUrl: undefined });
    expect(attrs(s!)).toEqual({ "payment.amount": 1.5, "user.id": "u1", count: 3, ok: true, tags: ["a", "b"] });
    expect(s!.events.map((e) => e.name)).toEqual(["rows", "timed"]);
    expect(attributesToObject(s!.events[0]!.attributes)).toEqual({ count: 3 });
    expect(s!.events[1]!.time).toBe(1_700_000_000_000);
    expect(s!.links).toHaveLength(1);
    expect(s!.links[0]!.context.spanId).toBe("00f067aa0ba902b7");
    expect(attributesToObject(s!.links[0]!.attributes)).toEqual({ why: "retry" });
    expect(s!.status).toEqual({ code: SpanStatusCode.ERROR, message: "declined" });
    expect(s!.startTime).toBeGreaterThanOrEqual(before - 1);
    expect(s!.endTime).toBeGreaterThanOrEqual(s!.startTime);
    expect(s!.endTime).toBeLessThan(Date.now() + 50);
    expect(s!.parentSpanId).toBeUndefined();
    expect(isSpanContextValid(s!.spanContext())).toBe(true);
    expect(s!.spanContext().traceFlags).toBe(1);
  });

  it("ignores changes after end and a second end, with a warning", () => {
    const { telemetry, spans, warnings } = memoryTelemetry();
    const span = telemetry.tracer("t").startSpan("x");
    span.end();
    span.setAttribute("late", 1).addEvent("late").updateName("late");
    span.end();
    expect(spans()).toHaveLength(1);
    expect(spans()[0]!.name).toBe("x");
    expect(attrs(spans()[0]!)).toEqual({});
    expect(warnings.some((w) => w.includes("ended twice"))).toBe(true);
    expect(warnings.some((w) => w.includes("after end"))).toBe(true);
  });

  it("follows the status rules: OK is final, UNSET never overrides, messages only with ERROR", () => {
    const { telemetry, spans } = memoryTelemetry();
    const t = telemetry.tracer("t");
    const a = t.startSpan("a");
    a.setStatus({ code: SpanStatusCode.OK, message: "ignored" });
    a.setStatus({ code: SpanStatusCode.ERROR, message: "too late" });
    a.end();
    const b = t.startSpan("b");
    b.setStatus({ code: SpanStatusCode.ERROR, message: "bad" });
    b.setStatus({ code: SpanStatusCode.UNSET });
    b.end();
    expect(spans()[0]!.status).toEqual({ code: SpanStatusCode.OK });
    expect(spans()[1]!.status).toEqual({ code: SpanStatusCode.ERROR, message: "bad" });
  });

  it("records exceptions as events with the semantic-convention attributes", () => {
    const { telemetry, spans } = memoryTelemetry();
    const span = telemetry.tracer("t").startSpan("x");
    const err = new TypeError("nope");
    span.recordException(err);
    span.recordException("plain message");
    span.end();
    const [e1, e2] = spans()[0]!.events;
    expect(e1!.name).toBe("exception");
    expect(attributesToObject(e1!.attributes)).toEqual({ "exception.type": "TypeError", "exception.message": "nope", "exception.stacktrace": err.stack });
    expect(attributesToObject(e2!.attributes)).toEqual({ "exception.message": "plain message" });
  });

  it("parents spans on the active span and on an explicit context", () => {
    const { telemetry, spans } = memoryTelemetry();
    const tracer = telemetry.tracer("t");
    tracer.startActiveSpan("root", (root) => {
      const child = tracer.startSpan("child");
      child.end();
      expect(getSpan(telemetry.context.active())).toBe(root);
      root.end();
    });
    const remote = setSpanContext(ROOT_CONTEXT, {
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      traceFlags: 1,
      isRemote: true,
    });
    tracer.startSpan("work", {}, remote).end();
    tracer.startSpan("fresh", { root: true }, remote).end();
    const [child, root, work, fresh] = spans();
    expect(child!.parentSpanId).toBe(root!.spanContext().spanId);
    expect(child!.spanContext().traceId).toBe(root!.spanContext().traceId);
    expect(child!.parentIsRemote).toBe(false);
    expect(work!.spanContext().traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(work!.parentSpanId).toBe("00f067aa0ba902b7");
    expect(work!.parentIsRemote).toBe(true);
    expect(fresh!.parentSpanId).toBeUndefined();
    expect(fresh!.spanContext().traceId).not.toBe("4bf92f3577b34da6a3ce929d0e0e4736");
  });

  it("supports every startActiveSpan overload and returns fn's value", async () => {
    const { telemetry, spans } = memoryTelemetry();
    const tracer = telemetry.tracer("t");
    const parent = setSpanContext(ROOT_CONTEXT, { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 1, isRemote: true });
    expect(tracer.startActiveSpan("a", (s) => (s.end(), 1))).toBe(1);
    expect(tracer.startActiveSpan("b", { kind: SpanKind.CLIENT }, (s) => (s.end(), 2))).toBe(2);
    expect(tracer.startActiveSpan("c", {}, parent, (s) => (s.end(), 3))).toBe(3);
    const v = await tracer.startActiveSpan("d", async (s) => {
      await Promise.resolve();
      s.end();
      return 4;
    });
    expect(v).toBe(4);
    const [a, b, c, d] = spans();
    expect(a!.name).toBe("a");
    expect(b!.kind).toBe(SpanKind.CLIENT);
    expect(c!.parentSpanId).toBe("00f067aa0ba902b7");
    expect(d!.name).toBe("d");
  });

  it("keeps the parent across await with an AsyncLocalStorage context manager", async () => {
    const { telemetry, spans } = memoryTelemetry({ contextManager: new AsyncLocalStorageContextManager(new AsyncLocalStorage<Context>()) });
    const tracer = telemetry.tracer("t");
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        tracer.startActiveSpan(`root-${i}`, async (root) => {
          await new Promise((r) => setTimeout(r, (i * 7) % 5));
          tracer.startSpan(`child-${i}`).end();
          root.end();
        }),
      ),
    );
    const byName = new Map(spans().map((s) => [s.name, s]));
    for (let i = 0; i < 20; i++) {
      expect(byName.get(`child-${i}`)!.parentSpanId).toBe(byName.get(`root-${i}`)!.spanContext().spanId);
    }
  });

  it("unsampled spans are non-recording, keep the trace id, and are not exported", () => {
    const { telemetry, spans } = memoryTelemetry({ sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }) });
    const tracer = telemetry.tracer("t");
    const root = tracer.startSpan("root");
    expect(root.isRecording()).toBe(false);
    expect(root.spanContext().traceFlags).toBe(0);
    expect(isSpanContextValid(root.spanContext())).toBe(true);
    root.setAttribute("x", 1).end();
    expect(spans()).toHaveLength(0);
  });

  it("applies span limits and counts what they drop", () => {
    const { telemetry, spans } = memoryTelemetry({
      limits: { attributeCountLimit: 2, attributeValueLengthLimit: 3, eventCountLimit: 1, linkCountLimit: 1, attributePerEventCountLimit: 1 },
    });
    const ctx = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 1 };
    const span = telemetry.tracer("t").startSpan("x", { links: [{ context: ctx }, { context: ctx }] });
    span.setAttributes({ a: "abcdef", b: ["xyzw"], c: 1, d: 2 });
    span.setAttribute("a", "overwritten");
    span.addEvent("e1", { k1: 1, k2: 2 });
    span.addEvent("e2");
    span.end();
    const [s] = spans();
    expect(attrs(s!)).toEqual({ a: "ove", b: ["xyz"] });
    expect(s!.droppedAttributesCount).toBe(2);
    expect(s!.events).toHaveLength(1);
    expect(s!.events[0]!.droppedAttributesCount).toBe(1);
    expect(s!.droppedEventsCount).toBe(1);
    expect(s!.links).toHaveLength(1);
    expect(s!.droppedLinksCount).toBe(1);
  });

  it("reads span limits from OTEL_* variables", () => {
    const { telemetry, spans } = memoryTelemetry({ env: { OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: "1", OTEL_SPAN_EVENT_COUNT_LIMIT: "0" } });
    const span = telemetry.tracer("t").startSpan("x", { attributes: { a: 1, b: 2 } });
    span.addEvent("dropped");
    span.end();
    expect(spans()[0]!.droppedAttributesCount).toBe(1);
    expect(spans()[0]!.droppedEventsCount).toBe(1);
  });

  it("drops invalid attribute values with a warning, never a throw", () => {
    const { telemetry, spans, warnings } = memoryTelemetry();
    const span = telemetry.tracer("t").startSpan("x");
    expect(() =>
      span.setAttributes({ obj: { a: 1 } as never, mixed: [1, "a"] as never, fn: (() => 1) as never, big: 12n, ok: "yes" }),
    ).not.toThrow();
    span.end();
    expect(attrs(spans()[0]!)).toEqual({ big: 12n, ok: "yes" });
    expect(warnings.length).toBeGreaterThan(0);
  });

  it("uses the sampler from OTEL_TRACES_SAMPLER", () => {
    const off = memoryTelemetry({ env: { OTEL_TRACES_SAMPLER: "always_off" } });
    off.telemetry.tracer("t").startSpan("x").end();
    expect(off.spans()).toHaveLength(0);
    const ratio = memoryTelemetry({ env: { OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "0" } });
    ratio.telemetry.tracer("t").startSpan("x").end();
    expect(ratio.spans()).toHaveLength(0);
    const explicit = memoryTelemetry({ env: { OTEL_TRACES_SAMPLER: "always_off" }, sampler: new TraceIdRatioBasedSampler(1) });
    explicit.telemetry.tracer("t").startSpan("x").end();
    expect(explicit.spans()).toHaveLength(1);
  });

  it("OTEL_SDK_DISABLED=true makes spans non-recording but keeps propagation", () => {
    const { telemetry, spans } = memoryTelemetry({ env: { OTEL_SDK_DISABLED: "true" } });
    expect(telemetry.disabled).toBe(true);
    const ctx = telemetry.propagation.extract({ traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" });
    const span = telemetry.tracer("t").startSpan("x", {}, ctx);
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext().traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    span.end();
    expect(spans()).toHaveLength(0);
  });

  it("returns the same tracer for the same scope", () => {
    const { telemetry } = memoryTelemetry();
    expect(telemetry.tracer("a", "1")).toBe(telemetry.tracer("a", "1"));
    expect(telemetry.tracer("a", "1")).not.toBe(telemetry.tracer("a", "2"));
  });
});
