// The Worker the workerd tests run: every handler kind, bindings, concurrency, errors and streams.
import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
import { instrument, instrumentDO, invocationContext, type CloudflareConfig } from "../../runtimes/cloudflare/index.ts";
import { activeContext, getLogger, getMeter, getTracer } from "../../src/global.ts";
import { getSpan } from "../../src/trace/span-context.ts";

// At module scope, before any invocation: must be a silent no-op until one runs.
const tracer = getTracer("test-worker");
tracer.startSpan("module-scope").end();
const hits = getMeter("test-worker").createCounter("test.hits");
const logger = getLogger("test-worker");

type AnyBinding = any;
interface Env {
  OTLP_URL: string;
  UPSTREAM: string;
  KV: AnyBinding;
  DB: AnyBinding;
  R2: AnyBinding;
  Q: AnyBinding;
  COUNTER: AnyBinding;
  SELF_RPC: AnyBinding;
  [key: string]: unknown;
}
interface Ctx {
  waitUntil(p: Promise<unknown>): void;
}
declare const WebSocketPair: new () => Record<0 | 1, WebSocket>;

// The trigger can switch instrumentation per request: here through test headers.
const config = (env: Env, trigger: unknown): CloudflareConfig => ({
  ...(trigger instanceof Request && trigger.headers.has("x-no-kv") && { bindings: { kv: false } }),
  ...(trigger instanceof Request && trigger.headers.has("x-no-fetch") && { instrumentGlobalFetch: false }),
  service: { name: "cf-test", version: "1.2.3" },
  exporter: { url: env.OTLP_URL, retry: { initialMs: 20, jitter: 0 } },
  propagateTo: [env.UPSTREAM],
  // Exported right away in tests: the invocation's one flush is what is checked, not batching.
  batch: { maxExportBatchSize: 512 },
});

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function handleFetch(request: Request, env: Env, ctx: Ctx): Promise<Response> {
  const url = new URL(request.url);
  const id = url.searchParams.get("id") ?? "";
  switch (url.pathname) {
    case "/concurrent": {
      // Synchronous: the root span is active in every mode.
      tracer.startSpan("sync-child", { attributes: { id } }).end();
      const explicit = invocationContext(ctx);
      await wait(Number(url.searchParams.get("delay") ?? 0));
      // After an await: the active context is the request's only with AsyncLocalStorage; the explicit one always is.
      tracer.startSpan("explicit-child", { attributes: { id } }, explicit).end();
      tracer.startSpan("active-child", { attributes: { id } }).end();
      return new Response(`ok ${id}`);
    }
    case "/fetch-out": {
      // Called before any await: traced in every mode. The second, after one: traced only with AsyncLocalStorage.
      const up = await fetch(`${env.UPSTREAM}/inside?id=${id}`);
      const other = await fetch(`${env.OTLP_URL}/not-propagated?sig=secret&q=1`);
      return Response.json({ up: up.status, other: other.status });
    }
    case "/throw":
      tracer.startSpan("before-throw").end();
      throw new TypeError("boom");
    case "/status":
      return new Response("no", { status: 503 });
    case "/route":
      // What a router does once it has matched.
      getSpan(invocationContext(ctx))?.setAttribute("http.route", "/route/:id");
      return new Response("routed");
    case "/stream": {
      let n = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(c) {
          await wait(5);
          if (n++ < 3) return c.enqueue(new TextEncoder().encode(`chunk ${n}\n`));
          tracer.startSpan("stream-last-chunk", {}, invocationContext(ctx)).end();
          c.close();
        },
      });
      return new Response(body, { headers: { "content-type": "text/plain" } });
    }
    case "/wait-until":
      ctx.waitUntil(wait(30).then(() => tracer.startSpan("in-wait-until", {}, invocationContext(ctx)).end()));
      return new Response("later");
    case "/bindings": {
      await env.KV.put("k", "v");
      const v = await env.KV.get("k");
      const rows = await env.DB.prepare("SELECT ?1 AS x").bind(7).all();
      await env.DB.batch([env.DB.prepare("SELECT 1"), env.DB.prepare("SELECT 2")]);
      await env.R2.put("obj", "data");
      const obj = await env.R2.get("obj");
      await env.Q.send({ order: id });
      const stub = env.COUNTER.get(env.COUNTER.idFromName("c"));
      const count = await stub.increment(2);
      const doFetch = await (await stub.fetch("https://do.internal/peek")).text();
      const sum = await env.SELF_RPC.add(2, 3);
      return Response.json({ v, x: rows.results[0].x, r2: await obj.text(), count, doFetch, sum });
    }
    case "/ws":
      // A 101 upgrade passes through the instrumented fetch (and the stub's) unchanged.
      return env.COUNTER.get(env.COUNTER.idFromName("ws")).fetch(request);
    case "/alarm":
      await env.COUNTER.get(env.COUNTER.idFromName("alarm")).arm();
      return new Response("armed");
    case "/signals":
      // Metrics and logs go out in the invocation's one flush, with the spans.
      hits.add(2, { route: "signals" });
      logger.emit({ severityText: "INFO", body: `signals ${id}` });
      return new Response("recorded");
    case "/als":
      // Whether the invocation's span is still active after an await: true exactly when AsyncLocalStorage is used.
      await wait(1);
      return new Response(String(getSpan(activeContext()) !== undefined));
  }
  return new Response("not found", { status: 404 });
}

export default instrument(
  {
    fetch: handleFetch,
    async scheduled(controller: { cron: string }, env: Env, ctx: Ctx) {
      tracer.startSpan("cron-work", { attributes: { cron: controller.cron } }, invocationContext(ctx)).end();
    },
    async queue(batch: { queue: string; messages: { body: unknown; ack(): void }[] }, env: Env, ctx: Ctx) {
      for (const m of batch.messages) {
        tracer.startSpan("consume", { attributes: { body: JSON.stringify(m.body) } }, invocationContext(ctx)).end();
        m.ack();
      }
    },
  },
  config,
);

class CounterBase extends DurableObject<Env> {
  #count = 0;
  async increment(by: number): Promise<number> {
    tracer.startSpan("do-increment", {}, invocationContext(this.ctx)).end();
    return (this.#count += this.step(by));
  }
  // Called through `this`: not a traced invocation of its own.
  step(by: number): number {
    return by;
  }
  async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade") === "websocket") {
      const [client, server] = Object.values(new WebSocketPair());
      this.ctx.acceptWebSocket(server);
      return new Response(null, { status: 101, webSocket: client } as ResponseInit);
    }
    return new Response(`count ${this.#count} ${request.headers.has("traceparent")}`);
  }
  // Hibernation API handler: an invocation of its own.
  async webSocketMessage(ws: WebSocket, message: string): Promise<void> {
    tracer.startSpan("ws-work", {}, invocationContext(this.ctx)).end();
    ws.send(`echo ${message}`);
  }
  async arm(): Promise<void> {
    await this.ctx.storage.setAlarm(Date.now() + 10);
  }
  async alarm(): Promise<void> {
    tracer.startSpan("alarm-work", {}, invocationContext(this.ctx)).end();
  }
}
export const Counter = instrumentDO(CounterBase, config);

class SelfRpcBase extends WorkerEntrypoint<Env> {
  async add(a: number, b: number): Promise<number> {
    tracer.startSpan("rpc-add", {}, invocationContext(this.ctx)).end();
    return a + b;
  }
}
export const SelfRpc = instrument(SelfRpcBase, config);
