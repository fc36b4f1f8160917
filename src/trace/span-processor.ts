import type { Context } from "../context/context.ts";
import { MultiProcessor, type FlushableProcessor } from "../common/multi-processor.ts";
import type { ReadableSpan } from "./span-record.ts";
import type { Span } from "./span-api.ts";

export { combineFlushResults } from "../common/multi-processor.ts";
export type { ProcessorFlushResult } from "../common/multi-processor.ts";

/**
 * Hooks for span start and end.
 * https://opentelemetry.io/docs/specs/otel/trace/sdk/#span-processor
 */
export interface SpanProcessor extends FlushableProcessor {
  onStart(span: Span & ReadableSpan, parentContext: Context): void;
  onEnd(span: ReadableSpan): void;
}

/** Fans calls out to several processors; flushes them concurrently so a slow one delays no other. */
export class MultiSpanProcessor extends MultiProcessor<SpanProcessor> implements SpanProcessor {
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
}
