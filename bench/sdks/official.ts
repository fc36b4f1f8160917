// The official OpenTelemetry JS SDK 3.x: BatchSpanProcessor and BatchLogRecordProcessor over exporters
// that run the official OTLP protobuf serializers (what the exporter-*-otlp-proto packages send) and
// drop the bytes; metrics through a MetricReader collected on demand.
import { ROOT_CONTEXT, trace, type Span } from "@opentelemetry/api";
import { JsonTraceSerializer, ProtobufLogsSerializer, ProtobufMetricsSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from "@opentelemetry/sdk-logs";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace";
import { buildCorpus } from "../corpus.ts";
import type { Encoder, SignalsSubject, TraceSubject } from "../subjects.ts";

const resource = () => resourceFromAttributes({ "service.name": "bench", "service.version": "1.0.0" });
const BATCH = 512;
/** Keeps encoded bytes reachable, so no encoder's work can be optimised away. */
export let sink = 0;

const spanEncoder: SpanExporter = {
  export(spans, done) {
    sink += ProtobufTraceSerializer.serializeRequest(spans)!.length;
    done({ code: 0 });
  },
  forceFlush: async () => {},
  shutdown: async () => {},
};

/** TracerProvider → BatchSpanProcessor (up to `queue` spans, `batch` per export) → protobuf serializer. */
export function traces(queue: number, batch: number): TraceSubject {
  const provider = new TracerProvider({
    resource: resource(),
    spanProcessors: [new BatchSpanProcessor({ exporter: spanEncoder, maxQueueSize: queue, maxExportBatchSize: batch, scheduledDelayMillis: 2 ** 30 })],
  });
  const tracer = provider.getTracer("bench", "1.0.0");
  return {
    start: (name, parent) => tracer.startSpan(name, {}, parent ? trace.setSpan(ROOT_CONTEXT, parent as Span) : ROOT_CONTEXT),
    flush: () => provider.forceFlush(),
  };
}

/** The corpus through the official tracer, encoded by the official protobuf and JSON serializers. */
export async function encoders(): Promise<Encoder[]> {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({ resource: resource(), spanProcessors: [new SimpleSpanProcessor({ exporter: memory })] });
  const tracer = provider.getTracer("bench", "1.0.0");
  buildCorpus<Span>((name, root, all) => tracer.startSpan(name, {}, root === undefined ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, all[root]!)));
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  const batches: ReadableSpan[][] = [];
  for (let i = 0; i < spans.length; i += BATCH) batches.push(spans.slice(i, i + BATCH));
  return [
    { name: "protobuf", batches, encode: (b) => ProtobufTraceSerializer.serializeRequest(b as ReadableSpan[])! },
    { name: "JSON", batches, encode: (b) => JsonTraceSerializer.serializeRequest(b as ReadableSpan[])! },
  ];
}

/** A reader whose only job is to be collected on demand. */
class OnDemandReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** MeterProvider with an on-demand reader; LoggerProvider → BatchLogRecordProcessor → protobuf serializer. */
export function signals(): SignalsSubject {
  const reader = new OnDemandReader();
  const meter = new MeterProvider({ resource: resource(), readers: [reader] }).getMeter("bench", "1.0.0");
  const counter = meter.createCounter("http.server.requests", { unit: "{request}", description: "Requests handled" });
  const histogram = meter.createHistogram("http.server.request.duration", { unit: "s", description: "Request duration" });
  const logExporter: LogRecordExporter = {
    export(records, done) {
      sink += ProtobufLogsSerializer.serializeRequest(records)!.length;
      done({ code: 0 });
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const logs = new LoggerProvider({
    resource: resource(),
    processors: [new BatchLogRecordProcessor({ exporter: logExporter, maxQueueSize: 2048, maxExportBatchSize: BATCH, scheduledDelayMillis: 2 ** 30 })],
  });
  const logger = logs.getLogger("bench", "1.0.0");
  return {
    add: (v, a) => counter.add(v, a),
    record: (v, a) => histogram.record(v, a),
    emit: (body, attributes) => logger.emit({ severityNumber: 9, severityText: "INFO", body, attributes }),
    async collect() {
      const { resourceMetrics, errors } = await reader.collect();
      if (errors.length) throw errors[0];
      sink += ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!.length;
    },
    drainLogs: () => logs.forceFlush(),
  };
}
