// edge-otel, configured as a Worker would be, exporting OTLP/HTTP protobuf through its real exporter
// to a fetch stub (so its own transport is in every figure; the peers' network code is not).
import { createTelemetry, ROOT_CONTEXT, setSpan, SimpleSpanProcessor, encodeTraceRequest, encodeTraceRequestJson, type Span } from "../../src/index.ts";
import { InMemorySpanExporter } from "../../src/testing/index.ts";
import { buildCorpus } from "../corpus.ts";
import { okFetch, sent } from "../harness.ts";
import type { Encoder, SignalsSubject, TraceSubject } from "../subjects.ts";

const service = { name: "bench", version: "1.0.0" };
const exporter = { url: "http://localhost:4318", fetch: okFetch, compression: "none" as const };
const BATCH = 512;

/** Our batch processor (up to `queue` spans, `batch` per request) and OTLP exporter, posting to the stub. */
export function traces(queue: number, batch: number): TraceSubject {
  const telemetry = createTelemetry({ service, exporter, batch: { maxQueueSize: queue, maxExportBatchSize: batch } });
  const tracer = telemetry.tracer("bench", "1.0.0");
  return {
    start: (name, parent) => tracer.startSpan(name, {}, parent ? setSpan(ROOT_CONTEXT, parent as Span) : ROOT_CONTEXT),
    async flush() {
      const r = await telemetry.flush();
      if (!r.ok) throw new Error(`flush failed: ${JSON.stringify(r)}`);
    },
  };
}

/** The corpus through our tracer, encoded by our protobuf and JSON writers. */
export function encoders(): Encoder[] {
  const memory = new InMemorySpanExporter();
  const telemetry = createTelemetry({ service, exporters: [], spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = telemetry.tracer("bench", "1.0.0");
  buildCorpus<Span>((name, root, all) => tracer.startSpan(name, {}, root === undefined ? ROOT_CONTEXT : setSpan(ROOT_CONTEXT, all[root]!)));
  const spans = memory.getFinishedSpans();
  const batches: (typeof spans)[] = [];
  for (let i = 0; i < spans.length; i += BATCH) batches.push(spans.slice(i, i + BATCH));
  const resource = telemetry.resource;
  return [
    { name: "protobuf", batches, encode: (b) => encodeTraceRequest(resource, b as typeof spans) },
    { name: "JSON", batches, encode: (b) => encodeTraceRequestJson(resource, b as typeof spans) },
  ];
}

/**
 * Counter, histogram and logger of one telemetry; collection is a flush() to the fetch stub. "pending"
 * while flush() sends no metrics or no logs (the SDKs not wired in yet).
 */
export async function signals(): Promise<SignalsSubject | "pending"> {
  const telemetry = createTelemetry({ service, exporter });
  const meter = telemetry.meter("bench", "1.0.0");
  const counter = meter.createCounter("http.server.requests", { unit: "{request}", description: "Requests handled" });
  const histogram = meter.createHistogram("http.server.request.duration", { unit: "s", description: "Request duration" });
  const logger = telemetry.logger("bench", "1.0.0");
  const emit = (body: string, attributes: Record<string, string | number>) =>
    logger.emit({ severityNumber: 9, severityText: "INFO", body, attributes });
  // Probe: does a flush carry metrics and logs at all?
  counter.add(1, { probe: 1 });
  emit("probe", { probe: 1 });
  const before = sent.length;
  await telemetry.flush();
  const urls = sent.slice(before).map((s) => s.url);
  if (!urls.some((u) => u.endsWith("/v1/metrics")) || !urls.some((u) => u.endsWith("/v1/logs"))) return "pending";
  return {
    add: (v, a) => counter.add(v, a),
    record: (v, a) => histogram.record(v, a),
    emit,
    collect: async () => {
      const r = await telemetry.flush();
      if (!r.ok) throw new Error(`flush failed: ${JSON.stringify(r)}`);
    },
    drainLogs: async () => void (await telemetry.flush()),
  };
}
