// otel-cf-workers doing what examples/size/traces-only.ts does: instrument() makes the SERVER span of
// each request (accepting W3C trace context) and exports it as OTLP/HTTP JSON through waitUntil.
import { instrument, type ResolveConfigFn } from "@microlabs/otel-cf-workers";
import { trace } from "@opentelemetry/api";

interface Env {
  OTLP_URL?: string;
}

const handler = {
  async fetch(request: Request): Promise<Response> {
    trace.getActiveSpan()?.setAttribute("http.request.method", request.method);
    return new Response("ok");
  },
};

const config: ResolveConfigFn<Env> = (env) => ({
  exporter: { url: `${env.OTLP_URL ?? "http://localhost:4318"}/v1/traces` },
  service: { name: "size-check" },
});

export default instrument(handler as Parameters<typeof instrument>[0], config);
