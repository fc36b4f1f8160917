// Regenerates gen/ into a scratch folder and fails if it differs from the committed gen/.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const scratch = ".tmp/regen";
rmSync(scratch, { recursive: true, force: true });
const r = spawnSync("buf", ["generate", "--output", scratch], { stdio: "inherit" });
if (r.status !== 0) process.exit(r.status ?? 1);

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
const fresh = new Set(files(join(scratch, "gen")).map((f) => relative(join(scratch, "gen"), f)));
const committed = new Set(files("gen").map((f) => relative("gen", f)));
const problems: string[] = [];
for (const f of fresh) {
  if (!committed.has(f)) problems.push(`missing from gen/: ${f}`);
  else if (readFileSync(join("gen", f), "utf8") !== readFileSync(join(scratch, "gen", f), "utf8")) problems.push(`differs: gen/${f}`);
}
for (const f of committed) if (!fresh.has(f)) problems.push(`not generated any more: gen/${f}`);
rmSync(scratch, { recursive: true, force: true });
if (problems.length > 0) {
  console.error(problems.join("\n") + "\nRun `npm run generate` and commit gen/.");
  process.exit(1);
}
console.log(`gen/ matches a fresh generation (${fresh.size} files)`);
