import { describe, expect, it } from "vitest";
import type { DiagLogger } from "../src/common/types.ts";
import { resolveMetricsConfig } from "../src/config/metrics-config.ts";

function recording() {
  const warnings: string[] = [];
  const diag: DiagLogger = { error: (m) => warnings.push(m), warn: (m) => warnings.push(m), info() {}, debug() {} };
  return { warnings, diag };
}

const DEFAULTS = {
  temporality: "cumulative",
  defaultHistogram: "explicit_bucket_histogram",
  exemplarFilter: "trace_based",
  exportIntervalMillis: 60_000,
  exportTimeoutMillis: 30_000,
};

describe("resolveMetricsConfig", () => {
  it("defaults to the spec's values", () => {
    const { warnings, diag } = recording();
    expect(resolveMetricsConfig(undefined, {}, diag)).toEqual(DEFAULTS);
    expect(warnings).toEqual([]);
  });

  it("reads the OTEL_* variables, values case-insensitively", () => {
    const { warnings, diag } = recording();
    const env = {
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: " Delta ",
      OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION: "BASE2_EXPONENTIAL_BUCKET_HISTOGRAM",
      OTEL_METRICS_EXEMPLAR_FILTER: "always_off",
      OTEL_METRIC_EXPORT_INTERVAL: "5000",
      OTEL_METRIC_EXPORT_TIMEOUT: "1000",
    };
    expect(resolveMetricsConfig({}, env, diag)).toEqual({
      temporality: "delta",
      defaultHistogram: "base2_exponential_bucket_histogram",
      exemplarFilter: "always_off",
      exportIntervalMillis: 5000,
      exportTimeoutMillis: 1000,
    });
    expect(resolveMetricsConfig({}, { OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: "LOWMEMORY", OTEL_METRICS_EXEMPLAR_FILTER: "Always_On" }, diag)).toMatchObject({
      temporality: "lowmemory",
      exemplarFilter: "always_on",
    });
    expect(warnings).toEqual([]);
  });

  it("warns about invalid values and uses the defaults", () => {
    const { warnings, diag } = recording();
    const env = {
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: "sometimes",
      OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION: "explicit",
      OTEL_METRICS_EXEMPLAR_FILTER: "trace",
      OTEL_METRIC_EXPORT_INTERVAL: "-5",
      OTEL_METRIC_EXPORT_TIMEOUT: "1e3",
    };
    expect(resolveMetricsConfig(undefined, env, diag)).toEqual(DEFAULTS);
    expect(warnings).toHaveLength(5);
    for (const name of Object.keys(env)) expect(warnings.some((w) => w.includes(name))).toBe(true);
  });

  it("lets valid explicit values win over the variables; invalid explicit ones fall back to them", () => {
    const { warnings, diag } = recording();
    const env = { OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: "delta", OTEL_METRICS_EXEMPLAR_FILTER: "always_on", OTEL_METRIC_EXPORT_INTERVAL: "5000" };
    expect(resolveMetricsConfig({ temporality: "lowmemory", exemplarFilter: "bogus" as never, exportIntervalMillis: 100 }, env, diag)).toEqual({
      ...DEFAULTS,
      temporality: "lowmemory",
      exemplarFilter: "always_on",
      exportIntervalMillis: 100,
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("bogus");
  });
});
