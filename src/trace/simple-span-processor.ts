import { exportSafely, shutdownSafely } from "./batch-span-processor.ts";
import type { SpanExporter } from "./span-exporter.ts";
import type { ProcessorFlushResult, SpanProcessor } from "./span-processor.ts";
import type { ReadableSpan } from "./span-record.ts";

/** Exports each sampled span as soon as it ends. For tests and debugging, not production. */
export class SimpleSpanProcessor implements SpanProcessor {
  readonly #exporter: SpanExporter;
  readonly #pending = new Set<Promise<void>>();
  #result: ProcessorFlushResult = { status: "success", exported: 0, dropped: 0 };

  constructor(exporter: SpanExporter) {
    this.#exporter = exporter;
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & 1) === 0) return;
    const done = exportSafely(this.#exporter, [span]).then((r) => {
      this.#pending.delete(done);
      if (r.status === "success") this.#result.exported++;
      else {
        this.#result.dropped++;
        this.#result.status = r.status;
        this.#result.message = r.message;
      }
    });
    this.#pending.add(done);
  }

  async forceFlush(): Promise<ProcessorFlushResult> {
    // Only the exports under way now: spans that keep ending must not hold this flush up for ever.
    await Promise.all(this.#pending);
    const result = this.#result;
    this.#result = { status: "success", exported: 0, dropped: 0 };
    return result;
  }

  async shutdown(): Promise<ProcessorFlushResult> {
    const r = await this.forceFlush();
    await shutdownSafely(this.#exporter);
    return r;
  }
}
