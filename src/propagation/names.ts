import type { TextMapPropagator } from "./propagator.ts";
import { B3Propagator } from "./b3-propagator.ts";
import { W3CBaggagePropagator } from "./baggage-propagator.ts";
import { W3CTraceContextPropagator } from "./trace-context-propagator.ts";

/**
 * The propagator for an OTEL_PROPAGATORS name: `tracecontext`, `baggage`, `b3` (single header) or `b3multi`.
 * Undefined for any other name (`jaeger`, `xray`, `ottrace`, …); the caller warns. Each call builds a new one.
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#general-sdk-configuration
 */
export const propagatorByName = (name: string): TextMapPropagator | undefined =>
  name == "tracecontext"
    ? new W3CTraceContextPropagator()
    : name == "baggage"
      ? new W3CBaggagePropagator()
      : name == "b3"
        ? new B3Propagator()
        : name == "b3multi"
          ? new B3Propagator({ injectEncoding: "multi" })
          : undefined;
