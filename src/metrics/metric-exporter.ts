import type { ExportResult } from "../otlp/export-result.ts";
import type { MetricData } from "./metric-data.ts";

/** Sends collected metrics somewhere. https://opentelemetry.io/docs/specs/otel/metrics/sdk/#push-metric-exporter */
export interface MetricExporter {
  /** Exports one collection's metrics; resolves with the outcome and never rejects. */
  export(metrics: readonly MetricData[]): Promise<ExportResult>;
}
