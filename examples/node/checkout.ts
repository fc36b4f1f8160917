// A small instrumented program: a checkout request with nested work, an outbound call with trace
// headers, an error, and a flush at the end of the "invocation". `npm start` runs it against the
// built-in receiver; it runs unchanged against any OTLP/HTTP collector.
import { AsyncLocalStorage } from "node:async_hooks";
import {
  AsyncLocalStorageContextManager,
  SpanKind,
  SpanStatusCode,
  createTelemetry,
  type Context,
  type FlushResult,
} from "../../src/index.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs one simulated checkout request and flushes; resolves with the flush result. */
export async function runCheckout(otlpUrl: string): Promise<FlushResult> {
  const telemetry = createTelemetry({
    service: { name: "checkout", version: "1.4.2" },
    resource: { "deployment.environment.name": "demo" },
    exporter: { url: otlpUrl, compression: "gzip" },
    contextManager: new AsyncLocalStorageContextManager(new AsyncLocalStorage<Context>()),
    env: process.env,
  });
  const tracer = telemetry.tracer("checkout-demo", "1.0.0");

  // The request arrives with a W3C traceparent from an upstream service.
  const incoming = new Headers({ traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" });
  const parent = telemetry.propagation.extract(incoming);

  await tracer.startActiveSpan(
    "POST /checkout",
    { kind: SpanKind.SERVER, attributes: { "http.request.method": "POST", "url.path": "/checkout", "http.route": "/checkout" } },
    parent,
    async (server) => {
      await tracer.startActiveSpan("load cart", async (span) => {
        await sleep(8);
        tracer.startSpan("SELECT carts", { kind: SpanKind.CLIENT, attributes: { "db.system.name": "postgresql", "db.operation.name": "SELECT" } }).end();
        span.setAttribute("cart.items", 3);
        span.end();
      });
      await tracer.startActiveSpan("charge card", { kind: SpanKind.CLIENT, attributes: { "payment.amount": 42.5 } }, async (span) => {
        const outgoing: Record<string, string> = {};
        telemetry.propagation.inject(telemetry.context.active(), outgoing);
        span.addEvent("request sent", { traceparent: outgoing.traceparent ?? "" });
        await sleep(15);
        span.setStatus({ code: SpanStatusCode.ERROR, message: "card declined" });
        span.recordException(new Error("card declined"));
        span.end();
      });
      await tracer.startActiveSpan("render receipt", async (span) => {
        await sleep(3);
        span.end();
      });
      server.setAttribute("http.response.status_code", 402);
      server.end();
    },
  );
  const result = await telemetry.flush();
  await telemetry.shutdown();
  return result;
}
