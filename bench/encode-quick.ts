// A quick throughput check of the trace encoders (not a test), needing no peer packages: the corpus of
// bench/tasks/encode.ts (10,000 spans made through our SDK, 8 attributes + 1 event each, batches of 512), encoded
// to protobuf and to JSON, with @bufbuild's create + toBinary of the same requests as a baseline.
// Long runs give V8 time to settle; profile with: npx node --cpu-prof bench/encode-quick.ts
// Run: npx node bench/encode-quick.ts [rounds]
import { toBinary } from "@bufbuild/protobuf";
import { ExportTraceServiceRequestSchema } from "../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { createTelemetry, encodeTraceRequest, encodeTraceRequestJson, ROOT_CONTEXT, setSpan, SimpleSpanProcessor, type ReadableSpan, type Span } from "../src/index.ts";
import { InMemorySpanExporter } from "../src/testing/index.ts";
import { referenceTraceRequest } from "../test/helpers/encoder-reference.ts";
import { buildCorpus, CORPUS_SPANS } from "./corpus.ts";

const BATCH = 512;
const rounds = Number(process.argv[2] ?? 40);

const memory = new InMemorySpanExporter();
const telemetry = createTelemetry({ service: { name: "bench", version: "1.0.0" }, exporters: [], spanProcessors: [new SimpleSpanProcessor(memory)] });
const tracer = telemetry.tracer("bench", "1.0.0");
buildCorpus<Span>((name, root, all) => tracer.startSpan(name, {}, root === undefined ? ROOT_CONTEXT : setSpan(ROOT_CONTEXT, all[root]!)));
const spans = memory.getFinishedSpans();
const resource = telemetry.resource;
const batches: ReadableSpan[][] = [];
for (let i = 0; i < spans.length; i += BATCH) batches.push(spans.slice(i, i + BATCH));

function measure(label: string, encode: (batch: ReadableSpan[]) => { length: number }, n = rounds): void {
  const run = () => batches.reduce((bytes, b) => bytes + encode(b).length, 0);
  for (let i = 0; i < 5; i++) run(); // warm up the JIT
  const rates: number[] = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    bytes = run();
    rates.push(CORPUS_SPANS / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  const fmt = (r: number) => Math.round(r).toLocaleString("en-US");
  console.log(`${label.padEnd(36)} ${fmt(rates[n >> 1]!).padStart(10)} spans/s median, ${fmt(rates[Math.floor(n * 0.9)]!)} p90  (${fmt(bytes)} bytes)`);
}

console.log(`${CORPUS_SPANS.toLocaleString("en-US")} spans in batches of ${BATCH}, ${rounds} rounds`);
measure("protobuf (encodeTraceRequest)", (b) => encodeTraceRequest(resource, b));
measure("JSON (encodeTraceRequestJson)", (b) => encodeTraceRequestJson(resource, b));
measure("baseline: @bufbuild create+toBinary", (b) => toBinary(ExportTraceServiceRequestSchema, referenceTraceRequest(resource, b)), 5);
