import type { Attributes, TimeInput } from "../common/types.ts";
import type { Context } from "../context/context.ts";
import type { AnyValue } from "./log-record.ts";

/**
 * A log record as a user emits it, with the field names of `@opentelemetry/api-logs`.
 * https://opentelemetry.io/docs/specs/otel/logs/api/#emit-a-logrecord
 */
export interface LogRecordInput {
  timestamp?: TimeInput | undefined;
  observedTimestamp?: TimeInput | undefined;
  severityNumber?: number | undefined;
  severityText?: string | undefined;
  body?: AnyValue;
  attributes?: Attributes | Record<string, AnyValue> | undefined;
  eventName?: string | undefined;
  /** The context whose span the record correlates with; default the active one. */
  context?: Context | undefined;
}

/** Emits log records. https://opentelemetry.io/docs/specs/otel/logs/api/#logger */
export interface Logger {
  emit(record: LogRecordInput): void;
}
