import type { AttributeList, InstrumentationScope } from "../common/types.ts";

/**
 * A log record's body or an attribute value in logs: any OTLP AnyValue. Plain objects become kvlists,
 * Uint8Arrays bytes, arrays arrays.
 * https://opentelemetry.io/docs/specs/otel/logs/data-model/#type-any
 */
export type AnyValue = string | number | boolean | bigint | Uint8Array | null | undefined | AnyValue[] | { [key: string]: AnyValue };

/** Severity numbers of the log data model. https://opentelemetry.io/docs/specs/otel/logs/data-model/#field-severitynumber */
export const SeverityNumber = {
  UNSPECIFIED: 0, TRACE: 1, TRACE2: 2, TRACE3: 3, TRACE4: 4, DEBUG: 5, DEBUG2: 6, DEBUG3: 7, DEBUG4: 8,
  INFO: 9, INFO2: 10, INFO3: 11, INFO4: 12, WARN: 13, WARN2: 14, WARN3: 15, WARN4: 16,
  ERROR: 17, ERROR2: 18, ERROR3: 19, ERROR4: 20, FATAL: 21, FATAL2: 22, FATAL3: 23, FATAL4: 24,
} as const;
/** One of the SeverityNumber values. */
export type SeverityNumber = (typeof SeverityNumber)[keyof typeof SeverityNumber];

/** A finished log record, as processors and exporters see it. Times are epoch ms with a fraction (0: unset). */
export interface ReadableLogRecord {
  readonly time: number;
  readonly observedTime: number;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: AnyValue;
  readonly attributes: AttributeList;
  readonly droppedAttributesCount: number;
  /** W3C trace flags of the span the record was emitted in (0 when none). */
  readonly traceFlags: number;
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
  readonly eventName: string;
  readonly scope: InstrumentationScope;
}
