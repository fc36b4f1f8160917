// examples/cloudflare built by wrangler itself (deploy --dry-run) with no compatibility flags, then run in
// workerd; and edge-otel/testing inside a Worker.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "./helpers/otlp-receiver.ts";
import { bundleWorker, startWorker, waitForSpans } from "./helpers/workerd.ts";

describe("examples/cloudflare", () => {
  let receiver: Receiver;
  let out: string;
  // wrangler keeps its scratch files in the project's .wrangler/: removed afterwards unless it was there before.
  const scratch = "examples/cloudflare/.wrangler";
  const hadScratch = existsSync(scratch);
  beforeAll(async () => {
    receiver = await startReceiver();
    out = mkdtempSync(join(tmpdir(), "edge-otel-wrangler-"));
  });
  afterAll(async () => {
    await receiver?.close();
    rmSync(out, { recursive: true, force: true });
    if (!hadScratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("builds with wrangler deploy --dry-run and runs in workerd without compatibility flags", async () => {
    const wrangler = join(process.cwd(), "node_modules/wrangler/bin/wrangler.js");
    const r = spawnSync(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", out], {
      cwd: "examples/cloudflare",
      encoding: "utf8",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" },
    });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const code = readFileSync(join(out, "index.js"), "utf8");
    // No static import of a Node built-in: the bundle needs no nodejs_compat.
    expect(code).not.toMatch(/from\s*["']node:/);

    const mf = startWorker(code, {
      compatibilityDate: "2025-06-01",
      bindings: { OTLP_URL: receiver.url, CATALOG_API: `${receiver.url}/catalog` },
      kvNamespaces: ["PRODUCTS"],
      d1Databases: ["DB"],
      queueProducers: { ORDERS: { queueName: "orders" } },
    });
    try {
      const res = await mf.dispatchFetch("https://shop.example/products/p1");
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      const [root, client] = await waitForSpans(receiver, (spans) => {
        const root = spans.find((s) => s.attributes["url.path"] === "/products/p1");
        const client = root && spans.find((s) => s.parentSpanId === root.spanId && String(s.attributes["url.full"]).includes("/catalog/"));
        return client ? ([root, client] as const) : undefined;
      });
      expect(root.resource["service.name"]).toBe("shop-api");
      expect(root.request.headers["content-encoding"]).toBe("gzip");
      // The catalog origin is in propagateTo: the fetch made after an await (through withInvocation) carries the context.
      const catalog = receiver.requests.find((q) => q.path === "/catalog/products/p1")!;
      expect(catalog.headers.traceparent).toBe(`00-${client.traceId}-${client.spanId}-01`);
      expect(client.kind).toBe(3);
    } finally {
      await mf.dispose();
    }
  });
});

describe("edge-otel/testing in a Worker", () => {
  it("bundles for workerd and records spans in memory", async () => {
    const code = await bundleWorker("test/workers/testing-worker.ts");
    expect(code).not.toMatch(/["']node:/);
    const mf = startWorker(code, { compatibilityDate: "2025-06-01" });
    try {
      const res = await mf.dispatchFetch("http://localhost/");
      expect(await res.json()).toEqual({ names: ["in-worker"], attributes: { answer: 42 }, decodedName: "in-worker" });
    } finally {
      await mf.dispose();
    }
  });
});
