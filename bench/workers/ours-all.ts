// edge-otel with all three signals, doing what examples/size/traces-only.ts does plus one counter
// add, one histogram record and one log record per request, all flushed through waitUntil: the
// setup the peers' all-signals Workers are equivalent to (examples/cloudflare is a whole app).
import { createTelemetry, SpanKind } from "../../src/index.ts";

interface Env {
  OTLP_URL?: string;
  [key: string]: string | undefined;
}
interface ExecutionContext {
  waitUntil(p: Promise<unknown>): void;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const started = Date.now();
    const telemetry = createTelemetry({ service: { name: "size-check" }, env, exporter: { url: env.OTLP_URL } });
    const parent = telemetry.propagation.extract(request.headers);
    const attributes = { "http.request.method": request.method };
    const span = telemetry.tracer("size-check").startSpan("GET /", { kind: SpanKind.SERVER, attributes }, parent);
    const meter = telemetry.meter("size-check");
    meter.createCounter("http.server.requests", { unit: "{request}" }).add(1, attributes);
    telemetry.logger("size-check").emit({ severityNumber: 9, severityText: "INFO", body: "handled GET /", attributes });
    span.end();
    meter.createHistogram("http.server.request.duration", { unit: "s" }).record((Date.now() - started) / 1000, attributes);
    ctx.waitUntil(telemetry.flush());
    return new Response("ok");
  },
};
