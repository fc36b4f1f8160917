// The adapter's config resolution, run under Node: one telemetry per distinct config, the Workers resource,
// and AsyncLocalStorage found through the runtime (never a static node: import).
import { describe, expect, it } from "vitest";
import { attributesToObject } from "../src/common/attributes.ts";
import { AsyncLocalStorageContextManager } from "../src/context/context-manager.ts";
import { TraceIdRatioBasedSampler } from "../src/trace/sampler.ts";
import { resolve, type CloudflareConfig } from "../runtimes/cloudflare/config.ts";
import { instrument } from "../runtimes/cloudflare/handlers.ts";

describe("Cloudflare config", () => {
  it("reuses one telemetry while the config (and the OTEL_* bindings) stay the same", async () => {
    const seen: unknown[] = [];
    const config = (env: Record<string, any>, trigger: unknown): CloudflareConfig => {
      seen.push(trigger);
      return { service: { name: "a" }, exporters: [], sampler: new TraceIdRatioBasedSampler(Number(env.RATIO)), propagateTo: [/x/, (u: string) => u] as any };
    };
    const a = await resolve(config, { RATIO: "0.5" }, "first");
    const b = await resolve(config, { RATIO: "0.5" }, "second");
    const c = await resolve(config, { RATIO: "0.25" }, "third");
    const d = await resolve(config, { RATIO: "0.5", OTEL_SERVICE_NAME: "b" }, "fourth");
    expect(seen).toEqual(["first", "second", "third", "fourth"]);
    expect(b.telemetry).toBe(a.telemetry);
    expect(c.telemetry).not.toBe(a.telemetry);
    expect(d.telemetry).not.toBe(a.telemetry);
  });

  it("keeps at most eight telemetries when the config differs every time", async () => {
    const made = new Set<unknown>();
    for (let i = 0; i < 12; i++) made.add((await resolve({ service: { name: `s${i}` }, exporters: [] }, {}, "t")).telemetry);
    const again = await resolve({ service: { name: "s0" }, exporters: [] }, {}, "t");
    expect(made.size).toBe(12);
    expect(made.has(again.telemetry)).toBe(false); // evicted, so made anew
  });

  it("describes a Worker in the resource, with the version from a version metadata binding", async () => {
    const env = { VERSION: { id: "4f1c-v", tag: "", timestamp: "2026-01-01T00:00:00Z" }, OTEL_SERVICE_NAME: "from-env" };
    const { telemetry } = await resolve({ exporters: [] }, env as any, "t");
    expect(attributesToObject(telemetry.resource.attributes)).toMatchObject({
      "cloud.provider": "cloudflare",
      "cloud.platform": "cloudflare.workers",
      "faas.name": "from-env",
      "faas.version": "4f1c-v",
      "service.name": "from-env",
    });
  });

  it("finds AsyncLocalStorage where the runtime has it", async () => {
    const { contextManager } = await resolve({ exporters: [] }, {}, "t");
    expect(contextManager).toBeInstanceOf(AsyncLocalStorageContextManager);
  });

  it("runs the handler untraced when the config function throws", async () => {
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (m: unknown) => void warnings.push(m);
    try {
      const handler = instrument({ fetch: async (_r: Request, _e: object, _c: object) => new Response("still up") }, () => {
        throw new Error("bad config");
      });
      const flushes: unknown[] = [];
      const res = await handler.fetch(new Request("https://w.example/"), {}, { waitUntil: (p: unknown) => void flushes.push(p) });
      expect(await res.text()).toBe("still up");
      expect(flushes).toEqual([]);
      expect(String(warnings[0])).toContain("bad config");
    } finally {
      console.warn = warn;
    }
  });
});
