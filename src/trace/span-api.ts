import type { AttributeValue, Attributes, TimeInput } from "../common/types.ts";
import type { SpanContext } from "./span-context.ts";
import type { SpanKind, SpanStatus } from "./span-record.ts";

/** A link to another span, as users give it. */
export interface Link {
  context: SpanContext;
  attributes?: Attributes | undefined;
  droppedAttributesCount?: number | undefined;
}

/** What `recordException` takes: an Error, something Error-shaped, or a message. */
export type Exception = string | { name?: string; message?: string; stack?: string; code?: string | number };

/**
 * A span, with the methods and semantics of `@opentelemetry/api`.
 * https://opentelemetry.io/docs/specs/otel/trace/api/#span
 */
export interface Span {
  spanContext(): SpanContext;
  setAttribute(key: string, value: AttributeValue | undefined): this;
  setAttributes(attributes: Attributes): this;
  addEvent(name: string, attributesOrStartTime?: Attributes | TimeInput, startTime?: TimeInput): this;
  addLink(link: Link): this;
  addLinks(links: Link[]): this;
  setStatus(status: SpanStatus): this;
  updateName(name: string): this;
  end(endTime?: TimeInput): void;
  isRecording(): boolean;
  recordException(exception: Exception, time?: TimeInput): void;
}

/** Options for starting a span. */
export interface SpanOptions {
  kind?: SpanKind | undefined;
  attributes?: Attributes | undefined;
  links?: Link[] | undefined;
  startTime?: TimeInput | undefined;
  /** Start a new trace, ignoring any parent in the context. */
  root?: boolean | undefined;
}
