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
  // A user processor that throws must neither reach the code that started or ended the span nor keep the
  // others from seeing it.
  onStart(span: Span & ReadableSpan, parentContext: Context): void {
    for (const p of this.processors)
      try {
        p.onStart(span, parentContext);
      } catch {}
  }
  onEnd(span: ReadableSpan): void {
    for (const p of this.processors)
      try {
        p.onEnd(span);
      } catch {}
  }
  forceFlush(): Promise<ProcessorFlushResult> {
    return Promise.all(this.processors.map((p) => settle(() => p.forceFlush()))).then(combineFlushResults);
  }
  shutdown(): Promise<ProcessorFlushResult> {
    return Promise.all(this.processors.map((p) => settle(() => p.shutdown()))).then(combineFlushResults);
  }
}

/** `run()`'s result, with a throw or a rejection turned into a failure, so one processor loses no other's result. */
const settle = (run: () => Promise<ProcessorFlushResult>): Promise<ProcessorFlushResult> =>
  new Promise<ProcessorFlushResult>((resolve) => resolve(run())).catch((e: unknown) => ({ ...EMPTY, status: "failure", message: String(e) }));

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
