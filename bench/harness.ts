// A tiny benchmark harness: warm up, then time several runs and report median, min and max; run each
// heavy measurement in its own child process, so one SDK's garbage and JIT state never meet another's.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

/** Median, min and max of a list of numbers. */
export interface Summary {
  median: number;
  min: number;
  max: number;
}

/** Timed runs per figure (the issue asks for at least 5). `BENCH_RUNS` overrides. */
export const RUNS = Math.max(5, Number(process.env.BENCH_RUNS) || 9);
/** Untimed runs first, so every figure is taken after the JIT has settled. */
export const WARMUP = 3;

/** Summarises samples. */
export function summarise(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, min: s[0]!, max: s[s.length - 1]! };
}

/** Scales a summary (say, ms per corpus to µs per span). Min and max swap when the factor turns it into a rate. */
export function scale(s: Summary, f: (x: number) => number): Summary {
  const a = f(s.min);
  const b = f(s.max);
  return { median: f(s.median), min: Math.min(a, b), max: Math.max(a, b) };
}

/**
 * Runs `fn` `warmup` times untimed, then `runs` times timed; returns ms per run. `fn` should do a
 * fixed amount of work (a whole corpus), so runs are comparable.
 */
export function timeRuns(fn: () => void, runs = RUNS, warmup = WARMUP): Summary {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return summarise(samples);
}

/** timeRuns for work that ends in a promise (a flush); `setup` runs untimed before each run. */
export async function timeRunsAsync(fn: () => Promise<unknown>, setup: () => unknown = () => {}, runs = RUNS, warmup = WARMUP): Promise<Summary> {
  const samples: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    await setup();
    const t0 = performance.now();
    await fn();
    const ms = performance.now() - t0;
    if (i >= warmup) samples.push(ms);
  }
  return summarise(samples);
}

/** The machine and runtime, for the table's header. */
export function machine(): string {
  const c = cpus();
  const load = loadavg()[0]!.toFixed(2);
  return `${c[0]?.model ?? "unknown CPU"} × ${c.length}, ${Math.round(totalmem() / 2 ** 30)} GiB, load average ${load} at start, Node ${process.version}, ${process.platform}/${process.arch}`;
}

/** A number with thousands separators. */
export const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** What the fetch stub was handed: one entry per call. */
export const sent: { url: string; bytes: number }[] = [];

/**
 * A fetch that answers every export with an empty 200 and records the body size: exports run their
 * whole encode-and-send path with no network in the timing.
 */
export const okFetch = async (url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const body = init?.body;
  const bytes = typeof body === "string" ? body.length : body instanceof Uint8Array ? body.byteLength : body instanceof Blob ? body.size : 0;
  sent.push({ url: String(url instanceof Request ? url.url : url), bytes });
  return new Response(null, { status: 200 });
};

/** The bench/ folder, whatever the working directory. */
export const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));

/** A package's installed version, as seen from `from` (a folder under bench/). */
export function installedVersion(name: string, from = "."): string {
  try {
    return JSON.parse(readFileSync(`${BENCH_DIR}${from}/node_modules/${name}/package.json`, "utf8")).version as string;
  } catch {
    return JSON.parse(readFileSync(`${BENCH_DIR}node_modules/${name}/package.json`, "utf8")).version as string;
  }
}

/** Prints a task's result for the parent process (the last stdout line is the result). */
export function emit(result: unknown): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * Runs `script` (a path under bench/) in a fresh Node with `args`, and returns the JSON it emitted.
 * A task that fails throws with its stderr, so the report never shows a figure that wasn't measured.
 */
export function child<T>(script: string, args: string[] = [], nodeFlags: string[] = []): T {
  const r = spawnSync(process.execPath, [...nodeFlags, `${BENCH_DIR}${script}`, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 2 ** 20,
    env: { ...process.env, NODE_NO_WARNINGS: "1" },
  });
  const lines = r.stdout.trim().split("\n");
  if (r.status !== 0) throw new Error(`${script} ${args.join(" ")} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  return JSON.parse(lines[lines.length - 1]!) as T;
}
