// A small shop API on Cloudflare Workers, instrumented with edge-otel: traces for every handler and binding,
// plus a few metrics and logs. It needs no compatibility flag; add `nodejs_als` to wrangler.toml and spans
// started after an `await` find their request without `invocationContext(ctx)`.
//
// In your own Worker the imports are `edge-otel/cloudflare` and `edge-otel`.
import { instrument, invocationContext, withInvocation, type CloudflareConfig } from "../../../runtimes/cloudflare/index.ts";
import { getLogger, getMeter, getTracer, SpanStatusCode } from "../../../src/index.ts";

// Safe at module scope: they record into the telemetry of whichever invocation is running.
const tracer = getTracer("shop", "1.0.0");
const meter = getMeter("shop", "1.0.0");
const logger = getLogger("shop", "1.0.0");
const orders = meter.createCounter("shop.orders", { description: "Orders placed", unit: "{order}" });
const cacheHits = meter.createCounter("shop.cache.hits", { unit: "{hit}" });

interface Env {
  OTLP_URL: string;
  OTLP_TOKEN?: string;
  CATALOG_API: string;
  PRODUCTS: KVNamespace;
  DB: D1Database;
  ORDERS: Queue;
  [otel: `OTEL_${string}`]: string | undefined;
}
// The binding shapes this example calls (structural: no @cloudflare/workers-types needed).
interface KVNamespace {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
}
interface D1Database {
  prepare(sql: string): { bind(...values: unknown[]): { run(): Promise<unknown>; all<T>(): Promise<{ results: T[] }> } };
}
interface Queue {
  send(body: unknown): Promise<void>;
}
interface Ctx {
  waitUntil(p: Promise<unknown>): void;
}

const config = (env: Env): CloudflareConfig => ({
  service: { name: "shop-api", version: "1.0.0" },
  exporter: { url: env.OTLP_URL, headers: env.OTLP_TOKEN ? { authorization: `Bearer ${env.OTLP_TOKEN}` } : {}, compression: "gzip" },
  // Trace headers go to our own catalog API only.
  propagateTo: [env.CATALOG_API],
});

async function product(id: string, env: Env, ctx: Ctx): Promise<Response> {
  const cached = await env.PRODUCTS.get(`product:${id}`);
  if (cached) {
    cacheHits.add(1);
    return new Response(cached, { headers: { "content-type": "application/json" } });
  }
  // After an await: withInvocation makes the fetch join this request's trace even without nodejs_als.
  const upstream = await withInvocation(ctx, () => fetch(`${env.CATALOG_API}/products/${encodeURIComponent(id)}`));
  if (!upstream.ok) return new Response("not found", { status: 404 });
  const body = await upstream.text();
  // Off the request path; the invocation's flush waits for it.
  ctx.waitUntil(env.PRODUCTS.put(`product:${id}`, body, { expirationTtl: 300 }));
  return new Response(body, { headers: { "content-type": "application/json" } });
}

async function placeOrder(request: Request, env: Env, ctx: Ctx): Promise<Response> {
  const { sku, quantity } = (await request.json()) as { sku: string; quantity: number };
  // Without nodejs_als, the parent is given explicitly after an await.
  return tracer.startActiveSpan("order.place", { attributes: { "shop.sku": sku } }, invocationContext(ctx), async (span) => {
    try {
      if (!(quantity > 0)) throw new RangeError("quantity must be positive");
      const id = crypto.randomUUID();
      await env.DB.prepare("INSERT INTO orders (id, sku, quantity) VALUES (?1, ?2, ?3)").bind(id, sku, quantity).run();
      await env.ORDERS.send({ id, sku, quantity });
      orders.add(1, { "shop.sku": sku });
      logger.emit({ severityText: "INFO", body: "order placed", attributes: { "shop.order_id": id } });
      return Response.json({ id }, { status: 201 });
    } catch (e) {
      span.recordException(e as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      return new Response(String(e), { status: 400 });
    } finally {
      span.end();
    }
  });
}

export default instrument(
  {
    async fetch(request: Request, env: Env, ctx: Ctx): Promise<Response> {
      const url = new URL(request.url);
      const match = /^\/products\/([^/]+)$/.exec(url.pathname);
      if (match && request.method === "GET") return product(match[1]!, env, ctx);
      if (url.pathname === "/orders" && request.method === "POST") return placeOrder(request, env, ctx);
      return new Response("not found", { status: 404 });
    },
    async queue(batch: { messages: { body: { id: string }; ack(): void }[] }, env: Env, ctx: Ctx): Promise<void> {
      for (const message of batch.messages) {
        tracer.startSpan("order.fulfil", { attributes: { "shop.order_id": message.body.id } }, invocationContext(ctx)).end();
        message.ack();
      }
    },
    async scheduled(_controller: unknown, env: Env): Promise<void> {
      await env.DB.prepare("DELETE FROM orders WHERE created_at < datetime('now', ?1)").bind("-30 days").run();
    },
  },
  config,
);
