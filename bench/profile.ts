// Where the time goes: runs a task under `node --cpu-prof` and ranks our functions by self time.
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { BENCH_DIR, child } from "./harness.ts";

interface ProfileNode {
  id: number;
  hitCount?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** One function's share of the profile's non-idle samples. */
export interface HotSpot {
  /** `src/file.ts:function:line`. */
  where: string;
  percent: number;
}

/** A task's profile: our hottest functions, all of src/ together, and the garbage collector. */
export interface Profile {
  spots: HotSpot[];
  oursPercent: number;
  gcPercent: number;
}

/** Profiles `script args` (a bench task) and returns the `top` functions of src/ by self time. */
export function hotSpots(script: string, args: string[], top = 8): Profile {
  const dir = `${BENCH_DIR}.out/prof-${script.replace(/\W+/g, "-")}/`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  child(script, args, ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=100"]);
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"))!;
  const nodes = (JSON.parse(readFileSync(dir + file, "utf8")) as { nodes: ProfileNode[] }).nodes;
  const root = new URL("../", `file://${BENCH_DIR}`).href;
  let total = 0;
  let gc = 0;
  const self = new Map<string, number>();
  for (const n of nodes) {
    const hits = n.hitCount ?? 0;
    if (n.callFrame.functionName === "(idle)") continue;
    total += hits;
    if (n.callFrame.functionName === "(garbage collector)") gc += hits;
    const url = n.callFrame.url;
    if (!url.startsWith(`${root}src/`)) continue;
    const where = `${url.slice(root.length)}:${n.callFrame.functionName || "(anonymous)"}:${n.callFrame.lineNumber + 1}`;
    self.set(where, (self.get(where) ?? 0) + hits);
  }
  const spots = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, hits]) => ({ where, percent: (100 * hits) / total }));
  const ours = [...self.values()].reduce((a, b) => a + b, 0);
  return { spots, oursPercent: (100 * ours) / total, gcPercent: (100 * gc) / total };
}
