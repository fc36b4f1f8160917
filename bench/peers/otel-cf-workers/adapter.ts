// @microlabs/otel-cf-workers only runs inside instrument()ed Worker handlers, so the Node tasks measure
// its engine: spans from the sdk-trace-base 2.x it depends on, encoded the way its OTLPExporter encodes
// them (otlp-transformer 0.200's JsonTraceSerializer, decoded to a string body).
import { ROOT_CONTEXT, trace, type Span } from "@opentelemetry/api";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { buildCorpus } from "../../corpus.ts";
import type { Encoder } from "../../subjects.ts";

const BATCH = 512;

/** The corpus through sdk-trace-base 2.x; JSON as otel-cf-workers sends it, and protobuf from the same transformer. */
export async function encoders(): Promise<Encoder[]> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "bench", "service.version": "1.0.0" }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("bench", "1.0.0");
  buildCorpus<Span>((name, root, all) => tracer.startSpan(name, {}, root === undefined ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, all[root]!)));
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  const batches: ReadableSpan[][] = [];
  for (let i = 0; i < spans.length; i += BATCH) batches.push(spans.slice(i, i + BATCH));
  const decoder = new TextDecoder();
  return [
    { name: "protobuf", batches, encode: (b) => ProtobufTraceSerializer.serializeRequest(b as ReadableSpan[])! },
    { name: "JSON", batches, encode: (b) => decoder.decode(JsonTraceSerializer.serializeRequest(b as ReadableSpan[])) },
  ];
}
