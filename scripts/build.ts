// Builds dist/: tsc emits src/ and cli/ (rewriting .ts imports to .js); gen/ is already js + d.ts
// from protoc-gen-es, so it is copied as is.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, rmSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
const tsc = spawnSync("tsc", ["-p", "tsconfig.build.json"], { stdio: "inherit", shell: false });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
cpSync("gen", "dist/gen", { recursive: true });
// Plain JS modules (with their hand-written .d.ts) that tsc does not emit.
for (const f of ["import-builtin.js", "import-builtin.d.ts"]) cpSync(`runtimes/cloudflare/${f}`, `dist/runtimes/cloudflare/${f}`);
chmodSync("dist/cli/receiver.js", 0o755);
console.log("built dist/");
