// Bundle-size budgets, enforced in CI (sizes are deterministic; timings are not, so they live in bench/).
// Built the way wrangler builds a Worker: esbuild, browser platform, workerd conditions, minified.
import { build } from "esbuild";
import { pathToFileURL } from "node:url";
import { brotliCompressSync, gzipSync } from "node:zlib";

/** entry → gzip budget in bytes. */
const budgets: Record<string, number> = {
  // The target is 7 KB (issue #2). It is not met yet: the core with every env-selectable feature
  // (OTEL_* config, tracecontext/baggage/B3, JSON, retries, gzip) measures ~12.5 KB. This budget
  // stops it growing while the size work goes on; see BENCHMARKS.md.
  "examples/size/traces-only.ts": 13 * 1024,
  // The Workers adapter with traces, metrics and logs (issue #3): the target is 12 KB. This guard, at today's
  // size, stops it growing while the size work goes on.
  "examples/cloudflare/src/index.ts": 28 * 1024,
};

/** Bundles `entry` as wrangler would and returns its raw, gzip and brotli sizes. */
export async function bundleSize(entry: string): Promise<{ raw: number; gzip: number; brotli: number; files: [string, number][] }> {
  const out = await build({
    metafile: true,
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    external: ["cloudflare:*"],
    minify: true,
    write: false,
    logLevel: "error",
  });
  const code = out.outputFiles[0]!.contents;
  const inputs = Object.values(out.metafile!.outputs)[0]!.inputs;
  const files = Object.entries(inputs)
    .map(([file, { bytesInOutput }]): [string, number] => [file, bytesInOutput])
    .sort((a, b) => b[1] - a[1]);
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length, brotli: brotliCompressSync(code).length, files };
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  let failed = false;
  for (const [entry, budget] of Object.entries(budgets)) {
    const s = await bundleSize(entry);
    const ok = s.gzip <= budget;
    failed ||= !ok;
    console.log(`${ok ? "ok  " : "OVER"} ${entry}: ${s.raw} B raw, ${s.gzip} B gzip (budget ${budget}), ${s.brotli} B brotli`);
    // `--report`: minified bytes each source file contributes, largest first.
    if (process.argv.includes("--report")) for (const [file, bytes] of s.files) console.log(`  ${String(bytes).padStart(6)}  ${file}`);
  }
  if (failed) process.exit(1);
}
