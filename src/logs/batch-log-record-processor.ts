import { BatchQueue, type BatchOptions } from "../common/batch-queue.ts";
import type { ReadableLogRecord } from "./log-record.ts";
import type { LogRecordExporter, LogRecordProcessor } from "./log-record-processor.ts";

/** Options of a BatchLogRecordProcessor (OTEL_BLRP_*, resolved by `resolveBatchConfig(…, "OTEL_BLRP")`). */
export type BatchLogRecordProcessorOptions = BatchOptions;

/**
 * Queues log records and exports them in batches: when a batch fills, on forceFlush(), and on shutdown().
 * The queue is bounded; past the bound records are dropped and counted (stats.droppedLogRecords).
 * https://opentelemetry.io/docs/specs/otel/logs/sdk/#batching-processor
 */
export class BatchLogRecordProcessor extends BatchQueue<ReadableLogRecord> implements LogRecordProcessor {
  constructor(exporter: LogRecordExporter, options?: BatchLogRecordProcessorOptions) {
    super(exporter, options, "LogRecords");
  }

  onEmit(record: ReadableLogRecord): void {
    this.add(record);
  }
}
