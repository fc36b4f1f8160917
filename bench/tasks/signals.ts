// Metrics and logs hot paths of one SDK. Args: SDK name, then "hot" (counter.add, histogram.record
// and logger.emit, 3 attributes each: ns per call) or "collect" (one collection + protobuf encoding of
// 1,000 series: ms). Prints the figures, or { pending: true } while the SDK has no such API.
import { emit, RUNS, scale, summarise, timeRuns, WARMUP } from "../harness.ts";
import { loadAdapter } from "../subjects.ts";

const adapter = await loadAdapter(process.argv[2]);
const s = await adapter.signals!();
if (s === "pending") {
  emit({ pending: true });
  process.exit(0);
}

/** 3 attributes; `n` distinct sets. */
const attributeSets = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ "http.request.method": i % 2 ? "GET" : "POST", "http.route": `/api/items/${i}`, "http.response.status_code": 200 + (i % 3) }));

if (process.argv[3] === "collect") {
  // 500 counter series and 500 histogram series, each given a new value before every collection
  // (delta temporality would otherwise leave nothing to export).
  // A run is the mean of 10 collections (a single one takes a few ms, where one GC pause would dominate).
  const sets = attributeSets(500);
  const samples: number[] = [];
  for (let run = 0; run < WARMUP + RUNS; run++) {
    let ms = 0;
    for (let k = 0; k < 10; k++) {
      sets.forEach((a, i) => (s.add(1, a), s.record(i / 500, a)));
      const t0 = performance.now();
      await s.collect();
      ms += performance.now() - t0;
    }
    if (run >= WARMUP) samples.push(ms / 10);
  }
  emit({ collectMs: summarise(samples) });
} else {
  const sets = attributeSets(10);
  const CALLS = 200_000;
  const perCall = (ms: number) => (ms * 1e6) / CALLS;
  const add = timeRuns(() => {
    for (let i = 0; i < CALLS; i++) s.add(1, sets[i % 10]!);
  });
  const record = timeRuns(() => {
    for (let i = 0; i < CALLS; i++) s.record((i % 1000) / 1000, sets[i % 10]!);
  });
  // Log records wait in a queue until exported: 20 chunks of 500 per run, drained untimed between
  // chunks. A chunk stays under every SDK's export batch size (512), so no SDK exports inside the
  // timed loop, and no queue overflows into its (cheaper) dropping path.
  const CHUNK = 500;
  const CHUNKS = 20;
  const emitSamples: number[] = [];
  for (let run = 0; run < WARMUP + RUNS; run++) {
    let ms = 0;
    for (let c = 0; c < CHUNKS; c++) {
      const t0 = performance.now();
      for (let i = 0; i < CHUNK; i++) s.emit("user signed in", sets[i % 10]!);
      ms += performance.now() - t0;
      await s.drainLogs();
    }
    if (run >= WARMUP) emitSamples.push((ms * 1e6) / (CHUNK * CHUNKS));
  }
  emit({ addNs: scale(add, perCall), recordNs: scale(record, perCall), emitNs: summarise(emitSamples) });
}
