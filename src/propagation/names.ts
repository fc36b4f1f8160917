import type { TextMapPropagator } from "./propagator.ts";
import { B3Propagator } from "./b3-propagator.ts";
import { W3CBaggagePropagator } from "./baggage-propagator.ts";
import { W3CTraceContextPropagator } from "./trace-context-propagator.ts";

/**
 * The propagator for an OTEL_PROPAGATORS name: `tracecontext`, `baggage`, `b3` (single header) or `b3multi`.
 * Undefined for any other name (`jaeger`, `xray`, `ottrace`, …); the caller warns. Each call builds a new one.
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#general-sdk-configuration
 */
export function propagatorByName(name: string): TextMapPropagator | undefined {
  switch (name) {
    case "tracecontext":
      return new W3CTraceContextPropagator();
    case "baggage":
      return new W3CBaggagePropagator();
    case "b3":
      return new B3Propagator();
    case "b3multi":
      return new B3Propagator({ injectEncoding: "multi" });
  }
  return undefined;
}
