import type { Resource } from "../common/types.ts";
import type { ReadableLogRecord } from "../logs/log-record.ts";
import * as j from "./json-writer.ts";

/*
 * ExportLogsServiceRequest as OTLP/JSON (see json-writer.ts), with the fields and defaults of the protobuf
 * form (logs-encoder.ts), in field-number order. The logs.proto messages:
 * https://github.com/open-telemetry/opentelemetry-proto/blob/v1.9.0/opentelemetry/proto/logs/v1/logs.proto
 */

function writeLogRecord(r: ReadableLogRecord): void {
  j.open("{");
  j.timeField("timeUnixNano", r.time);
  j.field("severityNumber", r.severityNumber);
  j.field("severityText", r.severityText);
  // A null or undefined body is no body; any other value is, even an empty one.
  if (r.body != null) {
    j.raw("body", true);
    j.anyValueTree(r.body);
  }
  j.attributeFieldsTree(r);
  // The W3C trace flags in the low byte (LOG_RECORD_FLAGS_TRACE_FLAGS_MASK).
  j.field("flags", r.traceFlags & 0xff);
  j.field("traceId", r.traceId);
  j.field("spanId", r.spanId);
  j.timeField("observedTimeUnixNano", r.observedTime);
  j.field("eventName", r.eventName);
  j.close("}");
}

/** Encodes `records` of `resource` as an OTLP/JSON ExportLogsServiceRequest, grouped by scope like the protobuf form. */
export function encodeLogsRequestJson(resource: Resource, records: readonly ReadableLogRecord[]): string {
  return j.encodeRequestJson("Logs", "logRecords", resource, records, writeLogRecord);
}
