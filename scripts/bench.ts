// `npm run bench`: installs the peers into bench/ (devDependencies of bench/ and its peer workspaces,
// never the root) when missing, type-checks bench/, runs every benchmark side by side and prints one
// report. `npm run bench -- --write` also saves it to BENCHMARKS.md. CI runs no timings; only the
// size budget (scripts/check-size.ts) is enforced. Needs Node >= 22.15 (the official SDK 3.x): npm
// run puts the repo's node@22 first on PATH.
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";

const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.error(`Node ${process.version}: run through npm (npm run bench) or npx node, which use the repo's Node 22.`);
  process.exit(1);
}

const peers = [
  "bench/node_modules/@opentelemetry/sdk-trace",
  "bench/node_modules/@opentelemetry/exporter-logs-otlp-proto",
  "bench/peers/otel-cf-workers/node_modules/@microlabs/otel-cf-workers",
  "bench/peers/vercel-otel/node_modules/@vercel/otel",
];
if (!peers.every((p) => existsSync(p))) {
  const r = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: "bench", stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const tsc = spawnSync("tsc", ["-p", "bench/tsconfig.json", "--noEmit"], { stdio: "inherit" });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const started = Date.now();
const r = spawnSync(process.execPath, ["bench/report.ts"], { encoding: "utf8", stdio: ["inherit", "pipe", "inherit"], maxBuffer: 16 * 2 ** 20 });
process.stdout.write(r.stdout);
if (r.status !== 0) process.exit(r.status ?? 1);
console.error(`bench: ${Math.round((Date.now() - started) / 1000)} s`);

if (process.argv.includes("--write")) {
  writeFileSync(
    "BENCHMARKS.md",
    "# Benchmarks\n\n" +
      "Produced by `npm run bench -- --write` (peers installed into `bench/` only; Node 22 from the repo's devDependencies). " +
      "Every figure compares runs made in the same `npm run bench`, on the same machine, on the same inputs; " +
      "each heavy measurement runs in its own child process. The code is in `bench/`: `report.ts` drives it, " +
      "`tasks/` holds one script per measurement, `sdks/` and `peers/*/adapter.ts` drive each SDK, `workers/` and " +
      "`peers/*/worker*.ts` are the equivalent Worker setups.\n\n" +
      r.stdout,
  );
  console.error("wrote BENCHMARKS.md");
}
