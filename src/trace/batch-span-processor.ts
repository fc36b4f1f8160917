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
  /** An export that has not settled after this many ms counts as failed (OTEL_BSP_EXPORT_TIMEOUT). Default 30 000. */
  exportTimeoutMillis?: number | undefined;
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
  #warned = false;

  constructor(exporter: SpanExporter, options: BatchSpanProcessorOptions = {}) {
    this.#exporter = exporter;
    this.#o = options;
    // A NaN size (from unchecked input) would make every comparison false: an unbounded queue, never exported.
    const max = (this.#max = options.maxQueueSize! >= 1 ? options.maxQueueSize! : 2048);
    this.#batch = Math.min(options.maxExportBatchSize! >= 1 ? options.maxExportBatchSize! : 512, max);
    this.#stats = options.stats ?? createStats();
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (!(span.spanContext().traceFlags & 1)) return;
    if (this.#closed || this.#queue.length + this.#inFlight >= this.#max) {
      this.#drop(1);
      // Once per flush cycle: a user's diag logger may not deduplicate.
      if (!this.#warned) this.#o.diag?.warn(this.#closed ? "span ended after shutdown: dropped" : `span queue full (${this.#max}): dropping spans`);
      this.#warned = true;
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
    // Only the exports under way now, which hold every span ended so far: spans that keep ending during the
    // wait must not hold this flush up for ever. Later exports are reported by the next flush.
    await Promise.all(this.#pending);
    const result = this.#result;
    this.#result = fresh();
    this.#warned = false;
    return result;
  }

  async shutdown(): Promise<ProcessorFlushResult> {
    // Closed first: a span that ends during the final flush is dropped and counted, not left in a queue
    // nobody flushes again.
    this.#closed = true;
    const result = await this.forceFlush();
    await shutdownSafely(this.#exporter);
    return result;
  }

  #export(): void {
    const batch = this.#queue.splice(0, this.#batch);
    const n = batch.length;
    this.#inFlight += n;
    const done = exportSafely(this.#exporter, batch, this.#o.exportTimeoutMillis).then((r) => {
      this.#inFlight -= n;
      this.#pending.delete(done);
      const acc = this.#result;
      if (r.message !== undefined) acc.message = r.message;
      if (r.status === "success") {
        // A receiver's or exporter's nonsense (NaN, negative) must not corrupt the counters.
        const rejected = r.rejected! > 0 ? Math.min(r.rejected!, n) : 0;
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

/**
 * Calls `exporter.export`, turning a throw, a rejection, a missing result or no answer within
 * `timeoutMs` into a failure result, so a stuck exporter cannot hold flush() up for ever.
 */
export function exportSafely(exporter: SpanExporter, spans: readonly ReadableSpan[], timeoutMs = 30_000): Promise<ExportResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    new Promise<ExportResult>((resolve) => resolve(exporter.export(spans)))
      // An exporter written for another API (callback style, say) may resolve with nothing.
      .then((r) => (r?.status ? r : Promise.reject("no export result"))),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject("export timed out"), timeoutMs))),
  ])
    .catch((e: unknown): ExportResult => ({ status: "failure", message: String(e) }))
    .finally(() => clearTimeout(timer));
}

/** Shuts `exporter` down, if it can be, ignoring a throw or a rejection: the flush result matters more. */
export const shutdownSafely = (exporter: SpanExporter): Promise<unknown> =>
  new Promise((resolve) => resolve(exporter.shutdown?.())).catch(() => {});
