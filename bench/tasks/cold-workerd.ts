// Cold start in workerd (through Miniflare): each run starts one workerd with every setup as its own
// Workers, then sends each its first request; the Worker times, inside its isolate, the evaluation of
// its bundle and that first request (see workerdWrapper in bench/bundles.ts). Exports go to an
// outbound stub answering 200. workerd's clock ticks in whole milliseconds, so each setup runs as
// COPIES separate Workers (isolates) per run and a run's figure is their mean.
// Args: a JSON file of { id, path }[]. Prints { [id]: {importMs, requestMs}[] }, one entry per run.
import { readFileSync } from "node:fs";
import { Miniflare } from "miniflare";
import { emit, RUNS } from "../harness.ts";

const workers = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as { id: string; path: string }[];
const results: Record<string, { importMs: number; requestMs: number }[]> = {};
const COPIES = 8;
const copies = workers.flatMap((w) => Array.from({ length: COPIES }, (_, k) => ({ ...w, name: `${w.id}-${k}` })));

for (let run = 0; run <= RUNS; run++) {
  const mf = new Miniflare({
    workers: copies.map((w) => ({
      name: w.name,
      modules: [{ type: "ESModule" as const, path: `${w.id}.mjs`, contents: readFileSync(w.path, "utf8") }],
      compatibilityDate: "2025-09-01",
      compatibilityFlags: ["nodejs_compat"],
      bindings: { OTLP_URL: "http://localhost:4318" },
      outboundService: () => new Response(null, { status: 200 }),
    })),
  });
  await mf.ready;
  // A different order each run, so no setup always goes first.
  const order = copies.map((_, i) => copies[((i % workers.length) + run) % workers.length * COPIES + Math.floor(i / workers.length)]!);
  const sums: Record<string, { importMs: number; requestMs: number }> = {};
  for (const w of order) {
    const worker = (await mf.getWorker(w.name)) as unknown as { fetch(url: string): Promise<Response> };
    const res = await worker.fetch("http://localhost/");
    const body = (await res.json()) as { importMs: number; requestMs: number; status: number };
    if (res.status !== 200 || body.status !== 200) throw new Error(`${w.name}: ${res.status} ${JSON.stringify(body)}`);
    const sum = (sums[w.id] ??= { importMs: 0, requestMs: 0 });
    sum.importMs += body.importMs / COPIES;
    sum.requestMs += body.requestMs / COPIES;
  }
  // Run 0 is the warm-up: the OS has cached workerd and the files after it.
  if (run > 0) for (const [id, mean] of Object.entries(sums)) (results[id] ??= []).push(mean);
  await new Promise((resolve) => setTimeout(resolve, 50)); // let waitUntil exports finish
  await mf.dispose();
}
emit(results);
