// Renders decoded OTLP log records as one line each.
import type { LogRecord, ResourceLogs } from "../gen/opentelemetry/proto/logs/v1/logs_pb.js";
import {
  DEFAULT_ATTRIBUTE_FORMAT,
  formatAnyValue,
  formatAttributes,
  formatTimestamp,
  paint,
  scopeLabel,
  serviceName,
  toHex,
  truncate,
  type AttributeFormat,
  type Style,
} from "./render-format.ts";

/** Options for {@link renderLogs}. */
export interface LogsRenderOptions {
  /** Emit ANSI colours. Default false. */
  readonly color?: boolean;
  /** Longest body text shown. Default 200. */
  readonly maxBodyLength?: number;
  /** Attribute display limits. */
  readonly attributes?: AttributeFormat;
}

/** Anything holding resource logs: ExportLogsServiceRequest or LogsData. */
export interface ResourceLogsHolder {
  readonly resourceLogs: readonly ResourceLogs[];
}

/** Hex digits of the trace id shown per record: enough to match it to a trace in the waterfall. */
export const TRACE_ID_PREFIX_LENGTH = 8;

// SeverityNumber ranges of four, in order (https://opentelemetry.io/docs/specs/otel/logs/data-model/#field-severitynumber).
const SEVERITIES: ReadonlyArray<readonly [string, Style]> = [
  ["TRACE", "dim"],
  ["DEBUG", "dim"],
  ["INFO", "green"],
  ["WARN", "yellow"],
  ["ERROR", "red"],
  ["FATAL", "magenta"],
];

/** The short name of a SeverityNumber: TRACE…FATAL, with 2–4 suffixes for the finer levels; "" if unset or unknown. */
export function severityName(severityNumber: number): string {
  if (severityNumber < 1 || severityNumber > 24) return "";
  const range = SEVERITIES[Math.floor((severityNumber - 1) / 4)]![0];
  const step = (severityNumber - 1) % 4;
  return step === 0 ? range : `${range}${step + 1}`;
}

function severityStyle(severityNumber: number): Style {
  if (severityNumber < 1 || severityNumber > 24) return "bold";
  return SEVERITIES[Math.floor((severityNumber - 1) / 4)]![1];
}

/** Renders a header per resource and scope, then one line per record: time, severity, body, trace, attributes. */
export function renderLogs(message: ResourceLogsHolder, options: LogsRenderOptions = {}): string {
  const color = options.color ?? false;
  const maxBody = options.maxBodyLength ?? 200;
  const format = options.attributes ?? DEFAULT_ATTRIBUTE_FORMAT;
  const lines: string[] = [];
  for (const rl of message.resourceLogs) {
    const service = serviceName(rl.resource);
    for (const sl of rl.scopeLogs) {
      if (sl.logRecords.length === 0) continue;
      const scope = scopeLabel(sl.scope);
      const header = ["logs", service === undefined ? "" : `service=${service}`, scope === "" ? "" : `scope=${scope}`];
      lines.push(paint(color, "bold", header.filter((p) => p !== "").join("  ")));
      for (const record of sl.logRecords) lines.push("  " + renderRecord(record, color, maxBody, format));
    }
  }
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}

/** Number of log records in the message. */
export function countLogRecords(message: ResourceLogsHolder): number {
  let n = 0;
  for (const rl of message.resourceLogs) for (const sl of rl.scopeLogs) n += sl.logRecords.length;
  return n;
}

function renderRecord(record: LogRecord, color: boolean, maxBody: number, format: AttributeFormat): string {
  // Data model: when time_unix_nano is unset, observed time is the best available.
  const time = record.timeUnixNano !== 0n ? record.timeUnixNano : record.observedTimeUnixNano;
  const severity = record.severityText !== "" ? record.severityText : severityName(record.severityNumber) || "-";
  const traceId = toHex(record.traceId);
  const parts = [
    paint(color, "dim", formatTimestamp(time)),
    paint(color, severityStyle(record.severityNumber), severity),
    record.eventName === "" ? "" : paint(color, "cyan", `[${record.eventName}]`),
    truncate(formatAnyValue(record.body, true), maxBody),
    traceId === "" ? "" : paint(color, "dim", `trace=${traceId.slice(0, TRACE_ID_PREFIX_LENGTH)}`),
    paint(color, "dim", formatAttributes(record.attributes, format)),
  ];
  return parts.filter((p) => p !== "").join("  ");
}
