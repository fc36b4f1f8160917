// The Cloudflare adapter in real workerd (miniflare 4): every handler kind, the compatibility-flag matrix,
// concurrency, errors, streams, bindings and retries. Spans go to a loopback receiver and are decoded with protobufjs.
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type ReceivedRequest, type Receiver } from "./helpers/otlp-receiver.ts";
import { decodeLogs, decodeMetrics } from "./helpers/proto-decoder.ts";
import { bundleWorker, decodeSpans, startWorker, waitForSpans, type SpanView } from "./helpers/workerd.ts";

const SERVER = 2; // OTLP's SpanKind is the API's plus one
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;
const ERROR = 2;

let code: string;
beforeAll(async () => {
  code = await bundleWorker("test/workers/cloudflare-worker.ts");
});

async function start(flags: string[], receiver: Receiver): Promise<Miniflare> {
  const mf = startWorker(code, {
    name: "main",
    compatibilityDate: "2025-06-01",
    compatibilityFlags: flags,
    bindings: { OTLP_URL: receiver.url, UPSTREAM: `${receiver.url}/upstream` },
    kvNamespaces: ["KV"],
    d1Databases: ["DB"],
    r2Buckets: ["R2"],
    queueProducers: { Q: { queueName: "orders" } },
    queueConsumers: { orders: { maxBatchSize: 1, maxBatchTimeout: 0 } },
    durableObjects: { COUNTER: "Counter" },
    serviceBindings: { SELF_RPC: { name: "main", entrypoint: "SelfRpc" } },
  });
  await mf.ready;
  return mf;
}

const roots = (spans: SpanView[], path: string) => spans.filter((s) => s.kind === SERVER && String(s.attributes["url.path"]) === path);
const childrenOf = (spans: SpanView[], parent: SpanView) => spans.filter((s) => s.parentSpanId === parent.spanId && s.traceId === parent.traceId);

describe.each([[[]], [["nodejs_als"]], [["nodejs_compat"]]] as string[][][])("workerd with flags %j", (flags) => {
  const als = flags.length > 0;
  let receiver: Receiver;
  let mf: Miniflare;
  beforeAll(async () => {
    receiver = await startReceiver();
    mf = await start(flags, receiver);
  });
  afterAll(async () => {
    await mf?.dispose();
    await receiver?.close();
  });

  it("keeps 200 concurrent requests apart: each root span has its own children", async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `r${i}`);
    const bodies = await Promise.all(
      ids.map(async (id, i) => (await mf.dispatchFetch(`https://shop.example/concurrent?id=${id}&delay=${(i * 7) % 23}`)).text()),
    );
    expect(bodies).toEqual(ids.map((id) => `ok ${id}`));
    // Another invocation's flush may carry a request's children before its own flush carries its root: wait for both.
    const spans = await waitForSpans(receiver, (s) =>
      s.filter((x) => x.attributes.id !== undefined).length >= 600 && roots(s, "/concurrent").length >= 200 ? s : undefined,
    );
    // Nothing lost, nothing duplicated.
    const spanIds = spans.map((s) => s.spanId);
    expect(new Set(spanIds).size).toBe(spanIds.length);
    const rootSpans = roots(spans, "/concurrent");
    expect(rootSpans).toHaveLength(200);
    for (const root of rootSpans) {
      const id = new URL(String(root.attributes["url.full"])).searchParams.get("id");
      expect(root.name).toBe("GET");
      expect(root.attributes).toMatchObject({ "http.request.method": "GET", "faas.trigger": "http", "http.response.status_code": 200, "url.scheme": "https", "server.address": "shop.example" });
      const kids = childrenOf(spans, root);
      const names = kids.map((k) => k.name).sort();
      expect(names).toEqual(als ? ["active-child", "explicit-child", "sync-child"] : ["explicit-child", "sync-child"]);
      for (const k of kids) expect(k.attributes.id).toBe(id);
    }
    // Without AsyncLocalStorage, a span started after an await with no explicit parent starts its own trace.
    const active = spans.filter((s) => s.name === "active-child");
    expect(active).toHaveLength(200);
    if (!als) for (const s of active) expect(s.parentSpanId).toBe("");
    // The resource of a Worker.
    expect(rootSpans[0]!.resource).toMatchObject({
      "cloud.provider": "cloudflare",
      "cloud.platform": "cloudflare.workers",
      "faas.name": "cf-test",
      "service.name": "cf-test",
      "service.version": "1.2.3",
    });
    // The module-scope span made before any invocation went nowhere.
    expect(spans.some((s) => s.name === "module-scope")).toBe(false);
  });

  it("sends metrics and logs, the log correlated with the request span", async () => {
    await (await mf.dispatchFetch("https://shop.example/signals?id=s1")).text();
    const root = await waitForSpans(receiver, (s) => roots(s, "/signals")[0]);
    const logs = await waitForSpans(receiver, () => {
      const found = receiver.requests.filter((r) => r.path === "/v1/logs").flatMap((r) => decodeLogs(r.body).resourceLogs ?? []);
      const records = found.flatMap((rl: any) => rl.scopeLogs.flatMap((sl: any) => sl.logRecords));
      return records.find((l: any) => l.body?.stringValue === "signals s1");
    });
    // The log record is correlated with the request's root span.
    expect([logs.traceId, logs.spanId]).toEqual([root.traceId, root.spanId]);
    const points = await waitForSpans(receiver, () => {
      const metrics = receiver.requests
        .filter((r) => r.path === "/v1/metrics")
        .flatMap((r) => decodeMetrics(r.body).resourceMetrics ?? [])
        .flatMap((rm: any) => rm.scopeMetrics.flatMap((sm: any) => sm.metrics));
      const hits = metrics.filter((m: any) => m.name === "test.hits").flatMap((m: any) => m.sum.dataPoints);
      return hits.length ? hits : undefined;
    });
    expect(points.some((p: any) => Number(p.asDouble ?? p.asInt) >= 2)).toBe(true);
  });

  it("uses AsyncLocalStorage exactly when a flag provides it", async () => {
    expect(await (await mf.dispatchFetch("https://shop.example/als")).text()).toBe(String(als));
  });

  it("traces outgoing fetch, injecting trace headers only where propagateTo allows", async () => {
    const res = await mf.dispatchFetch("https://shop.example/fetch-out?id=f1");
    expect(await res.json()).toEqual({ up: 200, other: 200 });
    const [root, spans] = await waitForSpans(receiver, (s) => {
      const r = roots(s, "/fetch-out")[0];
      return r && childrenOf(s, r).length >= (als ? 2 : 1) ? ([r, s] as const) : undefined;
    });
    const clients = childrenOf(spans, root).filter((s) => s.kind === CLIENT);
    const up = clients.find((c) => String(c.attributes["url.full"]).includes("/upstream/inside"))!;
    expect(up.attributes).toMatchObject({ "http.request.method": "GET", "http.response.status_code": 200, "server.address": "127.0.0.1" });
    const upstream = receiver.requests.find((r) => r.path === "/upstream/inside?id=f1")!;
    expect(upstream.headers.traceparent).toBe(`00-${up.traceId}-${up.spanId}-01`);
    const other = receiver.requests.find((r) => r.path.startsWith("/not-propagated"))!;
    expect(other.headers.traceparent).toBeUndefined();
    const otherSpan = clients.find((c) => String(c.attributes["url.full"]).includes("/not-propagated"));
    if (als) expect(otherSpan?.attributes["url.full"]).toBe(`${receiver.url}/not-propagated?sig=REDACTED&q=1`);
    else expect(otherSpan).toBeUndefined();
    // The exporter's own requests are never traced.
    expect(spans.some((s) => String(s.attributes["url.full"]).includes("/v1/traces"))).toBe(false);
  });

  it("records a thrown error on the root span and rethrows it", async () => {
    const res = await mf.dispatchFetch("https://shop.example/throw");
    expect(res.status).toBe(500);
    await res.arrayBuffer();
    const root = await waitForSpans(receiver, (s) => roots(s, "/throw")[0]);
    expect(root.status.code).toBe(ERROR);
    expect(root.attributes["error.type"]).toBe("TypeError");
    expect(root.events.find((e) => e.name === "exception")?.attributes).toMatchObject({ "exception.type": "TypeError", "exception.message": "boom" });
  });

  it("marks 5xx responses as errors and names the span after http.route", async () => {
    await (await mf.dispatchFetch("https://shop.example/status")).arrayBuffer();
    await (await mf.dispatchFetch("https://shop.example/route")).arrayBuffer();
    const status = await waitForSpans(receiver, (s) => roots(s, "/status")[0]);
    expect(status.attributes).toMatchObject({ "http.response.status_code": 503, "error.type": "503" });
    expect(status.status.code).toBe(ERROR);
    const route = await waitForSpans(receiver, (s) => roots(s, "/route")[0]);
    expect(route.name).toBe("GET /route/:id");
    expect(route.status.code ?? 0).toBe(0);
  });

  it("ends the root span of a streamed response when the body is done", async () => {
    const res = await mf.dispatchFetch("https://shop.example/stream");
    expect(await res.text()).toBe("chunk 1\nchunk 2\nchunk 3\n");
    const [root, last] = await waitForSpans(receiver, (s) => {
      const r = roots(s, "/stream")[0];
      const l = r && childrenOf(s, r).find((x) => x.name === "stream-last-chunk");
      return l ? ([r, l] as const) : undefined;
    });
    expect(root.endNs >= last.endNs).toBe(true);
  });

  it("flushes once, after the user's waitUntil work, in one export with the root span", async () => {
    await (await mf.dispatchFetch("https://shop.example/wait-until")).text();
    const [root, late] = await waitForSpans(receiver, (s) => {
      const r = roots(s, "/wait-until")[0];
      const l = r && childrenOf(s, r).find((x) => x.name === "in-wait-until");
      return l ? ([r, l] as const) : undefined;
    });
    expect(late.request).toBe(root.request);
  });

  it("traces KV, D1, R2, queue, Durable Object and service-binding calls, and the handlers they reach", async () => {
    const res = await mf.dispatchFetch("https://shop.example/bindings?id=o1");
    // The stub's fetch comes after awaits: it finds the invocation (and sends traceparent) only with AsyncLocalStorage.
    expect(await res.json()).toEqual({ v: "v", x: 7, r2: "data", count: 2, doFetch: `count 2 ${als}`, sum: 5 });
    // Every span asserted on below, from the five invocations involved (each flushes on its own).
    const spans = await waitForSpans(receiver, (s) => {
      const r = roots(s, "/bindings")[0];
      const has = (name: string) => s.some((x) => x.name === name);
      const doFetch = s.some((x) => x.kind === SERVER && x.attributes["url.full"] === "https://do.internal/peek");
      return r && childrenOf(s, r).length >= (als ? 10 : 1) && has("process orders") && has("consume") && has("do-increment") && has("rpc-add") && doFetch
        ? s
        : undefined;
    });
    const root = roots(spans, "/bindings")[0]!;
    const kids = childrenOf(spans, root);
    const named = (n: string) => kids.find((k) => k.name === n);
    if (als) {
      expect(named("put KV")?.attributes).toMatchObject({ "db.system.name": "cloudflare.kv", "db.operation.name": "put", "db.namespace": "KV" });
      expect(named("get KV")?.kind).toBe(CLIENT);
      expect(named("all DB")?.attributes).toMatchObject({ "db.system.name": "cloudflare.d1", "db.query.text": "SELECT ?1 AS x" });
      expect(named("batch DB")).toBeDefined();
      expect(named("put R2")?.attributes["db.system.name"]).toBe("cloudflare.r2");
      expect(named("get R2")).toBeDefined();
      expect(named("COUNTER/increment")?.attributes).toMatchObject({ "rpc.method": "increment", "rpc.service": "COUNTER" });
      expect(named("SELF_RPC/add")).toBeDefined();
    } else {
      // Only the first binding call runs before an await, so only it finds the invocation.
      expect(named("put KV")).toBeDefined();
    }
    const send = spans.find((s) => s.name === "send Q")!;
    if (als) expect(send.kind).toBe(PRODUCER);
    // The queue consumer's span links to the producer and the consumer sees the body without the context key.
    const consumer = spans.find((s) => s.kind === CONSUMER && s.name === "process orders")!;
    expect(consumer.attributes).toMatchObject({ "messaging.destination.name": "orders", "messaging.operation.type": "process", "faas.trigger": "pubsub" });
    if (send) expect(consumer.links).toContainEqual({ traceId: send.traceId, spanId: send.spanId });
    const consumed = childrenOf(spans, consumer).find((s) => s.name === "consume")!;
    expect(JSON.parse(String(consumed.attributes.body))).toEqual({ order: "o1" });
    // The Durable Object's RPC method and the entrypoint's are invocations of their own, with their own children.
    const doRoot = spans.find((s) => s.kind === SERVER && s.attributes["rpc.method"] === "increment")!;
    expect(childrenOf(spans, doRoot).map((s) => s.name)).toEqual(["do-increment"]);
    const rpcRoot = spans.find((s) => s.kind === SERVER && s.attributes["rpc.method"] === "add")!;
    expect(childrenOf(spans, rpcRoot).map((s) => s.name)).toEqual(["rpc-add"]);
    // The object's call to its own helper is not an invocation.
    expect(spans.some((s) => s.attributes["rpc.method"] === "step")).toBe(false);
    // A stub's fetch always carries the context: the object's fetch span is the child of the client span.
    if (als) {
      const doClient = kids.find((k) => k.kind === CLIENT && String(k.attributes["url.full"]).startsWith("https://do.internal/"))!;
      const doFetch = spans.find((s) => s.kind === SERVER && s.attributes["url.full"] === "https://do.internal/peek")!;
      expect(doFetch.parentSpanId).toBe(doClient.spanId);
    }
  });

  it("switches off binding spans per kind, and global fetch spans, from the config", async () => {
    await (await mf.dispatchFetch("https://shop.example/bindings?id=o2", { headers: { "x-no-kv": "1" } })).arrayBuffer();
    await (await mf.dispatchFetch("https://shop.example/fetch-out?id=f2", { headers: { "x-no-fetch": "1" } })).arrayBuffer();
    const spans = await waitForSpans(receiver, (s) => {
      const b = s.find((x) => String(x.attributes["url.full"]).endsWith("/bindings?id=o2"));
      const f = s.find((x) => String(x.attributes["url.full"]).endsWith("/fetch-out?id=f2"));
      return b && f && (!als || childrenOf(s, b).some((k) => k.name === "all DB")) ? s : undefined;
    });
    const b = spans.find((x) => String(x.attributes["url.full"]).endsWith("/bindings?id=o2"))!;
    const f = spans.find((x) => String(x.attributes["url.full"]).endsWith("/fetch-out?id=f2"))!;
    const bKids = childrenOf(spans, b).map((s) => s.name);
    expect(bKids.filter((n) => n.endsWith(" KV"))).toEqual([]);
    if (als) expect(bKids).toContain("all DB");
    expect(childrenOf(spans, f)).toEqual([]);
    expect(receiver.requests.find((r) => r.path === "/upstream/inside?id=f2")!.headers.traceparent).toBeUndefined();
  });

  it("traces scheduled and alarm handlers", async () => {
    // Miniflare's Fetcher type omits the scheduled() it has.
    const worker = (await mf.getWorker()) as unknown as { scheduled(options: { cron: string }): Promise<unknown> };
    await worker.scheduled({ cron: "*/5 * * * *" });
    await (await mf.dispatchFetch("https://shop.example/alarm")).text();
    const [cron, alarm, spans] = await waitForSpans(receiver, (s) => {
      const c = s.find((x) => x.name === "scheduled");
      const a = s.find((x) => x.name === "alarm");
      return c && a ? ([c, a, s] as const) : undefined;
    });
    expect(cron.attributes).toMatchObject({ "faas.trigger": "timer", "faas.cron": "*/5 * * * *" });
    expect(childrenOf(spans, cron).map((s) => s.name)).toEqual(["cron-work"]);
    expect(alarm.attributes["faas.trigger"]).toBe("timer");
    expect(childrenOf(spans, alarm).map((s) => s.name)).toEqual(["alarm-work"]);
  });

  it("passes a 101 WebSocket upgrade through and traces hibernation handlers", async () => {
    const res = await mf.dispatchFetch("https://shop.example/ws", { headers: { upgrade: "websocket" } });
    expect(res.status).toBe(101);
    const ws = res.webSocket!;
    const echo = new Promise<string>((resolve) => ws.addEventListener("message", (e) => resolve(String(e.data))));
    ws.accept();
    ws.send("hi");
    expect(await echo).toBe("echo hi");
    ws.close();
    const [root, message, spans] = await waitForSpans(receiver, (s) => {
      const r = roots(s, "/ws")[0];
      const m = s.find((x) => x.name === "webSocketMessage");
      return r && m ? ([r, m, s] as const) : undefined;
    });
    expect(root.attributes["http.response.status_code"]).toBe(101);
    expect(message.kind).toBe(SERVER);
    expect(childrenOf(spans, message).map((s) => s.name)).toEqual(["ws-work"]);
  });

  it("marks exactly one invocation per isolate as a cold start", async () => {
    const spans = decodeSpans(receiver.requests).filter((s) => s.attributes["faas.coldstart"] !== undefined);
    expect(spans.filter((s) => s.attributes["faas.coldstart"] === true)).toHaveLength(1);
  });
});

describe("workerd export retries", () => {
  let receiver: Receiver;
  let mf: Miniflare;
  const refused = new Set<ReceivedRequest>();
  beforeAll(async () => {
    receiver = await startReceiver({
      // The first trace export is refused with 503; the retry is accepted.
      respond: (req) => {
        if (req.path === "/v1/traces" && refused.size === 0) {
          refused.add(req);
          return { status: 503 };
        }
        return {};
      },
    });
    mf = await start([], receiver);
  });
  afterAll(async () => {
    await mf?.dispose();
    await receiver?.close();
  });

  it("sends again after a 503 and delivers each span once", async () => {
    await (await mf.dispatchFetch("https://shop.example/concurrent?id=retry")).text();
    const exports = await waitForSpans(receiver, () => {
      const e = receiver.requests.filter((r) => r.path === "/v1/traces");
      return e.length >= 2 ? e : undefined;
    });
    expect(exports).toHaveLength(2);
    expect(refused.has(exports[0]!)).toBe(true);
    expect(exports[1]!.body).toEqual(exports[0]!.body);
    const accepted = decodeSpans(exports.filter((r) => !refused.has(r)));
    expect(accepted.map((s) => s.name).sort()).toEqual(["GET", "active-child", "explicit-child", "sync-child"]);
  });
});
