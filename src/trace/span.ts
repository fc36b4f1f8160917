import { addAttributes, setAttribute, type AttributeLimits } from "../common/attributes.ts";
import { now, toEpochMs } from "../common/clock.ts";
import type { AttributeList, AttributeValue, Attributes, DiagLogger, InstrumentationScope, TimeInput } from "../common/types.ts";
import type { SpanLimits } from "../config/span-limits.ts";
import type { Exception, Link, Span } from "./span-api.ts";
import type { SpanContext } from "./span-context.ts";
import type { SpanProcessor } from "./span-processor.ts";
import {
  SpanStatusCode,
  type ReadableSpan,
  type SpanEventRecord,
  type SpanKind,
  type SpanLinkRecord,
  type SpanStatus,
} from "./span-record.ts";

/** What every span of one telemetry shares: limits, the processor chain, diagnostics. */
export interface SpanSharedState {
  readonly limits: SpanLimits;
  /** The limits for span, event and link attributes, derived once from `limits`. */
  readonly spanAttributeLimits: AttributeLimits;
  readonly eventAttributeLimits: AttributeLimits;
  readonly linkAttributeLimits: AttributeLimits;
  readonly processor: SpanProcessor;
  readonly diag: DiagLogger;
}

const UNSET: SpanStatus = { code: SpanStatusCode.UNSET };
// Spans without events or links share these empty lists; the first add replaces them.
const NONE: never[] = [];

/**
 * A recording span. The object is the record itself: processors and exporters read its fields, so
 * starting, annotating and ending a span allocates nothing beyond what it stores.
 */
export class RecordingSpan implements Span, ReadableSpan {
  name: string;
  readonly kind: SpanKind;
  readonly parentSpanId: string | undefined;
  readonly parentIsRemote: boolean;
  readonly startTime: number;
  endTime = 0;
  readonly attributes: AttributeList = [];
  droppedAttributesCount = 0;
  events: SpanEventRecord[] = NONE;
  droppedEventsCount = 0;
  links: SpanLinkRecord[] = NONE;
  droppedLinksCount = 0;
  status: SpanStatus = UNSET;
  readonly scope: InstrumentationScope;
  readonly #sc: SpanContext;
  readonly #shared: SpanSharedState;

  constructor(
    shared: SpanSharedState,
    scope: InstrumentationScope,
    sc: SpanContext,
    name: string,
    kind: SpanKind,
    parentSpanId: string | undefined,
    parentIsRemote: boolean,
    startTime: TimeInput | undefined,
  ) {
    this.#shared = shared;
    this.scope = scope;
    this.#sc = sc;
    this.name = name;
    this.kind = kind;
    this.parentSpanId = parentSpanId;
    this.parentIsRemote = parentIsRemote;
    this.startTime = startTime === undefined ? now() : toEpochMs(startTime);
  }

  spanContext(): SpanContext {
    return this.#sc;
  }

  isRecording(): boolean {
    return this.endTime === 0;
  }

  setAttribute(key: string, value: AttributeValue | undefined): this {
    if (this.#writable()) {
      this.droppedAttributesCount += setAttribute(this.attributes, key, value, this.#shared.spanAttributeLimits, this.#shared.diag);
    }
    return this;
  }

  setAttributes(attributes: Attributes): this {
    if (this.#writable() && attributes != null) {
      this.droppedAttributesCount += addAttributes(this.attributes, attributes, this.#shared.spanAttributeLimits, this.#shared.diag);
    }
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (!this.#writable()) return this;
    if (this.events.length >= this.#shared.limits.eventCountLimit) {
      this.droppedEventsCount++;
      return this;
    }
    let attributes: Attributes | undefined;
    if (isTimeInput(attributesOrTime)) time = attributesOrTime;
    else attributes = attributesOrTime;
    const list: AttributeList = [];
    const dropped =
      attributes === undefined
        ? 0
        : addAttributes(list, attributes, this.#shared.eventAttributeLimits, this.#shared.diag);
    const event = { name: String(name), time: time === undefined ? now() : toEpochMs(time), attributes: list, droppedAttributesCount: dropped };
    // A literal holds exactly one event; push onto [] would reserve room for 17.
    if (this.events === NONE) this.events = [event];
    else this.events.push(event);
    return this;
  }

  addLink(link: Link): this {
    if (this.#writable()) addLink(this, link, this.#shared);
    return this;
  }

  addLinks(links: Link[]): this {
    if (this.#writable() && Array.isArray(links)) for (const link of links) addLink(this, link, this.#shared);
    return this;
  }

  setStatus(status: SpanStatus): this {
    // OK is final, and UNSET never overrides; a description only goes with ERROR.
    // https://opentelemetry.io/docs/specs/otel/trace/api/#set-status
    if (!this.#writable() || status == null || this.status.code === SpanStatusCode.OK) return this;
    if (status.code === SpanStatusCode.ERROR) {
      this.status = { code: SpanStatusCode.ERROR, message: typeof status.message === "string" ? status.message : "" };
    } else if (status.code === SpanStatusCode.OK) {
      this.status = { code: SpanStatusCode.OK };
    }
    return this;
  }

  updateName(name: string): this {
    if (this.#writable()) this.name = String(name);
    return this;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    if (!this.#writable() || exception == null) return;
    // https://opentelemetry.io/docs/specs/semconv/exceptions/exceptions-spans/
    const attributes: Attributes = {};
    if (typeof exception === "string") {
      attributes["exception.message"] = exception;
    } else {
      const type = exception.name || (exception.code !== undefined ? String(exception.code) : "");
      if (type) attributes["exception.type"] = String(type);
      if (exception.message) attributes["exception.message"] = String(exception.message);
      if (exception.stack) attributes["exception.stacktrace"] = String(exception.stack);
    }
    this.addEvent("exception", attributes, time);
  }

  end(endTime?: TimeInput): void {
    if (this.endTime !== 0) {
      this.#shared.diag.warn(`span "${this.name}" ended twice`);
      return;
    }
    let end = endTime === undefined ? now() : toEpochMs(endTime);
    // A clock step or a user time before the start would give a negative duration.
    if (end < this.startTime) end = this.startTime;
    this.endTime = end;
    this.#shared.processor.onEnd(this);
  }

  #writable(): boolean {
    if (this.endTime === 0) return true;
    this.#shared.diag.warn(`span "${this.name}" changed after end: ignored`);
    return false;
  }
}

function addLink(span: RecordingSpan, link: Link, shared: SpanSharedState): void {
  if (link == null || link.context == null) return;
  if (span.links.length >= shared.limits.linkCountLimit) {
    span.droppedLinksCount++;
    return;
  }
  const list: AttributeList = [];
  // The user's count, as a non-negative integer: a negative one would be written as a malformed varint that
  // makes the receiver reject the whole request.
  let dropped = Math.max(0, link.droppedAttributesCount! | 0);
  if (link.attributes !== undefined) {
    dropped += addAttributes(list, link.attributes, shared.linkAttributeLimits, shared.diag);
  }
  // A tracestate given as a header string (not a TraceState) would break encoding of the whole batch.
  let context = link.context;
  if (context.traceState !== undefined && typeof context.traceState.serialize !== "function") context = { ...context, traceState: undefined };
  if (span.links === NONE) span.links = [];
  span.links.push({ context, attributes: list, droppedAttributesCount: dropped });
}

function isTimeInput(v: unknown): v is TimeInput {
  return typeof v === "number" || v instanceof Date || Array.isArray(v);
}
