// @vercel/otel in Node: registerOTel with its own OTLP protobuf trace exporter posting to a fetch stub
// (its exporter is fetch-based), and the 2.x metrics and logs SDKs it requires as peers. Instrumentations
// are off, so the stub is not itself traced. registerOTel sets globals: one call per process.
import { metrics, ROOT_CONTEXT, trace, type ProxyTracerProvider, type Span } from "@opentelemetry/api";
import { logs } from "@opentelemetry/api-logs";
import { ProtobufLogsSerializer, ProtobufMetricsSerializer } from "@opentelemetry/otlp-transformer";
import { BatchLogRecordProcessor, type LogRecordExporter } from "@opentelemetry/sdk-logs";
import { MetricReader } from "@opentelemetry/sdk-metrics";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OTLPHttpProtoTraceExporter, registerOTel } from "@vercel/otel";
import { okFetch } from "../../harness.ts";
import type { SignalsSubject, TraceSubject } from "../../subjects.ts";

const BATCH = 512;
export let sink = 0;

function install(): void {
  globalThis.fetch = okFetch as typeof fetch;
}

/** registerOTel with a BatchSpanProcessor (up to `queue` spans, `batch` per request) over @vercel/otel's protobuf exporter. */
export function traces(queue: number, batch: number): TraceSubject {
  install();
  const exporter = new OTLPHttpProtoTraceExporter({ url: "http://localhost:4318/v1/traces" });
  registerOTel({
    serviceName: "bench",
    instrumentations: [],
    spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: queue, maxExportBatchSize: batch, scheduledDelayMillis: 2 ** 30 })],
  });
  const provider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as unknown as { forceFlush(): Promise<void> };
  const tracer = trace.getTracer("bench", "1.0.0");
  return {
    start: (name, parent) => tracer.startSpan(name, {}, parent ? trace.setSpan(ROOT_CONTEXT, parent as Span) : ROOT_CONTEXT),
    flush: () => provider.forceFlush(),
  };
}

class OnDemandReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** registerOTel with an on-demand metric reader and a batch log processor over the 2.x serializers. */
export function signals(): SignalsSubject {
  install();
  const reader = new OnDemandReader();
  const logExporter: LogRecordExporter = {
    export(records, done) {
      sink += ProtobufLogsSerializer.serializeRequest(records)!.length;
      done({ code: 0 });
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const processor = new BatchLogRecordProcessor({ exporter: logExporter, maxQueueSize: 2048, maxExportBatchSize: BATCH, scheduledDelayMillis: 2 ** 30 });
  registerOTel({ serviceName: "bench", instrumentations: [], traceExporter: "auto", metricReaders: [reader], logRecordProcessors: [processor] });
  const meter = metrics.getMeter("bench", "1.0.0");
  const counter = meter.createCounter("http.server.requests", { unit: "{request}", description: "Requests handled" });
  const histogram = meter.createHistogram("http.server.request.duration", { unit: "s", description: "Request duration" });
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
    drainLogs: () => processor.forceFlush(),
  };
}
