// Encoding throughput: edge-otel's direct protobuf/JSON writers against the official
// @opentelemetry/otlp-transformer serializers, on the same 10,000-span corpus in the same run.
// Run: npm run bench (from the repo root).
import { context as otelContext, trace as otelTrace } from "@opentelemetry/api";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemorySpanExporter as OtelMemory, SimpleSpanProcessor as OtelSimple, TracerProvider } from "@opentelemetry/sdk-trace";
import type { ReadableSpan as OtelReadableSpan } from "@opentelemetry/sdk-trace";
import { createTelemetry, encodeTraceRequest, encodeTraceRequestJson, SimpleSpanProcessor, type ReadableSpan, type Span } from "../src/index.ts";
import { setSpan, ROOT_CONTEXT } from "../src/index.ts";
import { InMemorySpanExporter } from "../src/testing/index.ts";
import { CORPUS_SPANS, buildCorpus } from "./corpus.ts";
import { fmt, machine, timeRuns, type Summary } from "./harness.ts";

const BATCH = 512;
const resourceAttrs = { "service.name": "bench", "service.version": "1.0.0" };

function ourCorpus(): { spans: ReadableSpan[]; resource: ReturnType<typeof createTelemetry>["resource"] } {
  const memory = new InMemorySpanExporter();
  const telemetry = createTelemetry({ service: { name: "bench", version: "1.0.0" }, exporters: [], spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = telemetry.tracer("bench", "1.0.0");
  buildCorpus<Span>((name, root, all) => tracer.startSpan(name, {}, root === undefined ? ROOT_CONTEXT : setSpan(ROOT_CONTEXT, all[root]!)));
  return { spans: memory.getFinishedSpans(), resource: telemetry.resource };
}

async function officialCorpus(): Promise<OtelReadableSpan[]> {
  const memory = new OtelMemory();
  const provider = new TracerProvider({ resource: resourceFromAttributes(resourceAttrs), spanProcessors: [new OtelSimple({ exporter: memory })] });
  const tracer = provider.getTracer("bench", "1.0.0");
  buildCorpus((name, root, all) =>
    tracer.startSpan(name, {}, root === undefined ? otelContext.active() : otelTrace.setSpan(otelContext.active(), all[root] as never)),
  );
  await provider.forceFlush();
  return memory.getFinishedSpans();
}

function batches<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

/** Encodes every batch once; returns the total bytes. */
function encodeAll<T>(all: T[][], encode: (batch: T[]) => Uint8Array | string | undefined): number {
  let bytes = 0;
  for (const b of all) {
    const out = encode(b);
    bytes += typeof out === "string" ? Buffer.byteLength(out) : out!.length;
  }
  return bytes;
}

export interface EncodeRow {
  name: string;
  time: Summary;
  bytes: number;
}

/** Runs the encoding benchmark and returns rows (spans/s from the median run). */
export async function runEncodeBench(runs = 7): Promise<EncodeRow[]> {
  const ours = ourCorpus();
  const official = await officialCorpus();
  if (ours.spans.length !== CORPUS_SPANS || official.length !== CORPUS_SPANS) throw new Error("corpus size mismatch");
  const ourBatches = batches(ours.spans);
  const officialBatches = batches(official);
  const rows: EncodeRow[] = [];
  const row = <T>(name: string, all: T[][], encode: (b: T[]) => Uint8Array | string | undefined) => {
    const bytes = encodeAll(all, encode);
    rows.push({ name, time: timeRuns(() => encodeAll(all, encode), runs), bytes });
  };
  row("edge-otel protobuf", ourBatches, (b) => encodeTraceRequest(ours.resource, b));
  row("official ProtobufTraceSerializer", officialBatches, (b) => ProtobufTraceSerializer.serializeRequest(b));
  row("edge-otel JSON", ourBatches, (b) => encodeTraceRequestJson(ours.resource, b));
  row("official JsonTraceSerializer", officialBatches, (b) => JsonTraceSerializer.serializeRequest(b));
  return rows;
}
