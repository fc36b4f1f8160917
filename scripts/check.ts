// `npm test`: every check CI runs, in order, stopping at the first failure.
import { spawnSync } from "node:child_process";

const steps: [string, string, string[]][] = [
  ["generated code is current", "node", ["scripts/check-generated.ts"]],
  ["typecheck src/ and gen/ (no Node types)", "tsc", ["-p", "tsconfig.json"]],
  ["typecheck tests, cli and scripts", "tsc", ["-p", "tsconfig.node.json", "--noEmit"]],
  ["unit and conformance tests", "vitest", ["run"]],
  ["build", "node", ["scripts/build.ts"]],
  ["package exports (publint)", "publint", ["--strict"]],
  ["bundle size budget", "node", ["scripts/check-size.ts"]],
];

for (const [title, cmd, args] of steps) {
  console.log(`\n▶ ${title}: ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`\n✖ ${title} failed`);
    process.exit(r.status ?? 1);
  }
}
console.log("\n✔ all checks passed");
