import type { DiagLogger } from "../common/types.ts";
import type { ExemplarFilterName, HistogramAggregationName, TemporalityPreference } from "../metrics/meter-provider.ts";
import { enumParser, envValue, warnInvalidEnv, type Env } from "./env.ts";
import { resolveLimits } from "./span-limits.ts";

/** The metrics SDK's settings, every default filled in. */
export interface MetricsConfig {
  temporality: TemporalityPreference;
  defaultHistogram: HistogramAggregationName;
  exemplarFilter: ExemplarFilterName;
  /** For long-lived runtimes that export on an interval; nothing here starts one. */
  exportIntervalMillis: number;
  exportTimeoutMillis: number;
}

// Field, variable, allowed values (the first is the default).
const ENUMS: readonly [keyof MetricsConfig, string, readonly string[]][] = [
  ["temporality", "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", ["cumulative", "delta", "lowmemory"]],
  ["defaultHistogram", "OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION", ["explicit_bucket_histogram", "base2_exponential_bucket_histogram"]],
  ["exemplarFilter", "OTEL_METRICS_EXEMPLAR_FILTER", ["trace_based", "always_on", "always_off"]],
];

/**
 * Resolves the metrics settings: explicit options when valid, else the OTEL_* variables (values
 * case-insensitive), else the defaults; an invalid value warns and falls back.
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#periodic-exporting-metricreader
 * https://opentelemetry.io/docs/specs/otel/metrics/sdk_exporters/otlp/#additional-environment-variable-configuration
 */
export function resolveMetricsConfig(explicit: Partial<MetricsConfig> | undefined, env: Env, diag: DiagLogger): MetricsConfig {
  const c = resolveLimits<Record<string, unknown>>(
    explicit,
    env,
    diag,
    [
      ["exportIntervalMillis", "INTERVAL", 60_000, 1],
      ["exportTimeoutMillis", "TIMEOUT", 30_000, 1],
    ],
    "OTEL_METRIC_EXPORT_",
    "",
  );
  for (const [field, name, allowed] of ENUMS) {
    const parse = enumParser(allowed);
    const given = explicit?.[field];
    const v = given == null ? undefined : parse(String(given));
    if (given != null && !v) warnInvalidEnv(diag, field, JSON.stringify(given), name + " or default");
    c[field] = v ?? envValue(env, name, allowed[0], diag, parse);
  }
  return c as unknown as MetricsConfig;
}
