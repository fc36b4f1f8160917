// The runtime-neutral instrumentation pieces: HTTP attributes and redaction, the fetch wrapper, the invocation
// lifecycle helpers and the tail-sampling processor.
import { describe, expect, it } from "vitest";
import { attributesToObject } from "../src/common/attributes.ts";
import { ROOT_CONTEXT } from "../src/context/context.ts";
import { instrumentFetch, matchPropagateTo } from "../src/instrumentation/fetch.ts";
import { failSpan, redactUrl, requestAttributes } from "../src/instrumentation/http.ts";
import { flushAfter, settleWithin, trackWaitUntil, watchBody } from "../src/instrumentation/invocation.ts";
import { W3CTraceContextPropagator } from "../src/propagation/trace-context-propagator.ts";
import { setSpan } from "../src/trace/span-context.ts";
import type { ProcessorFlushResult, SpanProcessor } from "../src/trace/span-processor.ts";
import { SpanStatusCode, type ReadableSpan } from "../src/trace/span-record.ts";
import { TailSamplingProcessor } from "../src/trace/tail-sampling-processor.ts";
import { memoryTelemetry } from "./helpers/memory-telemetry.ts";

describe("HTTP attributes", () => {
  it("redacts credentials and the sensitive query values semconv lists, keeping the keys", () => {
    expect(redactUrl(new URL("https://u:p@h.example/a?sig=1&q=2&Signature=x&X-Goog-Signature=y&AWSAccessKeyId=z&SIG=keep"))).toBe(
      "https://REDACTED:REDACTED@h.example/a?sig=REDACTED&q=2&Signature=REDACTED&X-Goog-Signature=REDACTED&AWSAccessKeyId=REDACTED&SIG=keep",
    );
    expect(redactUrl(new URL("https://h.example/?designation=1"))).toBe("https://h.example/?designation=1");
  });

  it("maps unknown methods to _OTHER and names the span HTTP", () => {
    const [name, a] = requestAttributes(new Request("https://h.example:8443/p?sig=s", { method: "PURGE" }), true, "203.0.113.9");
    expect(name).toBe("HTTP");
    expect(a).toMatchObject({
      "http.request.method": "_OTHER",
      "http.request.method_original": "PURGE",
      "server.port": 8443,
      "url.path": "/p",
      "url.query": "sig=REDACTED",
      "client.address": "203.0.113.9",
    });
    const [get, c] = requestAttributes(new Request("http://h.example/x"), false);
    expect([get, c["server.port"], c["url.path"], c["http.request.method_original"]]).toEqual(["GET", 80, undefined, undefined]);
  });

  it("matches propagateTo prefixes, RegExps and functions", () => {
    expect(matchPropagateTo(["https://api.example/"], "https://api.example/v1")).toBe(true);
    expect(matchPropagateTo(["https://api.example/"], "https://api.example.evil/")).toBe(false);
    expect(matchPropagateTo([/^https:\/\/(a|b)\.example\//], "https://b.example/x")).toBe(true);
    expect(matchPropagateTo((u) => u.endsWith("/ok"), "https://x/ok")).toBe(true);
    expect(matchPropagateTo(undefined, "https://x/")).toBe(false);
  });
});

describe("instrumentFetch", () => {
  const setup = (propagate: (url: string) => boolean) => {
    const m = memoryTelemetry({ propagators: [new W3CTraceContextPropagator()] });
    const parent = m.telemetry.tracer("t").startSpan("parent");
    const seen: Request[] = [];
    const fetchFn = async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input, init);
      seen.push(req);
      if (req.url.includes("fail")) throw new TypeError("network down");
      return new Response("x", { status: req.url.includes("missing") ? 404 : 200 });
    };
    const traced = instrumentFetch(fetchFn, () => ({
      tracer: m.telemetry.tracer("t"),
      context: setSpan(ROOT_CONTEXT, parent),
      propagator: m.telemetry.propagation,
      propagate,
    }));
    return { ...m, parent, seen, traced };
  };

  it("makes a CLIENT span under the parent and injects traceparent only where allowed", async () => {
    const { traced, seen, spans, parent } = setup((u) => u.startsWith("https://in.example/"));
    const headers = new Headers({ a: "1" });
    await traced("https://in.example/x", { headers });
    await traced("https://out.example/y");
    const [inSpan, outSpan] = spans();
    expect(inSpan!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(seen[0]!.headers.get("traceparent")).toBe(`00-${inSpan!.spanContext().traceId}-${inSpan!.spanContext().spanId}-01`);
    expect(seen[1]!.headers.has("traceparent")).toBe(false);
    // The caller's headers are left alone.
    expect([...headers.keys()]).toEqual(["a"]);
    expect(attributesToObject(outSpan!.attributes)).toMatchObject({ "http.response.status_code": 200, "server.address": "out.example", "server.port": 443 });
  });

  it("marks 4xx and thrown errors on client spans and rethrows", async () => {
    const { traced, spans } = setup(() => false);
    expect((await traced("https://h.example/missing")).status).toBe(404);
    await expect(traced("https://h.example/fail")).rejects.toThrow("network down");
    const [missing, failed] = spans();
    expect(missing!.status.code).toBe(SpanStatusCode.ERROR);
    expect(attributesToObject(missing!.attributes)["error.type"]).toBe("404");
    expect(attributesToObject(failed!.attributes)["error.type"]).toBe("TypeError");
    expect(failed!.events[0]!.name).toBe("exception");
  });

  it("calls fetch untraced when the resolver gives nothing", async () => {
    const calls: unknown[] = [];
    const traced = instrumentFetch(async (i: RequestInfo | URL) => (calls.push(i), new Response()), () => undefined);
    await traced("https://h.example/");
    expect(calls).toEqual(["https://h.example/"]);
  });
});

describe("invocation lifecycle", () => {
  it("waits for waitUntil promises added while waiting, and still hands each to the runtime", async () => {
    const handed: Promise<unknown>[] = [];
    const tracked = trackWaitUntil({ waitUntil: (p: Promise<unknown>) => void handed.push(p), other: 1 });
    const order: string[] = [];
    tracked.ctx.waitUntil(
      Promise.resolve().then(() => {
        tracked.ctx.waitUntil(new Promise((r) => setTimeout(r, 5)).then(() => order.push("late")));
        order.push("first");
      }),
    );
    tracked.ctx.waitUntil(Promise.reject(new Error("ignored")));
    await tracked.settled();
    order.push("settled");
    expect(order).toEqual(["first", "late", "settled"]);
    expect(handed).toHaveLength(3);
    expect((tracked.ctx as unknown as { other: number }).other).toBe(1);
  });

  it("flushes once inside the original waitUntil, after the waits or the cap", async () => {
    const handed: Promise<unknown>[] = [];
    let flushes = 0;
    flushAfter({ waitUntil: (p) => void handed.push(p) }, [new Promise(() => {})], 10, async () => flushes++);
    expect(handed).toHaveLength(1);
    await handed[0];
    expect(flushes).toBe(1);
    await settleWithin(Promise.reject(new Error("x")), 1000); // a rejection settles, never throws
  });

  it("resolves when a watched body has been read, and passes bodiless responses through", async () => {
    const [same, none] = watchBody(new Response(null, { status: 204 }));
    await none;
    expect(same.status).toBe(204);
    const [copy, done] = watchBody(new Response("hello", { status: 201, headers: { x: "y" } }));
    let finished = false;
    void done.then(() => (finished = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(finished).toBe(false);
    expect([copy.status, copy.headers.get("x"), await copy.text()]).toEqual([201, "y", "hello"]);
    await done;
    expect(finished).toBe(true);
  });
});

describe("TailSamplingProcessor", () => {
  const sink = () => {
    const got: ReadableSpan[] = [];
    const next: SpanProcessor = {
      onStart() {},
      onEnd: (s) => void got.push(s),
      forceFlush: async (): Promise<ProcessorFlushResult> => ({ status: "success", exported: 0, dropped: 0 }),
      shutdown: async (): Promise<ProcessorFlushResult> => ({ status: "success", exported: 0, dropped: 0 }),
    };
    return { got, next };
  };

  it("keeps sampled or errored traces by default, deciding when the local root ends", () => {
    const { got, next } = sink();
    const m = memoryTelemetry({ spanProcessors: [new TailSamplingProcessor(next)] });
    const t = m.telemetry.tracer("t");
    const root = t.startSpan("root");
    const child = t.startSpan("child", {}, setSpan(ROOT_CONTEXT, root));
    child.end();
    expect(got).toHaveLength(0); // held until the root ends
    root.end();
    expect(got.map((s) => s.name)).toEqual(["child", "root"]);
    // A span ending after its root follows the decision.
    t.startSpan("late", {}, setSpan(ROOT_CONTEXT, root)).end();
    expect(got.map((s) => s.name)).toContain("late");
  });

  it("drops what the sampler rejects and keeps an errored, unsampled trace as sampled", () => {
    const { got, next } = sink();
    const recordOnly = { shouldSample: () => ({ decision: 1 as const }), toString: () => "record-only" };
    const m = memoryTelemetry({ sampler: recordOnly, spanProcessors: [new TailSamplingProcessor(next)] });
    const t = m.telemetry.tracer("t");
    t.startSpan("fine").end();
    const bad = t.startSpan("bad");
    failSpan(bad, new Error("x"));
    expect(got.map((s) => s.name)).toEqual(["bad"]);
    expect(got[0]!.spanContext().traceFlags & 1).toBe(1);
    const custom = sink();
    const m2 = memoryTelemetry({ spanProcessors: [new TailSamplingProcessor(custom.next, (tr) => tr.spans.length > 1)] });
    const r = m2.telemetry.tracer("t").startSpan("lonely");
    r.end();
    expect(custom.got).toHaveLength(0);
  });

  it("passes the oldest open trace on, kept, when 1024 local roots never end", () => {
    const { got, next } = sink();
    const m = memoryTelemetry({ spanProcessors: [new TailSamplingProcessor(next)] });
    const t = m.telemetry.tracer("t");
    for (let i = 0; i < 1025; i++) t.startSpan(`child-${i}`, {}, setSpan(ROOT_CONTEXT, t.startSpan(`root-${i}`))).end();
    expect(got.map((s) => s.name)).toEqual(["child-0"]);
  });

  it("goes in front of every exporter through createTelemetry's wrapSpanProcessor", async () => {
    const { InMemorySpanExporter } = await import("../src/testing/in-memory-span-exporter.ts");
    const { SimpleSpanProcessor } = await import("../src/trace/simple-span-processor.ts");
    const memory = new InMemorySpanExporter();
    const m = memoryTelemetry({
      spanProcessors: [new SimpleSpanProcessor(memory)],
      wrapSpanProcessor: (p) => new TailSamplingProcessor(p, (trace) => trace.localRootSpan.name !== "health"),
    });
    const t = m.telemetry.tracer("t");
    t.startSpan("health").end();
    t.startSpan("checkout").end();
    expect(memory.getFinishedSpans().map((s) => s.name)).toEqual(["checkout"]);
  });
});
