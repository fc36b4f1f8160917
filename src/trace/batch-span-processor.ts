import { BatchQueue, type BatchOptions } from "../common/batch-queue.ts";
import type { SpanProcessor } from "./span-processor.ts";
import type { ReadableSpan } from "./span-record.ts";

export { exportSafely, shutdownSafely } from "../common/batch-queue.ts";

/** Options of a BatchSpanProcessor (OTEL_BSP_*). */
export type BatchSpanProcessorOptions = BatchOptions;

/**
 * Queues sampled spans and exports them in batches: when a batch fills, on forceFlush(), and on
 * shutdown(). The queue is bounded; past the bound spans are dropped and counted.
 * https://opentelemetry.io/docs/specs/otel/trace/sdk/#batching-processor
 */
export class BatchSpanProcessor extends BatchQueue<ReadableSpan> implements SpanProcessor {
  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (span.spanContext().traceFlags & 1) this.add(span);
  }
}
