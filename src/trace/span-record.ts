import type { AttributeList, InstrumentationScope } from "../common/types.ts";
import type { SpanContext } from "./span-context.ts";

/**
 * SpanKind, with the numeric values of `@opentelemetry/api` (the OTLP enum is this plus one).
 * https://opentelemetry.io/docs/specs/otel/trace/api/#spankind
 */
export const SpanKind = { INTERNAL: 0, SERVER: 1, CLIENT: 2, PRODUCER: 3, CONSUMER: 4 } as const;
/** One of the SpanKind values. */
export type SpanKind = (typeof SpanKind)[keyof typeof SpanKind];

/** Span status codes, with the numeric values of `@opentelemetry/api` and OTLP. */
export const SpanStatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
/** One of the SpanStatusCode values. */
export type SpanStatusCode = (typeof SpanStatusCode)[keyof typeof SpanStatusCode];

/** A span's status. */
export interface SpanStatus {
  code: SpanStatusCode;
  message?: string | undefined;
}

/** A finished (or in-flight) event of a span. Times are epoch milliseconds with a fraction. */
export interface SpanEventRecord {
  readonly name: string;
  readonly time: number;
  readonly attributes: AttributeList;
  readonly droppedAttributesCount: number;
}

/** A link from a span to another span context. */
export interface SpanLinkRecord {
  readonly context: SpanContext;
  readonly attributes: AttributeList;
  readonly droppedAttributesCount: number;
}

/**
 * What processors and exporters see of a span: the record itself, flat and compact.
 * Ids are lowercase hex; times are epoch milliseconds with a sub-millisecond fraction.
 */
export interface ReadableSpan {
  readonly name: string;
  readonly kind: SpanKind;
  /** The span's own context: trace id, span id, flags, tracestate. */
  spanContext(): SpanContext;
  /** The parent's span id, or undefined for a root span. */
  readonly parentSpanId: string | undefined;
  /** True when the parent came from another process (extracted). */
  readonly parentIsRemote: boolean;
  readonly startTime: number;
  /** 0 until the span ends. */
  readonly endTime: number;
  readonly attributes: AttributeList;
  readonly droppedAttributesCount: number;
  readonly events: readonly SpanEventRecord[];
  readonly droppedEventsCount: number;
  readonly links: readonly SpanLinkRecord[];
  readonly droppedLinksCount: number;
  readonly status: SpanStatus;
  readonly scope: InstrumentationScope;
}
