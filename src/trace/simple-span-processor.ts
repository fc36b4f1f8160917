import { BatchSpanProcessor } from "./batch-span-processor.ts";
import type { SpanExporter } from "./span-exporter.ts";

/**
 * Exports each sampled span as soon as it ends: a batch processor whose batches hold one span and whose
 * queue has no bound, so it shares the accounting, timeouts and failure handling. For tests and
 * debugging, not production.
 */
export class SimpleSpanProcessor extends BatchSpanProcessor {
  constructor(exporter: SpanExporter) {
    super(exporter, { maxQueueSize: Infinity, maxExportBatchSize: 1 });
  }
}
