import type { DiagLogger } from "../common/types.ts";
import { endpointProblem } from "../otlp/endpoint.ts";
import type { OtlpExporterConfig, Signal } from "../otlp/export-result.ts";
import { enumParser, envValue, intParser, parseKeyValueList } from "./env.ts";
import type { Env } from "./env.ts";

/** One signal's OTLP exporter settings with every default filled in. */
export interface ResolvedExporterConfig extends OtlpExporterConfig {
  headers: Record<string, string>;
  protocol: NonNullable<OtlpExporterConfig["protocol"]>;
  compression: NonNullable<OtlpExporterConfig["compression"]>;
  timeoutMs: number;
}

// The first of each is the default.
const PROTOCOLS: readonly ResolvedExporterConfig["protocol"][] = ["http/protobuf", "http/json"];
const COMPRESSIONS: readonly ResolvedExporterConfig["compression"][] = ["none", "gzip"];

/**
 * Reads one signal's OTLP exporter variables: OTEL_EXPORTER_OTLP_<SIGNAL>_* over OTEL_EXPORTER_OTLP_*
 * over the defaults (an invalid per-signal value falls back to the generic one). The generic endpoint
 * becomes the base `url`, the per-signal one `<signal>Url` (used as given); per-signal headers merge
 * into the generic ones.
 * https://opentelemetry.io/docs/specs/otel/protocol/exporter/#configuration-options
 */
export function resolveExporterEnv(env: Env, diag: DiagLogger, signal: Signal = "traces"): ResolvedExporterConfig {
  const c: ResolvedExporterConfig = { headers: {}, protocol: PROTOCOLS[0], compression: COMPRESSIONS[0], timeoutMs: 10_000 };
  for (const s of ["", signal.toUpperCase() + "_"]) {
    const p = "OTEL_EXPORTER_OTLP_" + s;
    c[s ? (`${signal}Url` as const) : "url"] = envValue(env, p + "ENDPOINT", undefined, diag, (t) => (endpointProblem(t) ? undefined : t));
    // The value is not shown: headers usually carry credentials.
    c.headers = mergeHeaders(c.headers, envValue(env, p + "HEADERS", undefined, diag, parseKeyValueList, () => "(hidden)"));
    // Edge runtimes have no HTTP/2 trailers in fetch, so OTLP/gRPC cannot be sent.
    c.protocol = envValue(env, p + "PROTOCOL", c.protocol, diag, enumParser(PROTOCOLS), (t) => `"${t}" (http/protobuf or http/json; grpc is not supported)`);
    c.compression = envValue(env, p + "COMPRESSION", c.compression, diag, enumParser(COMPRESSIONS));
    c.timeoutMs = envValue(env, p + "TIMEOUT", c.timeoutMs, diag, intParser(1));
  }
  return c;
}

/**
 * Overlays the explicit options that are set (not undefined, null or "") on one signal's environment
 * config: headers merge by case-insensitive name, explicit winning; an explicit base `url` also beats the
 * environment's per-signal endpoint.
 */
export function mergeExporterConfig(explicit: OtlpExporterConfig | undefined, fromEnv: ResolvedExporterConfig): ResolvedExporterConfig {
  // Plain JS callers write null and "" for "not set"; as values they would defeat the environment and the
  // defaults (a null timeout aborts every export at once).
  const set = (explicit ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = { ...fromEnv };
  if (set["url"]) out["tracesUrl"] = out["metricsUrl"] = out["logsUrl"] = undefined;
  for (const k in set) if (set[k] != null && set[k] !== "") out[k] = set[k];
  out["headers"] = mergeHeaders(fromEnv.headers, set["headers"] as Record<string, string> | undefined);
  return out as unknown as ResolvedExporterConfig;
}

/** A fresh record of `base` overlaid with `over`; header names compare case-insensitively. */
function mergeHeaders(base: Record<string, string>, over: Record<string, string> | undefined): Record<string, string> {
  // No prototype, so a header named "__proto__" is kept like any other.
  const out: Record<string, string> = Object.create(null);
  for (const h of [base, over])
    for (const k in h) {
      for (const o in out) if (o.toLowerCase() === k.toLowerCase()) delete out[o];
      out[k] = h[k]!;
    }
  return out;
}
