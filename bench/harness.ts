// A tiny benchmark harness: warm up, then time several runs and report median, min and max.
import { cpus } from "node:os";

/** Median, min and max of a list of numbers. */
export interface Summary {
  median: number;
  min: number;
  max: number;
}

/** Summarises samples. */
export function summarise(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, min: s[0]!, max: s[s.length - 1]! };
}

/**
 * Runs `fn` `warmup` times untimed, then `runs` times timed; returns ms per run. `fn` should do a
 * fixed amount of work (a whole corpus), so runs are comparable.
 */
export function timeRuns(fn: () => void, runs = 7, warmup = 3): Summary {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return summarise(samples);
}

/** The machine and runtime, for the table's header. */
export function machine(): string {
  const c = cpus();
  return `${c[0]?.model ?? "unknown CPU"} × ${c.length}, Node ${process.version}, ${process.platform}/${process.arch}`;
}

/** A number with thousands separators. */
export const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
