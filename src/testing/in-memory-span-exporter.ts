import type { ReadableSpan } from "../trace/span-record.ts";
import { InMemoryExporter } from "./in-memory-exporter.ts";

/** Keeps exported spans in memory, for tests. Pair it with a SimpleSpanProcessor or a BatchSpanProcessor. */
export class InMemorySpanExporter extends InMemoryExporter<ReadableSpan> {
  /** The spans exported so far, in the order they ended. */
  getFinishedSpans(): ReadableSpan[] {
    return this.getExported();
  }
}
