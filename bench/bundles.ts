// The equivalent Worker setups of every SDK, and their bundles built the way wrangler builds them:
// esbuild, ESM, --platform=browser, --conditions=workerd,worker,browser, minified. Runtime modules
// (cloudflare:*, and the Node built-ins nodejs_compat provides) stay external, as wrangler leaves them.
// The same builds, re-wrapped, are what the cold-start benchmarks load in Node and in workerd.
import { build, type Plugin } from "esbuild";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { BENCH_DIR } from "./harness.ts";

const ROOT = `${BENCH_DIR}../`;

/** One Worker setup: an SDK doing the same job as the others, for one or all three signals. */
export interface Setup {
  sdk: "empty" | "ours" | "official" | "otel-cf-workers" | "vercel-otel";
  signals: "traces" | "all";
  /** The entry file, relative to the repo root; undefined when the SDK has no such setup. */
  entry: string | undefined;
  /** Set on a bundle-size-only row that is not the equivalent setup (the Cloudflare example app). */
  extra?: string;
}

/** The Cloudflare example app (its runtime adapter, bindings and all), when it exists. */
export function exampleEntry(): string | undefined {
  for (const f of ["examples/cloudflare/src/index.ts", "examples/cloudflare/src/worker.ts", "examples/cloudflare/index.ts"]) {
    if (existsSync(ROOT + f)) return f;
  }
  return undefined;
}

/** Every setup of the table, the empty baseline first. */
export function setups(): Setup[] {
  return [
    { sdk: "empty", signals: "traces", entry: "bench/workers/empty.ts" },
    { sdk: "ours", signals: "traces", entry: "examples/size/traces-only.ts" },
    { sdk: "official", signals: "traces", entry: "bench/workers/official-traces.ts" },
    { sdk: "otel-cf-workers", signals: "traces", entry: "bench/peers/otel-cf-workers/worker.ts" },
    { sdk: "vercel-otel", signals: "traces", entry: "bench/peers/vercel-otel/worker-traces.ts" },
    { sdk: "ours", signals: "all", entry: "bench/workers/ours-all.ts" },
    ...(exampleEntry() ? [{ sdk: "ours" as const, signals: "all" as const, entry: exampleEntry(), extra: "the examples/cloudflare app" }] : []),
    { sdk: "official", signals: "all", entry: "bench/workers/official-all.ts" },
    { sdk: "otel-cf-workers", signals: "all", entry: undefined },
    { sdk: "vercel-otel", signals: "all", entry: "bench/peers/vercel-otel/worker-all.ts" },
  ];
}

/** Modules the runtime provides. Under nodejs_compat, bare and node: names of built-ins both resolve. */
const RUNTIME_MODULES = ["cloudflare:*", "node:*", "async_hooks", "events", "buffer", "util", "stream", "crypto", "path", "fs", "os"];

/** Stands in for `cloudflare:workers` in Node, which has no such module. */
const cloudflareStub: Plugin = {
  name: "cloudflare-stub",
  setup(b) {
    b.onResolve({ filter: /^cloudflare:/ }, (a) => ({ path: a.path, namespace: "cloudflare-stub" }));
    b.onLoad({ filter: /.*/, namespace: "cloudflare-stub" }, () => ({
      contents: "export class DurableObject {} export class WorkerEntrypoint {} export const env = {};",
    }));
  },
};

/** A built bundle: its code and the runtime modules it imports. */
export interface Bundle {
  code: Uint8Array;
  imports: string[];
}

/**
 * Builds `entry` (relative to the repo root). "esm" is the wrangler build; "node" the same with
 * cloudflare:* stubbed; "iife" the same code as an IIFE, for evaluation on demand inside workerd.
 */
export async function bundle(entry: string, variant: "esm" | "node" | "iife" = "esm"): Promise<Bundle> {
  const out = await build({
    entryPoints: [ROOT + entry],
    bundle: true,
    format: variant === "iife" ? "iife" : "esm",
    ...(variant === "iife" ? { globalName: "__worker" } : {}),
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    minify: true,
    write: false,
    metafile: true,
    logLevel: "error",
    external: variant === "node" ? RUNTIME_MODULES.filter((m) => m !== "cloudflare:*") : RUNTIME_MODULES,
    plugins: variant === "node" ? [cloudflareStub] : [],
  });
  const meta = Object.values(out.metafile.outputs)[0]!;
  return { code: out.outputFiles[0]!.contents, imports: [...new Set(meta.imports.filter((i) => i.external).map((i) => i.path))] };
}

/** Raw, gzip (level 9) and brotli sizes of a bundle. */
export function sizes(code: Uint8Array): { raw: number; gzip: number; brotli: number } {
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length, brotli: brotliCompressSync(code).length };
}

/** Where built bundles are written for the cold-start runs (git-ignored by bench/.gitignore). */
export const OUT_DIR = `${BENCH_DIR}.out/`;

/** Writes `code` under bench/.out/ and returns its path. */
export function writeOut(name: string, code: Uint8Array | string): string {
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(OUT_DIR + name, code);
  return OUT_DIR + name;
}

/** A setup's file-name-safe id. */
export const setupId = (s: Setup) => `${s.sdk}-${s.signals}${s.extra ? "-example" : ""}`;

/**
 * A workerd module that evaluates an "iife" bundle on its first request and serves that request
 * with it, timing both inside the isolate (workerd's clock stands still during top-level evaluation,
 * so the bundle is evaluated on demand instead). Runtime modules are imported statically and handed
 * to the bundle's require calls.
 */
export function workerdWrapper(b: Bundle): string {
  const names = b.imports.map((m) => (m.includes(":") ? m : `node:${m}`));
  const imports = names.map((m, i) => `import * as m${i} from ${JSON.stringify(m)};`).join("\n");
  const table = b.imports.map((m, i) => `${JSON.stringify(m)}: m${i}`).join(", ");
  return `${imports}
const modules = { ${table} };
function load() {
  const require = (name) => modules[name];
  ${new TextDecoder().decode(b.code)}
  return __worker;
}
export default {
  async fetch(_request, env, ctx) {
    const t0 = performance.now();
    const worker = load();
    const t1 = performance.now();
    const request = new Request("http://localhost/", { headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" } });
    const res = await worker.default.fetch(request, env, ctx);
    const t2 = performance.now();
    return Response.json({ importMs: t1 - t0, requestMs: t2 - t1, status: res.status });
  },
};
`;
}
