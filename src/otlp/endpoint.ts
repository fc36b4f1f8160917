import type { DiagLogger } from "../common/types.ts";
import type { OtlpExporterConfig, Signal } from "./export-result.ts";

/** The base endpoint used when none is configured (the OTLP/HTTP default port). */
export const DEFAULT_OTLP_BASE_URL = "http://localhost:4318";

/** The endpoint settings `resolveEndpoints` reads. */
export type EndpointOptions = Pick<OtlpExporterConfig, "url" | "tracesUrl" | "metricsUrl" | "logsUrl">;

/**
 * The URL each signal is posted to. A base url gets `v1/<signal>` appended to its path
 * (https://opentelemetry.io/docs/specs/otel/protocol/exporter/#endpoint-urls-for-otlphttp); one
 * that already ends in a signal path has it removed first, so `…/v1/traces` may be given as the
 * base for all three. Per-signal urls are used exactly as given. Never throws: an invalid url (the
 * base is checked once, used or not) is reported to `diag` and kept, so each send fails on it with a
 * clear message.
 */
export function resolveEndpoints(config: EndpointOptions, diag?: DiagLogger): Record<Signal, string> {
  const checked = (url: string): string => {
    const problem = endpointProblem(url);
    if (problem) diag?.warn(`edge-otel: ${problem}`);
    return url;
  };
  // Empty strings count as unset, as an empty OTEL_EXPORTER_OTLP_* variable does.
  let base = checked(config.url || DEFAULT_OTLP_BASE_URL);
  try {
    base = new URL(base).href; // normalized: default port dropped, path never empty
  } catch {}
  const out = {} as Record<Signal, string>;
  for (const signal of ["traces", "metrics", "logs"] as const) {
    const url = config[`${signal}Url`];
    // The path ends before any query or fragment; an unparsable base is kept as given.
    out[signal] = url ? checked(url) : base.replace(/(\/v1\/(traces|metrics|logs))?\/*(?=[?#]|$)/, "/v1/" + signal);
  }
  return out;
}

/** Why `url` can't be posted to, or undefined when it can. */
export function endpointProblem(url: string): string | undefined {
  // "localhost:4318" parses too, as scheme "localhost:": a common slip.
  if (!URL.canParse(url) || !/^https?:/i.test(url)) return `OTLP endpoint "${url}" is not an http(s) URL`;
}
