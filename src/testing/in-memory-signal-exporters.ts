import type { ReadableLogRecord } from "../logs/log-record.ts";
import type { MetricData } from "../metrics/metric-data.ts";
import { InMemoryExporter } from "./in-memory-exporter.ts";

/** Keeps exported log records in memory, for tests: pass it in a SimpleLogRecordProcessor as a log record processor. */
export class InMemoryLogRecordExporter extends InMemoryExporter<ReadableLogRecord> {
  /** The log records exported so far, in the order they were emitted. */
  getFinishedLogRecords(): ReadableLogRecord[] {
    return this.getExported();
  }
}

/** Keeps collected metrics in memory, for tests: pass it in `metricExporters`. Each flush adds one collection. */
export class InMemoryMetricExporter extends InMemoryExporter<MetricData> {
  /** The metric `name` from the latest collection that had it, or undefined. */
  getMetric(name: string): MetricData | undefined {
    return this.getExported().findLast((m) => m.name === name);
  }
}
