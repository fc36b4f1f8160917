import { MultiProcessor, type FlushableProcessor } from "../common/multi-processor.ts";
import type { Context } from "../context/context.ts";
import type { ExportResult } from "../otlp/export-result.ts";
import type { ReadableLogRecord } from "./log-record.ts";

/**
 * Sees every emitted log record. https://opentelemetry.io/docs/specs/otel/logs/sdk/#logrecordprocessor
 * forceFlush and shutdown never reject.
 */
export interface LogRecordProcessor extends FlushableProcessor {
  /** Called for each record, with the context it was emitted in. */
  onEmit(record: ReadableLogRecord, context: Context): void;
}

/** Sends finished log records somewhere. `export` never rejects. https://opentelemetry.io/docs/specs/otel/logs/sdk/#logrecordexporter */
export interface LogRecordExporter {
  export(records: readonly ReadableLogRecord[]): Promise<ExportResult>;
  shutdown?(): Promise<void>;
}

/** Fans records out to several processors; flushes them concurrently so a slow one delays no other. */
export class MultiLogRecordProcessor extends MultiProcessor<LogRecordProcessor> implements LogRecordProcessor {
  // A user processor that throws must neither reach the code that logged nor keep the others from seeing the record.
  onEmit(record: ReadableLogRecord, context: Context): void {
    for (const p of this.processors)
      try {
        p.onEmit(record, context);
      } catch {}
  }
}
