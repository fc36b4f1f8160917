// Heap retained per buffered span: the shared corpus ended into one SDK's batch processor (large
// enough to hold it all, and exporting only at flush), measured after full GCs, then flushed away.
// Needs --expose-gc. Args: SDK name. Prints { bytesPerSpan: Summary }.
import { buildCorpus, CORPUS_SPANS, type BenchSpan } from "../corpus.ts";
import { emit, RUNS, summarise, WARMUP } from "../harness.ts";
import { loadAdapter } from "../subjects.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const adapter = await loadAdapter(process.argv[2]);
// One batch as large as the queue: nothing is exported (or encoded) until the flush after each measurement.
const subject = await adapter.traces!(CORPUS_SPANS + 1024, CORPUS_SPANS + 1024);
const samples: number[] = [];
for (let i = 0; i < WARMUP + RUNS; i++) {
  const before = heap();
  // The corpus array is dropped at once: only what the SDK keeps stays reachable.
  buildCorpus<BenchSpan>((name, root, all) => subject.start(name, root === undefined ? undefined : all[root])).length = 0;
  const after = heap();
  if (i >= WARMUP) samples.push((after - before) / CORPUS_SPANS);
  await subject.flush();
}
emit({ bytesPerSpan: summarise(samples) });
