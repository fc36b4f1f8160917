import type { Resource } from "../common/types.ts";
import type { SpanContext } from "../trace/span-context.ts";
import type { ReadableSpan, SpanEventRecord, SpanLinkRecord } from "../trace/span-record.ts";
import { attributeFields, countField, encodeRequest, idField, stringField, timeField } from "./common-encoder.ts";
import * as w from "./proto-writer.ts";

/*
 * ExportTraceServiceRequest, written field by field in field-number order with proto3 zero values skipped,
 * which is what reference serializers emit, so the bytes are canonical.
 * https://github.com/open-telemetry/opentelemetry-proto/blob/v1.9.0/opentelemetry/proto/trace/v1/trace.proto
 * Tags are precomputed `(field << 3) | wireType`: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
 */

export type { ScopeWithAttributes } from "./common-encoder.ts";

// The Span/Link `flags`: W3C trace flags, plus SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK (0x100) and
// SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK (0x200) for the parent's or linked context's remoteness.
function flagsField(tag: number, traceFlags: number, remote: boolean | undefined): void {
  w.varint(tag);
  w.fixed32((traceFlags & 0xff) | 0x100 | (remote ? 0x200 : 0));
}

function writeEvent(e: SpanEventRecord): void {
  const start = w.fork(90); // Span.events = 11
  timeField(9, e.time); // time_unix_nano = 1
  stringField(18, e.name); // name = 2
  attributeFields(26, e); // attributes = 3, dropped_attributes_count = 4
  w.join(start);
}

// Fields 1-3 of Span and Link: trace_id, span_id, trace_state.
function contextFields(sc: SpanContext): void {
  idField(10, sc.traceId);
  idField(18, sc.spanId);
  stringField(26, sc.traceState?.serialize());
}

function writeLink(l: SpanLinkRecord): void {
  const sc = l.context;
  const start = w.fork(106); // Span.links = 13
  contextFields(sc);
  attributeFields(34, l); // attributes = 4, dropped_attributes_count = 5
  flagsField(53, sc.traceFlags, sc.isRemote); // flags = 6
  w.join(start);
}

function writeSpan(s: ReadableSpan): void {
  const sc = s.spanContext();
  // ScopeSpans.spans = 2. Spans usually take 128 bytes to 16 KiB, so a two-byte length is the likely one.
  const start = w.fork(18, 2);
  contextFields(sc);
  idField(34, s.parentSpanId); // parent_span_id = 4
  stringField(42, s.name); // name = 5
  countField(48, s.kind + 1); // kind = 6: OTLP's SpanKind has UNSPECIFIED = 0 before the API's values
  timeField(57, s.startTime); // start_time_unix_nano = 7
  timeField(65, s.endTime); // end_time_unix_nano = 8
  attributeFields(74, s); // attributes = 9, dropped_attributes_count = 10
  for (let i = 0; i < s.events.length; i++) writeEvent(s.events[i]); // events = 11
  countField(96, s.droppedEventsCount); // dropped_events_count = 12
  for (let i = 0; i < s.links.length; i++) writeLink(s.links[i]); // links = 13
  countField(112, s.droppedLinksCount); // dropped_links_count = 14
  const { code, message } = s.status;
  // An UNSET status with no message is the default Status: leave the field out.
  if (code || message) {
    const st = w.fork(122); // status = 15
    stringField(18, message); // Status.message = 2
    countField(24, code); // Status.code = 3
    w.join(st);
  }
  flagsField(133, sc.traceFlags, s.parentIsRemote); // flags = 16, fixed32: the tag takes two bytes
  w.join(start, 2);
}

/**
 * Encodes `spans` of `resource` as an OTLP ExportTraceServiceRequest (protobuf): one ResourceSpans, one
 * ScopeSpans per scope in first-seen order. The result is an array the caller owns; no objects are
 * allocated per span.
 */
export function encodeTraceRequest(resource: Resource, spans: readonly ReadableSpan[]): Uint8Array {
  return encodeRequest(resource, spans, writeSpan);
}
