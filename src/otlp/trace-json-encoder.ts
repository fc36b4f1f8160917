import type { Resource } from "../common/types.ts";
import type { ReadableSpan } from "../trace/span-record.ts";
import { ATTRIBUTES, protobufToJson, type JsonSchema } from "./json-writer.ts";
import { encodeTraceRequest } from "./trace-encoder.ts";

/*
 * ExportTraceServiceRequest as OTLP/JSON, transcoded from the protobuf encoding (see json-writer.ts): not the
 * hot path, since protobuf is the default. The trace.proto and trace_service.proto messages:
 * https://github.com/open-telemetry/opentelemetry-proto/blob/v1.9.0/opentelemetry/proto/trace/v1/trace.proto
 */
const CONTEXT = "htraceId hspanId straceState";
const TRACES: JsonSchema = {
  Q: "*SresourceSpans", // ExportTraceServiceRequest
  S: "Rresource *CscopeSpans sschemaUrl", // ResourceSpans
  C: "Iscope *Pspans sschemaUrl", // ScopeSpans
  P: `${CONTEXT} hparentSpanId sname ukind xstartTimeUnixNano xendTimeUnixNano ${ATTRIBUTES} *Eevents udroppedEventsCount *Llinks udroppedLinksCount Tstatus fflags`, // Span
  E: "xtimeUnixNano sname " + ATTRIBUTES, // Span.Event
  L: `${CONTEXT} ${ATTRIBUTES} fflags`, // Span.Link
  T: "- smessage ucode", // Status
};

/** Encodes `spans` of `resource` as an OTLP/JSON ExportTraceServiceRequest, grouped by scope like the protobuf form. */
export function encodeTraceRequestJson(resource: Resource, spans: readonly ReadableSpan[]): string {
  return protobufToJson(encodeTraceRequest(resource, spans), TRACES, "Q");
}
