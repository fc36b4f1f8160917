import type { Context } from "../context/context.ts";
import type { Span } from "./span-api.ts";
import type { ProcessorFlushResult, SpanProcessor } from "./span-processor.ts";
import { SpanStatusCode, type ReadableSpan } from "./span-record.ts";

/** The spans of one trace that ended in this process, and its local root (the span without a local parent). */
export interface LocalTrace {
  readonly traceId: string;
  readonly localRootSpan: ReadableSpan;
  readonly spans: readonly ReadableSpan[];
}

/** Decides, when a trace's local root ends, whether its spans are exported. */
export type TailSampler = (trace: LocalTrace) => boolean;

/** The default tail sampler: keeps head-sampled traces and every trace whose local root errored. */
export const keepSampledOrErrored: TailSampler = ({ localRootSpan: root }) =>
  !!(root.spanContext().traceFlags & 1) || root.status.code === SpanStatusCode.ERROR;

// A kept span that was recorded but not head-sampled is handed on as sampled, since exporters skip unsampled spans.
const asSampled = (span: ReadableSpan): ReadableSpan => {
  const sc = span.spanContext();
  return sc.traceFlags & 1 ? span : Object.create(span, { spanContext: { value: () => ({ ...sc, traceFlags: sc.traceFlags | 1 }) } });
};

/**
 * Holds each trace's ended spans until its local root ends, asks `sampler`, and hands the kept spans to `next`.
 * Spans of a decided trace that end later follow the decision. Spans whose trace is still open at a flush stay held.
 */
export class TailSamplingProcessor implements SpanProcessor {
  readonly #next: SpanProcessor;
  readonly #sampler: TailSampler;
  readonly #open = new Map<string, ReadableSpan[]>();
  // Decisions for spans that end after their local root (say, in a waitUntil task); the newest 1024 are kept.
  readonly #decided = new Map<string, boolean>();

  constructor(next: SpanProcessor, sampler: TailSampler = keepSampledOrErrored) {
    this.#next = next;
    this.#sampler = sampler;
  }

  onStart(span: Span & ReadableSpan, parentContext: Context): void {
    this.#next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    const id = span.spanContext().traceId;
    let keep = this.#decided.get(id);
    if (keep === undefined) {
      const spans = this.#open.get(id) ?? [];
      spans.push(span);
      // The local root: no parent, or a parent from another process.
      if (span.parentSpanId && !span.parentIsRemote) {
        this.#open.set(id, spans);
        // A local root that never ends must not hold memory for ever: past 1024 open traces the oldest is
        // passed on undecided, kept rather than lost.
        if (this.#open.size > 1024) {
          const [oldest, held] = this.#open.entries().next().value!;
          this.#open.delete(oldest);
          for (const s of held) this.#next.onEnd(s);
        }
        return;
      }
      this.#open.delete(id);
      try {
        keep = !!this.#sampler({ traceId: id, localRootSpan: span, spans });
      } catch {
        keep = true; // a throwing sampler must not lose data
      }
      this.#decided.set(id, keep);
      if (this.#decided.size > 1024) this.#decided.delete(this.#decided.keys().next().value!);
      if (keep) for (const s of spans) this.#next.onEnd(asSampled(s));
    } else if (keep) this.#next.onEnd(asSampled(span));
  }

  forceFlush(): Promise<ProcessorFlushResult> {
    return this.#next.forceFlush();
  }

  shutdown(): Promise<ProcessorFlushResult> {
    return this.#next.shutdown();
  }
}
