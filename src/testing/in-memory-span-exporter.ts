import type { ExportResult } from "../otlp/export-result.ts";
import type { SpanExporter } from "../trace/span-exporter.ts";
import type { ReadableSpan } from "../trace/span-record.ts";

/** Keeps exported spans in memory, for tests. Pair it with a SimpleSpanProcessor or a BatchSpanProcessor. */
export class InMemorySpanExporter implements SpanExporter {
  #spans: ReadableSpan[] = [];
  #stopped = false;

  export(spans: readonly ReadableSpan[]): Promise<ExportResult> {
    if (this.#stopped) return Promise.resolve({ status: "failure", message: "exporter is shut down" });
    for (const s of spans) this.#spans.push(s);
    return Promise.resolve({ status: "success" });
  }

  /** The spans exported so far, in the order they ended. */
  getFinishedSpans(): ReadableSpan[] {
    return this.#spans.slice();
  }

  /** Forgets the spans exported so far. */
  reset(): void {
    this.#spans = [];
  }

  shutdown(): Promise<void> {
    this.#stopped = true;
    return Promise.resolve();
  }
}
