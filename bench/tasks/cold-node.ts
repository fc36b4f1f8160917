// Cold start in Node: a fresh process imports one bundled Worker and serves its first request.
// Prints { importMs, requestMs }: module load (read, compile, evaluate) and the first fetch() up to
// its Response (SDK initialisation included; the exports it hands to waitUntil are awaited untimed).
// Exports go to a fetch stub. Request, Response and crypto.getRandomValues are touched first: Node
// loads their implementations on first use (webcrypto alone takes ~8 ms), while a Worker runtime
// has them built in, so that cost is in no setup's figure. Kept free of imports for the same reason.
const file = process.argv[2]!;
const stub = async () => new Response(null, { status: 200 });
globalThis.fetch = stub;
// Workers globals otel-cf-workers uses (the Cache API it wraps, scheduler.wait); Node has neither.
const g = globalThis as { caches?: unknown; scheduler?: unknown };
g.caches ??= { default: {}, open: async () => ({}) };
g.scheduler ??= { wait: (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)) };
new Response("warm").headers.get("x");
const request = () =>
  new Request("http://localhost/", { headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" } });
request().headers.get("traceparent");
crypto.getRandomValues(new Uint8Array(8));

const t0 = performance.now();
const mod = (await import(`file://${file}`)) as { default: { fetch(r: Request, env: unknown, ctx: unknown): Promise<Response> } };
const t1 = performance.now();
const pending: Promise<unknown>[] = [];
const res = await mod.default.fetch(request(), { OTLP_URL: "http://localhost:4318" }, { waitUntil: (p: Promise<unknown>) => pending.push(p), passThroughOnException() {} });
const t2 = performance.now();
if (res.status !== 200) throw new Error(`status ${res.status}`);
await Promise.all(pending);
process.stdout.write(`${JSON.stringify({ importMs: t1 - t0, requestMs: t2 - t1 })}\n`);
process.exit(0);
