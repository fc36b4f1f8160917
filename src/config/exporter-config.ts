import type { DiagLogger } from "../common/types.ts";
import type { OtlpExporterConfig, Signal } from "../otlp/export-result.ts";
import { envEnum, envInt, envString, parseKeyValueList, warnInvalidEnv } from "./env.ts";
import type { Env } from "./env.ts";

type Protocol = NonNullable<OtlpExporterConfig["protocol"]>;
type Compression = NonNullable<OtlpExporterConfig["compression"]>;
type SignalUrlKey = "tracesUrl" | "metricsUrl" | "logsUrl";

/** One signal's OTLP exporter settings with every default filled in. */
export interface ResolvedExporterConfig extends OtlpExporterConfig {
  headers: Record<string, string>;
  protocol: Protocol;
  compression: Compression;
  timeoutMs: number;
}

/**
 * What the environment says for each signal: the generic OTEL_EXPORTER_OTLP_* values overlaid with that
 * signal's OTEL_EXPORTER_OTLP_<SIGNAL>_* ones. `url` is the generic base endpoint and `<signal>Url` the
 * per-signal endpoint (used as given), only when set.
 */
export type ExporterEnv = Readonly<Record<Signal, ResolvedExporterConfig>>;

const SIGNALS: readonly Signal[] = ["traces", "metrics", "logs"];
const PROTOCOLS: readonly Protocol[] = ["http/protobuf", "http/json"];
const COMPRESSIONS: readonly Compression[] = ["gzip", "none"];
const URL_KEYS: readonly SignalUrlKey[] = ["tracesUrl", "metricsUrl", "logsUrl"];

/** Default export timeout, per https://opentelemetry.io/docs/specs/otel/protocol/exporter/#configuration-options */
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Reads the OTLP exporter variables for traces, metrics and logs; a per-signal variable wins over the
 * generic one. Invalid values warn once each and fall back (per-signal to generic, generic to default).
 * https://opentelemetry.io/docs/specs/otel/protocol/exporter/
 */
export function resolveExporterEnv(env: Env, diag: DiagLogger): ExporterEnv {
  const p = "OTEL_EXPORTER_OTLP_";
  const url = envUrl(env, p + "ENDPOINT", diag);
  const headers = envHeaders(env, p + "HEADERS", diag);
  const protocol = envProtocol(env, p + "PROTOCOL", "http/protobuf", diag);
  const compression = envEnum(env, p + "COMPRESSION", COMPRESSIONS, "none", diag);
  const timeoutMs = envInt(env, p + "TIMEOUT", DEFAULT_TIMEOUT_MS, diag, 1);
  const out = {} as Record<Signal, ResolvedExporterConfig>;
  for (const signal of SIGNALS) {
    const s = `${p}${signal.toUpperCase()}_`;
    const config: ResolvedExporterConfig = {
      headers: mergeHeaders(headers, envHeaders(env, s + "HEADERS", diag)),
      protocol: envProtocol(env, s + "PROTOCOL", protocol, diag),
      compression: envEnum(env, s + "COMPRESSION", COMPRESSIONS, compression, diag),
      timeoutMs: envInt(env, s + "TIMEOUT", timeoutMs, diag, 1),
    };
    if (url !== undefined) config.url = url;
    const signalUrl = envUrl(env, s + "ENDPOINT", diag);
    if (signalUrl !== undefined) config[`${signal}Url` as const] = signalUrl;
    out[signal] = config;
  }
  return out;
}

/**
 * Overlays explicit options on one signal's environment config, field by field: explicit wins, headers
 * merge name by name (case-insensitively, explicit wins). Any explicit endpoint beats every endpoint from
 * the environment, so an explicit base `url` is not shadowed by OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT.
 */
export function mergeExporterConfig(
  explicit: OtlpExporterConfig | undefined,
  fromEnv: ResolvedExporterConfig,
): ResolvedExporterConfig {
  const e = explicit ?? {};
  const out: ResolvedExporterConfig = {
    headers: mergeHeaders(fromEnv.headers, e.headers),
    protocol: e.protocol ?? fromEnv.protocol,
    compression: e.compression ?? fromEnv.compression,
    timeoutMs: e.timeoutMs ?? fromEnv.timeoutMs,
  };
  const url = e.url ?? fromEnv.url;
  if (url !== undefined) out.url = url;
  for (const key of URL_KEYS) {
    const value = e[key] ?? (e.url === undefined ? fromEnv[key] : undefined);
    if (value !== undefined) out[key] = value;
  }
  const f = e.fetch ?? fromEnv.fetch;
  if (f !== undefined) out.fetch = f;
  return out;
}

/** A fresh record of `base` overlaid with `over`; header names compare case-insensitively. */
function mergeHeaders(base: Record<string, string> | undefined, over: Record<string, string> | undefined): Record<string, string> {
  // No prototype, so a header named "__proto__" is kept like any other.
  const out: Record<string, string> = Object.create(null);
  const replaced = new Set<string>();
  if (over !== undefined) for (const name in over) replaced.add(name.toLowerCase());
  if (base !== undefined) for (const name in base) if (!replaced.has(name.toLowerCase())) out[name] = base[name]!;
  if (over !== undefined) for (const name in over) out[name] = over[name]!;
  return out;
}

function envUrl(env: Env, name: string, diag: DiagLogger): string | undefined {
  const text = envString(env, name);
  if (text === undefined) return undefined;
  if (/^https?:\/\//i.test(text)) {
    try {
      new URL(text);
      return text;
    } catch {
      // fall through to the warning
    }
  }
  warnInvalidEnv(diag, name, text, "an http(s) URL", "the default endpoint");
  return undefined;
}

function envHeaders(env: Env, name: string, diag: DiagLogger): Record<string, string> | undefined {
  const text = envString(env, name);
  if (text === undefined) return undefined;
  const headers = parseKeyValueList(text);
  // The value is not echoed: headers usually carry credentials.
  if (headers === undefined) {
    diag.warn(`edge-otel: ignoring ${name}: expected comma-separated name=value pairs, percent-encoded (value not shown: it may hold credentials)`);
  }
  return headers;
}

function envProtocol(env: Env, name: string, def: Protocol, diag: DiagLogger): Protocol {
  const text = envString(env, name);
  // Edge runtimes have no HTTP/2 trailers in fetch, so OTLP/gRPC cannot be sent.
  if (text !== undefined && text.toLowerCase() === "grpc") {
    warnInvalidEnv(diag, name, text, "http/protobuf or http/json (grpc is not supported over fetch)", def);
    return def;
  }
  return envEnum(env, name, PROTOCOLS, def, diag);
}
