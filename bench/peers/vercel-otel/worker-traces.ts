// @vercel/otel doing what examples/size/traces-only.ts does: registerOTel with its OTLP/HTTP protobuf
// trace exporter, one SERVER span per request with W3C propagation, flushed through waitUntil.
import { context, propagation, SpanKind, trace, type ProxyTracerProvider } from "@opentelemetry/api";
import { OTLPHttpProtoTraceExporter, registerOTel } from "@vercel/otel";

interface ExecutionContext {
  waitUntil(p: Promise<unknown>): void;
}

registerOTel({ serviceName: "size-check", traceExporter: new OTLPHttpProtoTraceExporter({ url: "http://localhost:4318/v1/traces" }) });

export default {
  async fetch(request: Request, _env: unknown, ctx: ExecutionContext): Promise<Response> {
    const parent = propagation.extract(context.active(), request.headers, { get: (h, k) => h.get(k) ?? undefined, keys: (h) => [...h.keys()] });
    const span = trace.getTracer("size-check").startSpan("GET /", { kind: SpanKind.SERVER, attributes: { "http.request.method": request.method } }, parent);
    span.end();
    const provider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as unknown as { forceFlush(): Promise<void> };
    ctx.waitUntil(provider.forceFlush());
    return new Response("ok");
  },
};
