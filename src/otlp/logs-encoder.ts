import type { Resource } from "../common/types.ts";
import type { ReadableLogRecord } from "../logs/log-record.ts";
import { writeAnyValue } from "./any-value.ts";
import { attributeFields, countField, encodeRequest, idField, stringField, timeField } from "./common-encoder.ts";
import * as w from "./proto-writer.ts";

/*
 * ExportLogsServiceRequest, written field by field in field-number order with proto3 zero values skipped,
 * which is what reference serializers emit.
 * https://github.com/open-telemetry/opentelemetry-proto/blob/v1.9.0/opentelemetry/proto/logs/v1/logs.proto
 * Tags are precomputed `(field << 3) | wireType`: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
 */

function writeLogRecord(r: ReadableLogRecord): void {
  // ScopeLogs.log_records = 2. Records usually take 128 bytes to 16 KiB: a two-byte length is likely.
  const start = w.fork(18, 2);
  timeField(9, r.time); // time_unix_nano = 1
  countField(16, r.severityNumber); // severity_number = 2
  stringField(26, r.severityText); // severity_text = 3
  // A null or undefined body is no body; any other value is, even an empty one.
  if (r.body != null) {
    const body = w.fork(42); // body = 5
    writeAnyValue(r.body);
    w.join(body);
  }
  attributeFields(50, r); // attributes = 6, dropped_attributes_count = 7
  // flags = 8, fixed32: the W3C trace flags in the low byte (LOG_RECORD_FLAGS_TRACE_FLAGS_MASK).
  const flags = r.traceFlags & 0xff;
  if (flags) {
    w.varint(69);
    w.fixed32(flags);
  }
  idField(74, r.traceId); // trace_id = 9
  idField(82, r.spanId); // span_id = 10
  timeField(89, r.observedTime); // observed_time_unix_nano = 11
  stringField(98, r.eventName); // event_name = 12
  w.join(start, 2);
}

/**
 * Encodes `records` of `resource` as an OTLP ExportLogsServiceRequest (protobuf): one ResourceLogs, one
 * ScopeLogs per scope in first-seen order. The result is an array the caller owns.
 */
export function encodeLogsRequest(resource: Resource, records: readonly ReadableLogRecord[]): Uint8Array {
  return encodeRequest(resource, records, writeLogRecord);
}
