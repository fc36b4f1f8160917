import type { Resource } from "../common/types.ts";
import type { SpanContext } from "../trace/span-context.ts";
import type { ReadableSpan, SpanEventRecord, SpanLinkRecord } from "../trace/span-record.ts";
import * as j from "./json-writer.ts";

/*
 * ExportTraceServiceRequest as OTLP/JSON (see json-writer.ts), with the fields and defaults of the protobuf
 * form (trace-encoder.ts), in field-number order. The trace.proto messages:
 * https://github.com/open-telemetry/opentelemetry-proto/blob/v1.9.0/opentelemetry/proto/trace/v1/trace.proto
 */

// Span and Link: trace_id, span_id, trace_state, then `more`, then flags as trace-encoder.ts writes them.
function withContext(sc: SpanContext, remote: boolean | undefined, more: () => void): void {
  j.open("{");
  j.field("traceId", sc.traceId);
  j.field("spanId", sc.spanId);
  j.field("traceState", sc.traceState?.serialize());
  more();
  j.field("flags", (sc.traceFlags & 0xff) | 0x100 | (remote ? 0x200 : 0));
  j.close("}");
}

function writeEvent(e: SpanEventRecord): void {
  j.open("{");
  j.timeField("timeUnixNano", e.time);
  j.field("name", e.name);
  j.attributeFields(e);
  j.close("}");
}

const writeLink = (l: SpanLinkRecord): void => withContext(l.context, l.context.isRemote, () => j.attributeFields(l));

function writeSpan(s: ReadableSpan): void {
  withContext(s.spanContext(), s.parentIsRemote, () => {
    j.field("parentSpanId", s.parentSpanId);
    j.field("name", s.name);
    j.field("kind", s.kind + 1);
    j.timeField("startTimeUnixNano", s.startTime);
    j.timeField("endTimeUnixNano", s.endTime);
    j.attributeFields(s);
    j.listField("events", s.events, writeEvent);
    j.field("droppedEventsCount", s.droppedEventsCount);
    j.listField("links", s.links, writeLink);
    j.field("droppedLinksCount", s.droppedLinksCount);
    const { code, message } = s.status;
    // An UNSET status with no message is the default Status: no field.
    if (code || message) {
      j.open("{", "status");
      j.field("message", message);
      j.field("code", code);
      j.close("}");
    }
  });
}

/** Encodes `spans` of `resource` as an OTLP/JSON ExportTraceServiceRequest, grouped by scope like the protobuf form. */
export function encodeTraceRequestJson(resource: Resource, spans: readonly ReadableSpan[]): string {
  return j.encodeRequestJson("Spans", "spans", resource, spans, writeSpan);
}
