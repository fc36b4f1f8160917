import { BatchLogRecordProcessor } from "./batch-log-record-processor.ts";
import type { LogRecordExporter } from "./log-record-processor.ts";

/**
 * Exports each log record as soon as it is emitted: a batch processor whose batches hold one record and
 * whose queue has no bound, so it shares the accounting, timeouts and failure handling. For tests and
 * debugging, not production. https://opentelemetry.io/docs/specs/otel/logs/sdk/#simple-processor
 */
export class SimpleLogRecordProcessor extends BatchLogRecordProcessor {
  constructor(exporter: LogRecordExporter) {
    super(exporter, { maxQueueSize: Infinity, maxExportBatchSize: 1 });
  }
}
