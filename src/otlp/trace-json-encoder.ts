import type { Resource } from "../common/types.ts";
import type { ReadableSpan, SpanEventRecord, SpanLinkRecord } from "../trace/span-record.ts";
import { jsonAttributesField, jsonCountField, jsonStringField } from "./json-writer.ts";
import { msToNanosString } from "./time.ts";
import { groupByScope, type ScopeWithAttributes } from "./trace-encoder.ts";

/*
 * ExportTraceServiceRequest as OTLP/JSON: the same fields and zero-value rules as the protobuf encoder, with
 * ids as lowercase hex, fixed64 times as decimal strings and enums as integers.
 * https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
 * Each object is built as `,"field":value` pieces. Spans and links start with `flags`, which is always
 * present, so their (long) bodies never need the leading comma cut, which would copy them.
 */

// Closes a small object whose fields may all be absent, cutting the first field's leading comma.
function object(fields: string): string {
  return "{" + fields.slice(1) + "}";
}

function timeField(name: string, ms: number): string {
  const v = msToNanosString(ms);
  return v !== "0" ? ',"' + name + '":"' + v + '"' : "";
}

function idField(name: string, hex: string | undefined): string {
  // OTLP/JSON ids are hex, not proto3's base64; the protobuf form writes the same bytes.
  return hex ? ',"' + name + '":"' + hex.toLowerCase() + '"' : "";
}

/** `{"flags":n`: the opening of a span or link object. */
function openWithFlags(traceFlags: number, remote: boolean | undefined): string {
  // SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK (0x100) and SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK (0x200).
  return '{"flags":' + ((traceFlags & 0xff) | 0x100 | (remote ? 0x200 : 0));
}

function eventJson(e: SpanEventRecord): string {
  return object(
    timeField("timeUnixNano", e.time) +
      jsonStringField("name", e.name) +
      jsonAttributesField("attributes", e.attributes) +
      jsonCountField("droppedAttributesCount", e.droppedAttributesCount),
  );
}

function linkJson(l: SpanLinkRecord): string {
  const sc = l.context;
  return (
    openWithFlags(sc.traceFlags, sc.isRemote) +
    idField("traceId", sc.traceId) +
    idField("spanId", sc.spanId) +
    jsonStringField("traceState", sc.traceState?.serialize()) +
    jsonAttributesField("attributes", l.attributes) +
    jsonCountField("droppedAttributesCount", l.droppedAttributesCount) +
    "}"
  );
}

function spanJson(s: ReadableSpan): string {
  const sc = s.spanContext();
  let out =
    openWithFlags(sc.traceFlags, s.parentIsRemote) +
    idField("traceId", sc.traceId) +
    idField("spanId", sc.spanId) +
    jsonStringField("traceState", sc.traceState?.serialize()) +
    idField("parentSpanId", s.parentSpanId) +
    jsonStringField("name", s.name);
  const kind = s.kind + 1; // OTLP's SpanKind has UNSPECIFIED = 0 in front of the API's values
  if (kind > 0) out += ',"kind":' + kind;
  out +=
    timeField("startTimeUnixNano", s.startTime) +
    timeField("endTimeUnixNano", s.endTime) +
    jsonAttributesField("attributes", s.attributes) +
    jsonCountField("droppedAttributesCount", s.droppedAttributesCount);
  const events = s.events;
  if (events.length > 0) {
    out += ',"events":[';
    for (let i = 0; i < events.length; i++) out += (i ? "," : "") + eventJson(events[i]);
    out += "]";
  }
  out += jsonCountField("droppedEventsCount", s.droppedEventsCount);
  const links = s.links;
  if (links.length > 0) {
    out += ',"links":[';
    for (let i = 0; i < links.length; i++) out += (i ? "," : "") + linkJson(links[i]);
    out += "]";
  }
  out += jsonCountField("droppedLinksCount", s.droppedLinksCount);
  const status = s.status;
  // An UNSET status with no message is the default Status: leave the field out.
  if (status.code !== 0 || status.message) {
    out +=
      ',"status":' +
      object(jsonStringField("message", status.message) + (status.code !== 0 ? ',"code":' + status.code : ""));
  }
  return out + "}";
}

/** Encodes `spans` of `resource` as an OTLP/JSON ExportTraceServiceRequest, grouped by scope like the protobuf form. */
export function encodeTraceRequestJson(resource: Resource, spans: readonly ReadableSpan[]): string {
  let out =
    '{"resourceSpans":[{"resource":' +
    object(
      jsonAttributesField("attributes", resource.attributes) +
        jsonCountField("droppedAttributesCount", resource.droppedAttributesCount),
    );
  const { count, scopes, first, next } = groupByScope(spans);
  if (count > 0) {
    out += ',"scopeSpans":[';
    for (let g = 0; g < count; g++) {
      const scope: ScopeWithAttributes = scopes[g];
      out +=
        (g ? "," : "") +
        '{"scope":' +
        object(
          jsonStringField("name", scope.name) +
            jsonStringField("version", scope.version) +
            jsonAttributesField("attributes", scope.attributes) +
            jsonCountField("droppedAttributesCount", scope.droppedAttributesCount),
        ) +
        ',"spans":[';
      for (let i = first[g]; i >= 0; i = next[i]) out += (i !== first[g] ? "," : "") + spanJson(spans[i]);
      out += "]" + jsonStringField("schemaUrl", scope.schemaUrl) + "}";
    }
    out += "]";
  }
  return out + jsonStringField("schemaUrl", resource.schemaUrl) + "}]}";
}
