// @vercel/otel doing what workers/ours-all.ts does: registerOTel with its protobuf trace exporter plus
// the 2.x OTLP protobuf metrics and logs exporters it takes as options; one span, one counter add, one
// histogram record and one log record per request, flushed through waitUntil.
import { context, metrics, propagation, SpanKind, trace, type ProxyTracerProvider } from "@opentelemetry/api";
import { logs, SeverityNumber } from "@opentelemetry/api-logs";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { BatchLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { OTLPHttpProtoTraceExporter, registerOTel } from "@vercel/otel";

interface ExecutionContext {
  waitUntil(p: Promise<unknown>): void;
}

const base = "http://localhost:4318";
const reader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${base}/v1/metrics` }) });
const logProcessor = new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${base}/v1/logs` }) });
registerOTel({
  serviceName: "size-check",
  traceExporter: new OTLPHttpProtoTraceExporter({ url: `${base}/v1/traces` }),
  metricReaders: [reader],
  logRecordProcessors: [logProcessor],
});

export default {
  async fetch(request: Request, _env: unknown, ctx: ExecutionContext): Promise<Response> {
    const started = Date.now();
    const parent = propagation.extract(context.active(), request.headers, { get: (h, k) => h.get(k) ?? undefined, keys: (h) => [...h.keys()] });
    const attributes = { "http.request.method": request.method };
    const span = trace.getTracer("size-check").startSpan("GET /", { kind: SpanKind.SERVER, attributes }, parent);
    const meter = metrics.getMeter("size-check");
    meter.createCounter("http.server.requests", { unit: "{request}" }).add(1, attributes);
    logs.getLogger("size-check").emit({ severityNumber: SeverityNumber.INFO, severityText: "INFO", body: "handled GET /", attributes });
    span.end();
    meter.createHistogram("http.server.request.duration", { unit: "s" }).record((Date.now() - started) / 1000, attributes);
    const provider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as unknown as { forceFlush(): Promise<void> };
    ctx.waitUntil(Promise.all([provider.forceFlush(), reader.forceFlush(), logProcessor.forceFlush()]));
    return new Response("ok");
  },
};
