import type { DiagLogger } from "../common/types.ts";
import type { ExportResult } from "../otlp/export-result.ts";
import type { SpanExporter } from "./span-exporter.ts";
import type { ProcessorFlushResult, SpanProcessor } from "./span-processor.ts";
import type { ReadableSpan } from "./span-record.ts";
import type { TelemetryStats } from "./telemetry-stats.ts";

/** Options of a BatchSpanProcessor (OTEL_BSP_*). */
export interface BatchSpanProcessorOptions {
  /** Spans held at most, queued and in flight together; more are dropped and counted. Default 2048. */
  maxQueueSize?: number | undefined;
  /** Spans per export request. Default 512. */
  maxExportBatchSize?: number | undefined;
  /**
   * Long-lived servers only: also export this many ms after the first span of a batch ends. Unset by
   * default, because edge runtimes and Lambda forbid or freeze timers; flush() is the way out there.
   */
  scheduledDelayMillis?: number | undefined;
  diag?: DiagLogger | undefined;
  stats?: TelemetryStats | undefined;
}

/**
 * Queues sampled spans and exports them in batches: when a batch fills, on forceFlush(), and on
 * shutdown(). The queue is bounded; past the bound spans are dropped and counted.
 * https://opentelemetry.io/docs/specs/otel/trace/sdk/#batching-processor
 */
export class BatchSpanProcessor implements SpanProcessor {
  readonly #exporter: SpanExporter;
  readonly #maxQueue: number;
  readonly #maxBatch: number;
  readonly #delay: number | undefined;
  readonly #diag: DiagLogger | undefined;
  readonly #stats: TelemetryStats | undefined;
  #queue: ReadableSpan[] = [];
  #inFlight = 0;
  readonly #pending = new Set<Promise<void>>();
  #result: ProcessorFlushResult = { status: "success", exported: 0, dropped: 0 };
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(exporter: SpanExporter, options: BatchSpanProcessorOptions = {}) {
    this.#exporter = exporter;
    this.#maxQueue = Math.max(1, options.maxQueueSize ?? 2048);
    this.#maxBatch = Math.max(1, Math.min(options.maxExportBatchSize ?? 512, this.#maxQueue));
    this.#delay = options.scheduledDelayMillis;
    this.#diag = options.diag;
    this.#stats = options.stats;
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & 1) === 0) return;
    if (this.#closed || this.#queue.length + this.#inFlight >= this.#maxQueue) {
      this.#drop(1, this.#closed ? "a span ended after shutdown; it was dropped" : `the span queue is full (${this.#maxQueue}); spans are being dropped`);
      return;
    }
    this.#queue.push(span);
    if (this.#queue.length >= this.#maxBatch) this.#exportBatch();
    else if (this.#delay !== undefined && this.#timer === undefined) this.#startTimer(this.#delay);
  }

  async forceFlush(): Promise<ProcessorFlushResult> {
    this.#clearTimer();
    while (this.#queue.length > 0) this.#exportBatch();
    while (this.#pending.size > 0) await Promise.all(this.#pending);
    const result = this.#result;
    this.#result = { status: "success", exported: 0, dropped: 0 };
    return result;
  }

  async shutdown(): Promise<ProcessorFlushResult> {
    const result = await this.forceFlush();
    this.#closed = true;
    await this.#exporter.shutdown?.();
    return result;
  }

  #exportBatch(): void {
    const batch = this.#queue.length <= this.#maxBatch ? this.#queue : this.#queue.slice(0, this.#maxBatch);
    this.#queue = batch === this.#queue ? [] : this.#queue.slice(this.#maxBatch);
    this.#inFlight += batch.length;
    const done = exportSafely(this.#exporter, batch).then((r) => {
      this.#inFlight -= batch.length;
      this.#pending.delete(done);
      this.#record(r, batch.length);
    });
    this.#pending.add(done);
  }

  #record(r: ExportResult, count: number): void {
    const acc = this.#result;
    if (r.status === "success") {
      const rejected = Math.min(r.rejected ?? 0, count);
      acc.exported += count - rejected;
      acc.dropped += rejected;
      if (this.#stats !== undefined) {
        this.#stats.exportedSpans += count - rejected;
        this.#stats.droppedSpans += rejected;
      }
      if (r.message !== undefined) acc.message = r.message;
      return;
    }
    if (acc.status !== "failure") acc.status = r.status;
    if (r.message !== undefined) acc.message = r.message;
    if (this.#stats !== undefined) this.#stats.failedExports++;
    this.#drop(count, undefined);
  }

  #drop(count: number, why: string | undefined): void {
    this.#result.dropped += count;
    if (this.#stats !== undefined) this.#stats.droppedSpans += count;
    if (why !== undefined) this.#diag?.warn(why);
  }

  #startTimer(delay: number): void {
    const t = setTimeout(() => {
      this.#timer = undefined;
      if (this.#queue.length > 0) this.#exportBatch();
    }, delay);
    // Node and Bun: do not keep the process alive for telemetry alone.
    (t as { unref?: () => void }).unref?.();
    this.#timer = t;
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** Calls `exporter.export`, turning a throw or a rejection into a failure result. */
export function exportSafely(exporter: SpanExporter, spans: readonly ReadableSpan[]): Promise<ExportResult> {
  try {
    return exporter.export(spans).then(
      (r) => r,
      (e: unknown) => ({ status: "failure", message: String(e) }),
    );
  } catch (e) {
    return Promise.resolve({ status: "failure", message: String(e) });
  }
}
