// CPU per span: the shared corpus (10,000 spans in 5-span traces, 8 attributes and 1 event each) started,
// ended and exported through one SDK's batch processor and OTLP protobuf encoder, per run.
// Args: SDK name. Prints { usPerSpan: Summary } (wall time on one thread, async export included).
import { buildCorpus, CORPUS_SPANS, type BenchSpan } from "../corpus.ts";
import { emit, scale, timeRunsAsync } from "../harness.ts";
import { loadAdapter } from "../subjects.ts";

const adapter = await loadAdapter(process.argv[2]);
const subject = await adapter.traces!(CORPUS_SPANS + 1024, 512);
const run = async () => {
  buildCorpus<BenchSpan>((name, root, all) => subject.start(name, root === undefined ? undefined : all[root]));
  await subject.flush();
};
const ms = await timeRunsAsync(run);
emit({ usPerSpan: scale(ms, (x) => (x * 1000) / CORPUS_SPANS) });
