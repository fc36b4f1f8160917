import type { Context } from "../context/context.ts";
import type { ExportResult } from "../otlp/export-result.ts";
import type { ReadableSpan } from "./span-record.ts";
import type { Span } from "./span-api.ts";

/** What a flush achieved for one processor: the export results and the spans sent and lost. */
export interface ProcessorFlushResult {
  /** success when every export succeeded (or there was nothing to send). */
  status: ExportResult["status"];
  /** Spans delivered (accepted by the receiver, less any it rejected). */
  exported: number;
  /** Spans lost since the last flush: queue overflow, failed exports, rejected by the receiver. */
  dropped: number;
  /** The last error or partial-success message, if any. */
  message?: string | undefined;
}

/**
 * Hooks for span start and end.
 * https://opentelemetry.io/docs/specs/otel/trace/sdk/#span-processor
 */
export interface SpanProcessor {
  onStart(span: Span & ReadableSpan, parentContext: Context): void;
  onEnd(span: ReadableSpan): void;
  /** Exports everything finished so far; never rejects. */
  forceFlush(): Promise<ProcessorFlushResult>;
  shutdown(): Promise<ProcessorFlushResult>;
}

const EMPTY: ProcessorFlushResult = { status: "success", exported: 0, dropped: 0 };

/** Fans calls out to several processors; flushes them concurrently so a slow one delays no other. */
export class MultiSpanProcessor implements SpanProcessor {
  readonly processors: SpanProcessor[];
  constructor(processors: SpanProcessor[]) {
    this.processors = processors;
  }
  onStart(span: Span & ReadableSpan, parentContext: Context): void {
    for (const p of this.processors) p.onStart(span, parentContext);
  }
  onEnd(span: ReadableSpan): void {
    for (const p of this.processors) p.onEnd(span);
  }
  forceFlush(): Promise<ProcessorFlushResult> {
    return Promise.all(this.processors.map((p) => p.forceFlush())).then(combineFlushResults);
  }
  shutdown(): Promise<ProcessorFlushResult> {
    return Promise.all(this.processors.map((p) => p.shutdown())).then(combineFlushResults);
  }
}

/** Adds up several flush results; the worst status wins. */
export function combineFlushResults(results: ProcessorFlushResult[]): ProcessorFlushResult {
  if (results.length === 1) return results[0]!;
  const out: ProcessorFlushResult = { ...EMPTY };
  for (const r of results) {
    out.exported += r.exported;
    out.dropped += r.dropped;
    if (r.status === "failure" || (r.status === "retryable" && out.status === "success")) out.status = r.status;
    if (r.message !== undefined) out.message = r.message;
  }
  return out;
}
