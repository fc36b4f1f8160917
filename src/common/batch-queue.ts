import type { ExportResult } from "../otlp/export-result.ts";
import { createStats, type TelemetryStats } from "../trace/telemetry-stats.ts";
import type { FlushableProcessor, ProcessorFlushResult } from "./multi-processor.ts";
import type { DiagLogger } from "./types.ts";

/** Sends finished items (spans, log records) somewhere. `export` never rejects. */
export interface Exporter<T> {
  export(items: readonly T[]): Promise<ExportResult>;
  shutdown?(): Promise<void>;
}

/** Options of a batch processor (OTEL_BSP_* for spans, OTEL_BLRP_* for log records). */
export interface BatchOptions {
  /** Items held at most, queued and in flight together; more are dropped and counted. Default 2048. */
  maxQueueSize?: number | undefined;
  /** Items per export request. Default 512. */
  maxExportBatchSize?: number | undefined;
  /**
   * Long-lived servers only: also export this many ms after the first item of a batch arrives. Unset by
   * default, because edge runtimes and Lambda forbid or freeze timers; flush() is the way out there.
   */
  scheduledDelayMillis?: number | undefined;
  diag?: DiagLogger | undefined;
  /** An export that has not settled after this many ms counts as failed (OTEL_*_EXPORT_TIMEOUT). Default 30 000. */
  exportTimeoutMillis?: number | undefined;
  /** Counters to add to; the telemetry passes its own. */
  stats?: TelemetryStats | undefined;
}

/** The signal a queue counts for: it names the `exported<Kind>` and `dropped<Kind>` stats counters. */
export type BatchKind = "Spans" | "LogRecords";

const fresh = (): ProcessorFlushResult => ({ status: "success", exported: 0, dropped: 0 });

/**
 * The batching core of every signal's batch processor: queues items and exports them in batches, when a
 * batch fills, on forceFlush(), and on shutdown(). The queue is bounded; past the bound items are dropped
 * and counted. https://opentelemetry.io/docs/specs/otel/trace/sdk/#batching-processor
 * https://opentelemetry.io/docs/specs/otel/logs/sdk/#batching-processor
 */
export class BatchQueue<T> implements FlushableProcessor {
  readonly #exporter: Exporter<T>;
  readonly #max: number;
  readonly #batch: number;
  readonly #o: BatchOptions;
  readonly #stats: Record<string, number>;
  readonly #kind: BatchKind;
  #queue: T[] = [];
  #inFlight = 0;
  readonly #pending = new Set<Promise<void>>();
  #result = fresh();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  #warned = false;

  constructor(exporter: Exporter<T>, options: BatchOptions = {}, kind: BatchKind = "Spans") {
    this.#exporter = exporter;
    this.#o = options;
    this.#kind = kind;
    // A NaN size (from unchecked input) would make every comparison false: an unbounded queue, never exported.
    const max = (this.#max = options.maxQueueSize! >= 1 ? options.maxQueueSize! : 2048);
    this.#batch = Math.min(options.maxExportBatchSize! >= 1 ? options.maxExportBatchSize! : 512, max);
    this.#stats = (options.stats ?? createStats()) as unknown as Record<string, number>;
  }

  /** Queues `item`, or drops and counts it when the queue is full or shut down. */
  add(item: T): void {
    if (this.#closed || this.#queue.length + this.#inFlight >= this.#max) {
      this.#drop(1);
      // Once per flush cycle: a user's diag logger may not deduplicate.
      if (!this.#warned) this.#o.diag?.warn(`${this.#kind} ${this.#closed ? "after shutdown: dropped" : `queue full (${this.#max}): dropping`}`);
      this.#warned = true;
      return;
    }
    const delay = this.#o.scheduledDelayMillis;
    if (this.#queue.push(item) >= this.#batch) this.#export();
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
    // Only the exports under way now, which hold every item queued so far: items that keep arriving during
    // the wait must not hold this flush up for ever. Later exports are reported by the next flush.
    await Promise.all(this.#pending);
    const result = this.#result;
    this.#result = fresh();
    this.#warned = false;
    return result;
  }

  async shutdown(): Promise<ProcessorFlushResult> {
    // Closed first: an item that arrives during the final flush is dropped and counted, not left in a
    // queue nobody flushes again.
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
        this.#count("exported", n - rejected);
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
    this.#count("dropped", count);
  }

  // A signal's counters appear on first use, so the stats of a telemetry without that signal stay as they were.
  #count(what: string, n: number): void {
    const key = what + this.#kind;
    this.#stats[key] = (this.#stats[key] ?? 0) + n;
  }
}

/**
 * Calls `exporter.export`, turning a throw, a rejection, a missing result or no answer within
 * `timeoutMs` into a failure result, so a stuck exporter cannot hold flush() up for ever.
 */
export function exportSafely<T>(exporter: Exporter<T>, items: readonly T[], timeoutMs = 30_000): Promise<ExportResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    new Promise<ExportResult>((resolve) => resolve(exporter.export(items)))
      // An exporter written for another API (callback style, say) may resolve with nothing.
      .then((r) => (r?.status ? r : Promise.reject("no export result"))),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject("export timed out"), timeoutMs))),
  ])
    .catch((e: unknown): ExportResult => ({ status: "failure", message: String(e) }))
    .finally(() => clearTimeout(timer));
}

/** Shuts `exporter` down, if it can be, ignoring a throw or a rejection: the flush result matters more. */
export const shutdownSafely = (exporter: Exporter<unknown>): Promise<unknown> =>
  new Promise((resolve) => resolve(exporter.shutdown?.())).catch(() => {});
