// `npm run bench`: installs the peers into bench/ (devDependencies of bench/ only) if needed, runs
// every benchmark side by side, and prints one report. `npm run bench -- --write` also saves it
// to BENCHMARKS.md. CI runs no timings; only the size budget (scripts/check-size.ts) is enforced.
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";

if (!existsSync("bench/node_modules/@opentelemetry/otlp-transformer")) {
  const r = spawnSync("npm", ["install", "--prefix", "bench", "--no-audit", "--no-fund"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const tsc = spawnSync("tsc", ["-p", "bench/tsconfig.json", "--noEmit"], { stdio: "inherit" });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
const r = spawnSync("node", ["bench/report.ts"], { encoding: "utf8", stdio: ["inherit", "pipe", "inherit"] });
process.stdout.write(r.stdout);
if (r.status !== 0) process.exit(r.status ?? 1);
if (process.argv.includes("--write")) {
  writeFileSync(
    "BENCHMARKS.md",
    `# Benchmarks\n\nProduced by \`npm run bench -- --write\`. Every figure compares runs made in the same process, on the same machine, on the same inputs.\n\n${r.stdout}`,
  );
  console.log("wrote BENCHMARKS.md");
}
