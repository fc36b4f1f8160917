// The official SDK doing what examples/size/traces-only.ts does: one SERVER span per request,
// W3C propagation, OTLP/HTTP protobuf export flushed through waitUntil.
import { context, propagation, SpanKind, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";

interface Env {
  OTLP_URL?: string;
}
interface ExecutionContext {
  waitUntil(p: Promise<unknown>): void;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ "service.name": "size-check" }),
      spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: env.OTLP_URL ?? "http://localhost:4318/v1/traces" }) })],
    });
    const prop = new W3CTraceContextPropagator();
    const parent = prop.extract(context.active(), request.headers, { get: (h, k) => h.get(k) ?? undefined, keys: (h) => [...h.keys()] });
    const span = provider.getTracer("size-check").startSpan("GET /", { kind: SpanKind.SERVER, attributes: { "http.request.method": request.method } }, parent);
    span.end();
    ctx.waitUntil(provider.forceFlush());
    void propagation;
    void trace;
    return new Response("ok");
  },
};
