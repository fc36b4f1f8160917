import { sanitizeValue, type AttributeLimits } from "../common/attributes.ts";
import { now, toEpochMs } from "../common/clock.ts";
import type { AttributeList, DiagLogger, InstrumentationScope } from "../common/types.ts";
import type { ContextManager } from "../context/context-manager.ts";
import type { Outer } from "../otlp/any-value.ts";
import { getSpanContext, isSpanContextValid, type SpanContext } from "../trace/span-context.ts";
import type { Logger, LogRecordInput } from "./logger-api.ts";
import type { ReadableLogRecord } from "./log-record.ts";
import type { LogRecordProcessor } from "./log-record-processor.ts";

/** What the loggers of one telemetry share. */
export interface LoggerProviderOptions {
  processor: LogRecordProcessor;
  /** OTEL_LOGRECORD_ATTRIBUTE_* limits, from `resolveAttributeLimits(…, "LOGRECORD")`. */
  limits: AttributeLimits;
  contextManager: ContextManager;
  diag: DiagLogger;
  /** False while the SDK is disabled: emit does nothing. Default true. */
  enabled?: boolean | undefined;
}

/** Hands out loggers. https://opentelemetry.io/docs/specs/otel/logs/sdk/#loggerprovider */
export interface LoggerProvider {
  /** A logger for an instrumentation scope; the same name, version and schema URL give the same logger. */
  logger(name: string, version?: string, options?: { schemaUrl?: string | undefined }): Logger;
}

const NOOP: Logger = { emit() {} };

/** Creates the loggers of one telemetry. Nothing runs until a record is emitted. */
export function createLoggerProvider(o: LoggerProviderOptions): LoggerProvider {
  const loggers = new Map<string, Logger>();
  return {
    logger(name, version, options) {
      if (o.enabled === false) return NOOP;
      const schemaUrl = text(options?.schemaUrl);
      const key = `${name}\0${version}\0${schemaUrl}`;
      let logger = loggers.get(key);
      if (!logger) loggers.set(key, (logger = sdkLogger(o, { name: String(name), version: text(version), schemaUrl })));
      return logger;
    },
  };
}

// The last span context seen and whether it is valid: records come in runs from the same span, and the
// id checks are the costliest part of an emit.
let lastContext: SpanContext | undefined;
let lastValid = false;

function sdkLogger({ processor, limits, contextManager, diag }: LoggerProviderOptions, scope: InstrumentationScope): Logger {
  return {
    emit(input: LogRecordInput): void {
      // Logging must never break the code that logs: a bad record is reported and dropped.
      try {
        const context = input.context ?? contextManager.active();
        const sc = getSpanContext(context);
        if (sc !== lastContext) lastValid = !!(lastContext = sc) && isSpanContextValid(sc!);
        const valid = lastValid;
        const { attributes: given, severityNumber: n } = input;
        const attributes: AttributeList = [];
        let dropped = 0;
        for (const key in given) {
          const v = (given as Record<string, unknown>)[key];
          // The API spec leaves null undefined; like spans, it is ignored, and so is an empty key.
          if (v == null || !key) continue;
          if (attributes.length >= limits.countLimit * 2) dropped++;
          else attributes.push(key, limitValue(v, limits.valueLengthLimit));
        }
        const record: ReadableLogRecord = {
          // No timestamp given is no timestamp: observedTime says when the SDK saw it.
          // https://opentelemetry.io/docs/specs/otel/logs/data-model/#field-timestamp
          time: input.timestamp == null ? 0 : toEpochMs(input.timestamp),
          observedTime: input.observedTimestamp == null ? now() : toEpochMs(input.observedTimestamp),
          // An enum outside 1–24 means nothing and could not be encoded as a varint when negative or fractional.
          severityNumber: n! >= 1 && n! <= 24 ? n! | 0 : 0,
          severityText: text(input.severityText) ?? "",
          body: input.body,
          attributes,
          droppedAttributesCount: dropped,
          traceFlags: valid ? sc!.traceFlags : 0,
          traceId: valid ? sc!.traceId : undefined,
          spanId: valid ? sc!.spanId : undefined,
          eventName: text(input.eventName) ?? "",
          scope,
        };
        processor.onEmit(record, context);
      } catch (e) {
        diag.warn(`log record dropped: ${String(e)}`);
      }
    },
  };
}

// Text, as the encoders write it: a number from plain JS would be written wrongly or not at all.
const text = (v: unknown): string | undefined => (v == null ? undefined : String(v));

/**
 * A log record attribute value as stored: any AnyValue, with strings and byte arrays cut to `max`, and
 * arrays and maps copied with the same rule applied inside; a cycle, or a value inside 32 arrays and maps,
 * becomes null (the empty AnyValue the encoders would write for it anyway). `up` is what `v` is nested in.
 * https://opentelemetry.io/docs/specs/otel/common/#attribute-limits
 */
function limitValue(v: unknown, max: number, up?: Outer): unknown {
  if (typeof v === "string") return v.length > max ? sanitizeValue(v, max) : v;
  if (!v || typeof v !== "object") return v;
  // Copied even when short: the caller may reuse the array after emit.
  if (v instanceof Uint8Array) return v.slice(0, max);
  let depth = 0;
  for (let o = up; o; o = o.up) if (o.v === v || ++depth >= 32) return null;
  const outer = { v, up };
  return Array.isArray(v)
    ? v.map((x) => limitValue(x, max, outer))
    : // fromEntries defines own properties, so even a "__proto__" key is kept.
      Object.fromEntries(Object.keys(v).map((k) => [k, limitValue((v as Record<string, unknown>)[k], max, outer)]));
}
