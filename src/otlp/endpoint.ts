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
 * base for all three. Per-signal urls are used exactly as given. Never throws: an invalid url is
 * reported to `diag` and kept, so each send fails on it with a clear message.
 */
export function resolveEndpoints(config: EndpointOptions, diag?: DiagLogger): Record<Signal, string> {
  // Empty strings count as unset, as an empty OTEL_EXPORTER_OTLP_* variable does.
  const base = config.url || DEFAULT_OTLP_BASE_URL;
  const given = { traces: config.tracesUrl, metrics: config.metricsUrl, logs: config.logsUrl };
  const out = {} as Record<Signal, string>;
  let baseChecked = false;
  for (const signal of ["traces", "metrics", "logs"] as const) {
    const exact = given[signal];
    if (exact) {
      out[signal] = checked(exact, diag);
    } else {
      // Check the base once, so a bad base gives one warning, not three.
      if (!baseChecked) checked(base, diag);
      baseChecked = true;
      out[signal] = appendSignalPath(base, signal);
    }
  }
  return out;
}

/** Why `url` can't be posted to, or undefined when it can. */
export function endpointProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `invalid OTLP endpoint URL "${url}"`;
  }
  // "localhost:4318" parses as scheme "localhost:", a common slip worth naming.
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return `OTLP endpoint "${url}" is not an http(s) URL`;
  }
  return undefined;
}

function checked(url: string, diag: DiagLogger | undefined): string {
  const problem = endpointProblem(url);
  if (problem) diag?.warn(`edge-otel: ${problem}`);
  return url;
}

function appendSignalPath(base: string, signal: Signal): string {
  const suffix = `/v1/${signal}`;
  // A bad base keeps a best-effort string, so the failure at send time names the url.
  if (endpointProblem(base) !== undefined) return base.replace(/\/+$/, "") + suffix;
  const u = new URL(base);
  u.pathname = u.pathname.replace(/\/+$/, "").replace(/\/v1\/(?:traces|metrics|logs)$/, "") + suffix;
  return u.href;
}
