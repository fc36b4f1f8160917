import { randomSpanId, randomTraceId } from "../common/ids.ts";
import type { InstrumentationScope } from "../common/types.ts";
import type { Context } from "../context/context.ts";
import type { ContextManager } from "../context/context-manager.ts";
import { NonRecordingSpan } from "./non-recording-span.ts";
import { SamplingDecision, type Sampler, type SamplingResult } from "./sampler.ts";
import type { Link, Span, SpanOptions } from "./span-api.ts";
import { INVALID_SPAN_CONTEXT, deleteSpan, getSpanContext, isSpanContextValid, setSpan, type SpanContext } from "./span-context.ts";
import { SpanKind } from "./span-record.ts";
import { RecordingSpan, type SpanSharedState } from "./span.ts";

/**
 * Creates spans, with the methods of `@opentelemetry/api`'s Tracer.
 * https://opentelemetry.io/docs/specs/otel/trace/api/#tracer
 */
export interface Tracer {
  /** Starts a span; its parent is the span in `context`, or in the active context. */
  startSpan(name: string, options?: SpanOptions, context?: Context): Span;
  /** Starts a span, makes it active while `fn` runs, and returns what `fn` returns. It does not end the span. */
  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, context: Context, fn: F): ReturnType<F>;
}

/** What a tracer needs from its telemetry. */
export interface TracerState extends SpanSharedState {
  readonly sampler: Sampler;
  readonly contextManager: ContextManager;
  /** False while the SDK is disabled: spans are non-recording but contexts still propagate. */
  readonly enabled: boolean;
}

const DROP: SamplingResult = { decision: SamplingDecision.NOT_RECORD };
const NO_LINKS: Link[] = [];
const KINDS: unknown[] = /*#__PURE__*/ Object.values(SpanKind);

/** The SDK's Tracer: samples, then creates a RecordingSpan or a NonRecordingSpan. */
export class SdkTracer implements Tracer {
  readonly #state: TracerState;
  readonly #scope: InstrumentationScope;

  constructor(state: TracerState, scope: InstrumentationScope) {
    this.#state = state;
    this.#scope = scope;
  }

  startSpan(name: string, options?: SpanOptions, context?: Context): Span {
    const state = this.#state;
    let ctx = context ?? state.contextManager.active();
    let parent: SpanContext | undefined = options?.root ? undefined : getSpanContext(ctx);
    if (parent !== undefined && !isSpanContextValid(parent)) parent = undefined;
    // Disabled, the SDK is a no-op: the parent's context passes through unchanged (sampled flag included), and
    // a root gets the invalid context, which propagates nothing, so downstream services sample for themselves.
    // https://opentelemetry.io/docs/specs/otel/trace/api/#behavior-of-the-api-in-the-absence-of-an-installed-sdk
    if (!state.enabled) return new NonRecordingSpan(parent ?? INVALID_SPAN_CONTEXT);
    const traceId = parent === undefined ? randomTraceId() : parent.traceId;
    const spanId = randomSpanId();
    // An unknown kind would be written as is and could make the whole export request invalid.
    const kind = KINDS.includes(options?.kind!) ? options!.kind! : SpanKind.INTERNAL;
    const attributes = options?.attributes;
    const links = Array.isArray(options?.links) ? options.links : undefined;
    if (options?.root) ctx = deleteSpan(ctx);
    let result: SamplingResult;
    try {
      result = state.sampler.shouldSample(ctx, traceId, name, kind, attributes, links ?? NO_LINKS) ?? DROP;
    } catch (e) {
      // A user sampler must not break the code being traced: its span is simply not recorded.
      state.diag.warn(`sampler threw: ${String(e)}`);
      result = DROP;
    }
    const traceState = result.traceState ?? parent?.traceState;
    if (result.decision === SamplingDecision.NOT_RECORD) {
      return new NonRecordingSpan({ traceId, spanId, traceFlags: 0, traceState });
    }
    const sc: SpanContext = {
      traceId,
      spanId,
      traceFlags: result.decision === SamplingDecision.RECORD_AND_SAMPLED ? 1 : 0,
      traceState,
      isRemote: false,
    };
    const span = new RecordingSpan(
      state,
      this.#scope,
      sc,
      String(name),
      kind,
      parent?.spanId,
      parent?.isRemote === true,
      options?.startTime,
    );
    if (attributes !== undefined) span.setAttributes(attributes);
    if (result.attributes !== undefined) span.setAttributes(result.attributes);
    if (links !== undefined) span.addLinks(links);
    state.processor.onStart(span, ctx);
    return span;
  }

  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    a: SpanOptions | F,
    b?: Context | F,
    c?: F,
  ): ReturnType<F> {
    let options: SpanOptions | undefined;
    let ctx: Context | undefined;
    let fn: F;
    if (typeof a === "function") fn = a;
    else if (typeof b === "function") {
      options = a;
      fn = b;
    } else {
      options = a;
      ctx = b;
      fn = c!;
    }
    const parent = ctx ?? this.#state.contextManager.active();
    const span = this.startSpan(name, options, parent);
    return this.#state.contextManager.with(setSpan(parent, span), fn as (span: Span) => ReturnType<F>, undefined, span);
  }
}
