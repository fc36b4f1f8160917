// Encoding throughput and bytes on the wire: one SDK's encoders over the shared corpus made through
// that SDK, in batches of 512. Args: SDK name. Prints { name, ms: Summary (per corpus), bytes, gzipBytes }[].
import { gzipSync } from "node:zlib";
import { CORPUS_SPANS } from "../corpus.ts";
import { emit, scale, timeRuns } from "../harness.ts";
import { loadAdapter } from "../subjects.ts";

const adapter = await loadAdapter(process.argv[2]);
const rows = [];
for (const encoder of await adapter.encoders!()) {
  const spans = encoder.batches.reduce((n, b) => n + b.length, 0);
  if (spans !== CORPUS_SPANS) throw new Error(`${encoder.name}: corpus has ${spans} spans`);
  let bytes = 0;
  let gzipBytes = 0;
  for (const b of encoder.batches) {
    const out = encoder.encode(b);
    const raw = typeof out === "string" ? Buffer.from(out) : out;
    bytes += raw.length;
    gzipBytes += gzipSync(raw).length;
  }
  // Each run encodes the corpus PASSES times, so a run is long enough (tens of ms) for a timer to resolve.
  const PASSES = 4;
  let sink = 0;
  const ms = timeRuns(() => {
    for (let p = 0; p < PASSES; p++) for (const b of encoder.batches) sink += encoder.encode(b).length;
  });
  if (!sink) throw new Error("nothing encoded");
  rows.push({ name: encoder.name, ms: scale(ms, (x) => x / PASSES), bytes, gzipBytes });
}
emit(rows);
