import type { DiagLogger } from "../common/types.ts";
import type { ExportResult } from "../otlp/export-result.ts";
import type { SpanExporter } from "./span-exporter.ts";
import type { ProcessorFlushResult, SpanProcessor } from "./span-processor.ts";
import type { ReadableSpan } from "./span-record.ts";
import { createStats, type TelemetryStats } from "./telemetry-stats.ts";

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
  /** Counters to add to; the telemetry passes its own. */
  stats?: TelemetryStats | undefined;
}

const fresh = (): ProcessorFlushResult => ({ status: "success", exported: 0, dropped: 0 });

/**
 * Queues sampled spans and exports them in batches: when a batch fills, on forceFlush(), and on
 * shutdown(). The queue is bounded; past the bound spans are dropped and counted.
 * https://opentelemetry.io/docs/specs/otel/trace/sdk/#batching-processor
 */
export class BatchSpanProcessor implements SpanProcessor {
  readonly #exporter: SpanExporter;
  readonly #max: number;
  readonly #batch: number;
  readonly #o: BatchSpanProcessorOptions;
  readonly #stats: TelemetryStats;
  #queue: ReadableSpan[] = [];
  #inFlight = 0;
  readonly #pending = new Set<Promise<void>>();
  #result = fresh();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(exporter: SpanExporter, options: BatchSpanProcessorOptions = {}) {
    this.#exporter = exporter;
    this.#o = options;
    this.#max = Math.max(1, options.maxQueueSize ?? 2048);
    this.#batch = Math.max(1, Math.min(options.maxExportBatchSize ?? 512, this.#max));
    this.#stats = options.stats ?? createStats();
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (!(span.spanContext().traceFlags & 1)) return;
    if (this.#closed || this.#queue.length + this.#inFlight >= this.#max) {
      this.#drop(1);
      this.#o.diag?.warn(this.#closed ? "span ended after shutdown: dropped" : `span queue full (${this.#max}): dropping spans`);
      return;
    }
    const delay = this.#o.scheduledDelayMillis;
    if (this.#queue.push(span) >= this.#batch) this.#export();
    else if (delay !== undefined && this.#timer === undefined) {
      const t = (this.#timer = setTimeout(() => {
        this.#timer = undefined;
        if (this.#queue.length) this.#export();
      }, delay));
      // Node and Bun: never keep the process alive for telemetry alone.
      (t as { unref?: () => void }).unref?.();
    }
  }

  async forceFlush(): Promise<ProcessorFlushResult> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#queue.length) this.#export();
    while (this.#pending.size) await Promise.all(this.#pending);
    const result = this.#result;
    this.#result = fresh();
    return result;
  }

  async shutdown(): Promise<ProcessorFlushResult> {
    const result = await this.forceFlush();
    this.#closed = true;
    await this.#exporter.shutdown?.();
    return result;
  }

  #export(): void {
    const batch = this.#queue.splice(0, this.#batch);
    const n = batch.length;
    this.#inFlight += n;
    const done = exportSafely(this.#exporter, batch).then((r) => {
      this.#inFlight -= n;
      this.#pending.delete(done);
      const acc = this.#result;
      if (r.message !== undefined) acc.message = r.message;
      if (r.status === "success") {
        const rejected = Math.min(r.rejected ?? 0, n);
        acc.exported += n - rejected;
        this.#stats.exportedSpans += n - rejected;
        this.#drop(rejected);
      } else {
        if (acc.status !== "failure") acc.status = r.status;
        this.#stats.failedExports++;
        this.#drop(n);
      }
    });
    this.#pending.add(done);
  }

  #drop(count: number): void {
    this.#result.dropped += count;
    this.#stats.droppedSpans += count;
  }
}

/** Calls `exporter.export`, turning a throw or a rejection into a failure result. */
export function exportSafely(exporter: SpanExporter, spans: readonly ReadableSpan[]): Promise<ExportResult> {
  return new Promise<ExportResult>((resolve) => resolve(exporter.export(spans))).catch((e: unknown) => ({
    status: "failure",
    message: String(e),
  }));
}
