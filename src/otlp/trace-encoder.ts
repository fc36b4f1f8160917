import type { AttributeList, InstrumentationScope, Resource } from "../common/types.ts";
import type { SpanContext } from "../trace/span-context.ts";
import type { ReadableSpan, SpanEventRecord, SpanLinkRecord } from "../trace/span-record.ts";
import { writeAttributes } from "./any-value.ts";
import { sharedWriter, type ProtoWriter } from "./proto-writer.ts";
import { msToNanosParts, type Uint64Parts } from "./time.ts";

/*
 * ExportTraceServiceRequest, written field by field in field-number order with proto3 zero values skipped,
 * which is what reference serializers emit, so the bytes are canonical.
 * https://github.com/open-telemetry/opentelemetry-proto/blob/v1.9.0/opentelemetry/proto/trace/v1/trace.proto
 * Tags are precomputed `(field << 3) | wireType`: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
 */

/** A scope that may carry attributes (scope attributes are in OTLP, though not every SDK sets them). */
export interface ScopeWithAttributes extends InstrumentationScope {
  readonly attributes?: AttributeList | undefined;
  readonly droppedAttributesCount?: number | undefined;
}

/**
 * Spans grouped by scope: `scopes[g]` is group g's scope in first-seen order, `first[g]` its first item and
 * `next[i]` the item after i in the same group (-1 ends). Reused between calls, so valid until the next grouping.
 */
export interface ScopeGroups {
  count: number;
  readonly scopes: InstrumentationScope[];
  readonly first: number[];
  readonly last: number[];
  readonly next: number[];
}

const groups: ScopeGroups = { count: 0, scopes: [], first: [], last: [], next: [] };

function sameScope(a: ScopeWithAttributes, b: ScopeWithAttributes): boolean {
  // Separate scope objects with equal identity fields are one scope on the wire; attributes compare by reference.
  return (
    a === b ||
    (a.name === b.name &&
      (a.version ?? "") === (b.version ?? "") &&
      (a.schemaUrl ?? "") === (b.schemaUrl ?? "") &&
      a.attributes === b.attributes &&
      (a.droppedAttributesCount ?? 0) === (b.droppedAttributesCount ?? 0))
  );
}

/** Groups `items` by scope into shared, reused arrays (see ScopeGroups), in one pass without per-item allocation. */
export function groupByScope(items: readonly { readonly scope: InstrumentationScope }[]): ScopeGroups {
  const { scopes, first, last, next } = groups;
  scopes.length = 0;
  let count = 0;
  let g = -1;
  for (let i = 0; i < items.length; i++) {
    const scope = items[i].scope;
    // Spans from one tracer tend to come in runs, so try the previous item's group first.
    if (g < 0 || scopes[g] !== scope) {
      g = 0;
      while (g < count && !sameScope(scopes[g], scope)) g++;
      if (g === count) {
        scopes[count++] = scope;
        first[g] = i;
        last[g] = i;
        next[i] = -1;
        continue;
      }
    }
    next[last[g]] = i;
    last[g] = i;
    next[i] = -1;
  }
  groups.count = count;
  return groups;
}

// Scratch for time conversion, so no span allocates.
const ns: Uint64Parts = { lo: 0, hi: 0 };

/** The OTLP Span/Link `flags`: W3C trace flags plus whether the (parent or linked) context's remoteness is known and true. */
function spanFlags(traceFlags: number, remote: boolean | undefined): number {
  // SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK (0x100) and SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK (0x200).
  return (traceFlags & 0xff) | 0x100 | (remote ? 0x200 : 0);
}

function writeString(w: ProtoWriter, tag: number, s: string | undefined): void {
  if (s) {
    w.uint32(tag);
    w.string(s);
  }
}

function writeCount(w: ProtoWriter, tag: number, n: number | undefined): void {
  const v = (n ?? 0) >>> 0;
  if (v !== 0) {
    w.uint32(tag);
    w.uint32(v);
  }
}

function writeTime(w: ProtoWriter, tag: number, ms: number): void {
  msToNanosParts(ms, ns);
  if ((ns.lo | ns.hi) !== 0) {
    w.uint32(tag);
    w.fixed64(ns.lo, ns.hi);
  }
}

function writeEvent(w: ProtoWriter, e: SpanEventRecord): void {
  w.uint32(90); // Span.events = 11
  const start = w.fork(1);
  writeTime(w, 9, e.time); // time_unix_nano = 1
  writeString(w, 18, e.name); // name = 2
  writeAttributes(w, 26, e.attributes); // attributes = 3
  writeCount(w, 32, e.droppedAttributesCount); // dropped_attributes_count = 4
  w.join(start, 1);
}

function writeLink(w: ProtoWriter, l: SpanLinkRecord): void {
  const sc = l.context;
  w.uint32(106); // Span.links = 13
  const start = w.fork(1);
  if (sc.traceId) {
    w.uint32(10); // trace_id = 1
    w.hexBytes(sc.traceId);
  }
  if (sc.spanId) {
    w.uint32(18); // span_id = 2
    w.hexBytes(sc.spanId);
  }
  writeString(w, 26, sc.traceState?.serialize()); // trace_state = 3
  writeAttributes(w, 34, l.attributes); // attributes = 4
  writeCount(w, 40, l.droppedAttributesCount); // dropped_attributes_count = 5
  w.uint32(53); // flags = 6
  w.fixed32(spanFlags(sc.traceFlags, sc.isRemote));
  w.join(start, 1);
}

function writeSpan(w: ProtoWriter, s: ReadableSpan): void {
  const sc: SpanContext = s.spanContext();
  w.uint32(18); // ScopeSpans.spans = 2
  // Spans usually take 128 bytes to 16 KiB, so a two-byte length is the likely one.
  const start = w.fork(2);
  if (sc.traceId) {
    w.uint32(10); // trace_id = 1
    w.hexBytes(sc.traceId);
  }
  if (sc.spanId) {
    w.uint32(18); // span_id = 2
    w.hexBytes(sc.spanId);
  }
  writeString(w, 26, sc.traceState?.serialize()); // trace_state = 3
  if (s.parentSpanId) {
    w.uint32(34); // parent_span_id = 4
    w.hexBytes(s.parentSpanId);
  }
  writeString(w, 42, s.name); // name = 5
  const kind = s.kind + 1; // OTLP's SpanKind has UNSPECIFIED = 0 in front of the API's values
  if (kind > 0) {
    w.uint32(48); // kind = 6
    w.uint32(kind);
  }
  writeTime(w, 57, s.startTime); // start_time_unix_nano = 7
  writeTime(w, 65, s.endTime); // end_time_unix_nano = 8
  writeAttributes(w, 74, s.attributes); // attributes = 9
  writeCount(w, 80, s.droppedAttributesCount); // dropped_attributes_count = 10
  const events = s.events;
  for (let i = 0; i < events.length; i++) writeEvent(w, events[i]); // events = 11
  writeCount(w, 96, s.droppedEventsCount); // dropped_events_count = 12
  const links = s.links;
  for (let i = 0; i < links.length; i++) writeLink(w, links[i]); // links = 13
  writeCount(w, 112, s.droppedLinksCount); // dropped_links_count = 14
  const status = s.status;
  // An UNSET status with no message is the default Status: leave the field out.
  if (status.code !== 0 || status.message) {
    w.uint32(122); // status = 15
    const st = w.fork(1);
    writeString(w, 18, status.message); // Status.message = 2
    if (status.code !== 0) {
      w.uint32(24); // Status.code = 3
      w.uint32(status.code);
    }
    w.join(st, 1);
  }
  w.uint32(133); // flags = 16, fixed32: the tag takes two bytes
  w.fixed32(spanFlags(sc.traceFlags, s.parentIsRemote));
  w.join(start, 2);
}

function writeScope(w: ProtoWriter, scope: ScopeWithAttributes): void {
  w.uint32(10); // ScopeSpans.scope = 1
  const start = w.fork(1);
  writeString(w, 10, scope.name); // name = 1
  writeString(w, 18, scope.version); // version = 2
  if (scope.attributes) writeAttributes(w, 26, scope.attributes); // attributes = 3
  writeCount(w, 32, scope.droppedAttributesCount); // dropped_attributes_count = 4
  w.join(start, 1);
}

/**
 * Encodes `spans` of `resource` as an OTLP ExportTraceServiceRequest (protobuf): one ResourceSpans, one
 * ScopeSpans per scope in first-seen order. The result is a fresh array the caller owns.
 */
export function encodeTraceRequest(resource: Resource, spans: readonly ReadableSpan[]): Uint8Array {
  const w = sharedWriter();
  w.uint32(10); // ExportTraceServiceRequest.resource_spans = 1
  // Batches reach megabytes; four bytes of length cover 256 MiB, so the content rarely moves.
  const rs = w.fork(4);
  w.uint32(10); // ResourceSpans.resource = 1
  const r = w.fork(2);
  writeAttributes(w, 10, resource.attributes); // Resource.attributes = 1
  writeCount(w, 16, resource.droppedAttributesCount); // Resource.dropped_attributes_count = 2
  w.join(r, 2);
  const { count, scopes, first, next } = groupByScope(spans);
  for (let g = 0; g < count; g++) {
    const scope: ScopeWithAttributes = scopes[g];
    w.uint32(18); // ResourceSpans.scope_spans = 2
    const ss = w.fork(4);
    writeScope(w, scope);
    for (let i = first[g]; i >= 0; i = next[i]) writeSpan(w, spans[i]); // ScopeSpans.spans = 2
    writeString(w, 26, scope.schemaUrl); // ScopeSpans.schema_url = 3
    w.join(ss, 4);
  }
  writeString(w, 26, resource.schemaUrl); // ResourceSpans.schema_url = 3
  w.join(rs, 4);
  return w.finish();
}
