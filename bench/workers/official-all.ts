// The official SDK 3.x doing what workers/ours-all.ts does: one SERVER span, one counter add, one
// histogram record and one log record per request, W3C propagation, OTLP/HTTP protobuf for all three
// signals, flushed through waitUntil.
import { context, SeverityNumber, SpanKind } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchLogRecordProcessor, LoggerProvider } from "@opentelemetry/sdk-logs";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";

interface Env {
  OTLP_URL?: string;
}
interface ExecutionContext {
  waitUntil(p: Promise<unknown>): void;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const started = Date.now();
    const base = env.OTLP_URL ?? "http://localhost:4318";
    const resource = resourceFromAttributes({ "service.name": "size-check" });
    const tracerProvider = new TracerProvider({ resource, spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${base}/v1/traces` }) })] });
    const meterProvider = new MeterProvider({
      resource,
      readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${base}/v1/metrics` }) })],
    });
    const loggerProvider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${base}/v1/logs` }) })] });
    const parent = new W3CTraceContextPropagator().extract(context.active(), request.headers, { get: (h, k) => h.get(k) ?? undefined, keys: (h) => [...h.keys()] });
    const attributes = { "http.request.method": request.method };
    const span = tracerProvider.getTracer("size-check").startSpan("GET /", { kind: SpanKind.SERVER, attributes }, parent);
    const meter = meterProvider.getMeter("size-check");
    meter.createCounter("http.server.requests", { unit: "{request}" }).add(1, attributes);
    loggerProvider.getLogger("size-check").emit({ severityNumber: SeverityNumber.INFO, severityText: "INFO", body: "handled GET /", attributes });
    span.end();
    meter.createHistogram("http.server.request.duration", { unit: "s" }).record((Date.now() - started) / 1000, attributes);
    // Shutdown flushes and also stops the reader's interval, which a per-request provider must not leave behind.
    ctx.waitUntil(Promise.all([tracerProvider.forceFlush(), meterProvider.shutdown(), loggerProvider.forceFlush()]));
    return new Response("ok");
  },
};
