// The smallest useful Worker-style setup, traces only: the bundle the 7 KB gzip budget is measured on.
import { createTraceTelemetry, SpanKind } from "../../src/index.ts";

interface Env {
  OTLP_URL?: string;
  [key: string]: string | undefined;
}
interface ExecutionContext {
  waitUntil(p: Promise<unknown>): void;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const telemetry = createTraceTelemetry({ service: { name: "size-check" }, env, exporter: { url: env.OTLP_URL } });
    const tracer = telemetry.tracer("size-check");
    const parent = telemetry.propagation.extract(request.headers);
    const span = tracer.startSpan("GET /", { kind: SpanKind.SERVER, attributes: { "http.request.method": request.method } }, parent);
    span.end();
    ctx.waitUntil(telemetry.flush());
    return new Response("ok");
  },
};
