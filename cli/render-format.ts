// Text formatting shared by the receiver's renderers: values, attributes, ids, times, colours.
// Pure functions: colour is an explicit flag so the renderers stay testable without a TTY.
import type { AnyValue, InstrumentationScope, KeyValue } from "../gen/opentelemetry/proto/common/v1/common_pb.js";
import type { Resource } from "../gen/opentelemetry/proto/resource/v1/resource_pb.js";

/** ANSI SGR styles the renderers use. */
export type Style = "bold" | "dim" | "red" | "green" | "yellow" | "blue" | "magenta" | "cyan";

const SGR: Record<Style, string> = {
  bold: "1",
  dim: "2",
  red: "31",
  green: "32",
  yellow: "33",
  blue: "34",
  magenta: "35",
  cyan: "36",
};

/** Wraps `text` in an ANSI style when `color` is on; returns it unchanged otherwise. */
export function paint(color: boolean, style: Style, text: string): string {
  return color && text !== "" ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text;
}

/** Cuts `text` to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, Math.max(0, max - 1)) + "…";
}

/** Lower-case hex of an id (trace, span), the form OTLP/JSON and W3C trace context use. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += (b < 16 ? "0" : "") + b.toString(16);
  return out;
}

// Bare strings read better (`method=GET`); quote only when a bare form would be ambiguous.
const BARE = /^[^\s"=,{}[\]]+$/;

/**
 * One AnyValue as compact text: bare or quoted strings, `[a,b]` arrays, `{k=v}` maps.
 * `rawString` prints a top-level string unquoted (control characters still escaped), for log bodies.
 */
export function formatAnyValue(value: AnyValue | undefined, rawString = false): string {
  const v = value?.value;
  switch (v?.case) {
    case undefined:
      return "";
    case "stringValue":
      if (rawString) return JSON.stringify(v.value).slice(1, -1);
      return BARE.test(v.value) ? v.value : JSON.stringify(v.value);
    case "boolValue":
    case "intValue":
    case "doubleValue":
      return String(v.value);
    case "bytesValue":
      return "0x" + toHex(v.value);
    case "arrayValue":
      return "[" + v.value.values.map((x) => formatAnyValue(x)).join(",") + "]";
    case "kvlistValue":
      return "{" + v.value.values.map((kv) => `${kv.key}=${formatAnyValue(kv.value)}`).join(",") + "}";
  }
}

/** Display limits for attribute lists. */
export interface AttributeFormat {
  /** How many attributes to show before summarising the rest as `+N more`. */
  readonly maxCount: number;
  /** Longest value text shown; longer ones are truncated with an ellipsis. */
  readonly maxValueLength: number;
}

/** The default limits: a few short attributes keep one line per item readable. */
export const DEFAULT_ATTRIBUTE_FORMAT: AttributeFormat = { maxCount: 4, maxValueLength: 40 };

/** Attributes as space-separated `k=v`, the first `maxCount` only, values truncated. */
export function formatAttributes(attributes: readonly KeyValue[], format: AttributeFormat = DEFAULT_ATTRIBUTE_FORMAT): string {
  const shown = attributes
    .slice(0, format.maxCount)
    .map((kv) => `${kv.key}=${truncate(formatAnyValue(kv.value), format.maxValueLength)}`);
  const rest = attributes.length - shown.length;
  if (rest > 0) shown.push(`+${rest} more`);
  return shown.join(" ");
}

/** The `service.name` resource attribute, if it is a string. */
export function serviceName(resource: Resource | undefined): string | undefined {
  for (const kv of resource?.attributes ?? []) {
    if (kv.key === "service.name" && kv.value?.value.case === "stringValue") return kv.value.value.value;
  }
  return undefined;
}

/** `name@version` of an instrumentation scope, or "" when it has no name. */
export function scopeLabel(scope: InstrumentationScope | undefined): string {
  if (scope === undefined || scope.name === "") return "";
  return scope.version === "" ? scope.name : `${scope.name}@${scope.version}`;
}

/** A duration in nanoseconds as milliseconds: one decimal from 1 ms up, three below. */
export function formatDurationMs(nanos: bigint): string {
  const ms = Number(nanos) / 1e6;
  return `${ms.toFixed(Math.abs(ms) >= 1 ? 1 : 3)} ms`;
}

/** An epoch-nanosecond timestamp as ISO 8601 UTC with milliseconds; "-" for 0 (unset). */
export function formatTimestamp(nanos: bigint): string {
  if (nanos === 0n) return "-";
  const date = new Date(Number(nanos / 1_000_000n));
  return Number.isNaN(date.getTime()) ? String(nanos) : date.toISOString();
}
