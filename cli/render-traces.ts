// Renders decoded OTLP spans as one waterfall per trace: a time bar, then the span tree by indentation.
import type { ResourceSpans, Span } from "../gen/opentelemetry/proto/trace/v1/trace_pb.js";
import {
  DEFAULT_ATTRIBUTE_FORMAT,
  formatAttributes,
  formatDurationMs,
  paint,
  serviceName,
  toHex,
  type AttributeFormat,
} from "./render-format.ts";

/** Options for {@link renderTraces}. */
export interface TraceRenderOptions {
  /** Emit ANSI colours. Default false. */
  readonly color?: boolean;
  /** Columns of the time bar. Default 30. */
  readonly barWidth?: number;
  /** Attribute display limits. */
  readonly attributes?: AttributeFormat;
}

/** Anything holding resource spans: ExportTraceServiceRequest or TracesData. */
export interface ResourceSpansHolder {
  readonly resourceSpans: readonly ResourceSpans[];
}

/** Column characters of the time bar: span-active and idle. */
export const BAR_FILL = "█";
/** Idle part of the time bar. */
export const BAR_EMPTY = "─";

// Index = Span.SpanKind number (trace.proto).
const KIND_NAMES = ["unspecified", "internal", "server", "client", "producer", "consumer"];
// Status.StatusCode.STATUS_CODE_ERROR in trace.proto.
const STATUS_ERROR = 2;

interface Entry {
  readonly span: Span;
  readonly service: string | undefined;
  readonly order: number;
}

interface Trace {
  readonly traceId: string;
  readonly entries: Entry[];
}

/** Renders every trace in the message as a header line plus one waterfall line per span; "" if there are no spans. */
export function renderTraces(message: ResourceSpansHolder, options: TraceRenderOptions = {}): string {
  const color = options.color ?? false;
  const width = Math.max(1, Math.floor(options.barWidth ?? 30));
  const attributeFormat = options.attributes ?? DEFAULT_ATTRIBUTE_FORMAT;
  const lines: string[] = [];
  for (const trace of groupByTrace(message)) {
    renderTrace(trace, width, color, attributeFormat, lines);
  }
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}

/** Number of spans in the message. */
export function countSpans(message: ResourceSpansHolder): number {
  let n = 0;
  for (const rs of message.resourceSpans) for (const ss of rs.scopeSpans) n += ss.spans.length;
  return n;
}

// Traces in order of first appearance; a batch may interleave spans of many traces and resources.
function groupByTrace(message: ResourceSpansHolder): Trace[] {
  const traces = new Map<string, Trace>();
  let order = 0;
  for (const rs of message.resourceSpans) {
    const service = serviceName(rs.resource);
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        const traceId = toHex(span.traceId);
        let trace = traces.get(traceId);
        if (trace === undefined) traces.set(traceId, (trace = { traceId, entries: [] }));
        trace.entries.push({ span, service, order: order++ });
      }
    }
  }
  return [...traces.values()];
}

function byStart(a: Entry, b: Entry): number {
  const d = a.span.startTimeUnixNano - b.span.startTimeUnixNano;
  return d < 0n ? -1 : d > 0n ? 1 : a.order - b.order;
}

// Depth-first order of the parent tree. A span whose parent is not in this batch is a root here:
// exporters send spans as they end, so parents routinely arrive in a later batch.
function treeOrder(entries: readonly Entry[]): Array<{ entry: Entry; depth: number }> {
  const ids = new Set(entries.map((e) => toHex(e.span.spanId)));
  const children = new Map<string, Entry[]>();
  const roots: Entry[] = [];
  for (const e of entries) {
    const parent = toHex(e.span.parentSpanId);
    if (parent === "" || !ids.has(parent) || parent === toHex(e.span.spanId)) roots.push(e);
    else {
      let list = children.get(parent);
      if (list === undefined) children.set(parent, (list = []));
      list.push(e);
    }
  }
  const out: Array<{ entry: Entry; depth: number }> = [];
  const seen = new Set<Entry>();
  const visit = (e: Entry, depth: number): void => {
    if (seen.has(e)) return;
    seen.add(e);
    out.push({ entry: e, depth });
    for (const c of (children.get(toHex(e.span.spanId)) ?? []).sort(byStart)) visit(c, depth + 1);
  };
  for (const r of roots.sort(byStart)) visit(r, 0);
  // Spans caught in a parent cycle (malformed input) are never reached from a root; show them anyway.
  for (const e of [...entries].sort(byStart)) visit(e, 0);
  return out;
}

function renderTrace(trace: Trace, width: number, color: boolean, attributeFormat: AttributeFormat, lines: string[]): void {
  let start = trace.entries[0]!.span.startTimeUnixNano;
  let end = trace.entries[0]!.span.endTimeUnixNano;
  const services = new Set<string>();
  for (const { span, service } of trace.entries) {
    if (span.startTimeUnixNano < start) start = span.startTimeUnixNano;
    if (span.endTimeUnixNano > end) end = span.endTimeUnixNano;
    if (service !== undefined) services.add(service);
  }
  const total = end - start;
  const header = [
    paint(color, "bold", `trace ${trace.traceId === "" ? "(no trace id)" : trace.traceId}`),
    services.size > 0 ? paint(color, "cyan", `service=${[...services].join(",")}`) : "",
    `${trace.entries.length} span${trace.entries.length === 1 ? "" : "s"}`,
    formatDurationMs(total),
  ];
  lines.push(header.filter((p) => p !== "").join("  "));
  const multiService = services.size > 1;
  for (const { entry, depth } of treeOrder(trace.entries)) {
    const { span } = entry;
    const isError = span.status?.code === STATUS_ERROR;
    const parts = [
      paint(color, isError ? "red" : "bold", span.name === "" ? "(unnamed)" : span.name),
      paint(color, "dim", KIND_NAMES[span.kind] ?? `kind${span.kind}`),
      formatDurationMs(span.endTimeUnixNano - span.startTimeUnixNano),
    ];
    if (multiService && entry.service !== undefined) parts.push(paint(color, "cyan", `[${entry.service}]`));
    if (isError) parts.push(paint(color, "red", span.status!.message === "" ? "ERROR" : `ERROR: ${span.status!.message}`));
    const attrs = formatAttributes(span.attributes, attributeFormat);
    if (attrs !== "") parts.push(paint(color, "dim", attrs));
    if (span.links.length > 0) parts.push(paint(color, "dim", `links=${span.links.length}`));
    const bar = timeBar(span.startTimeUnixNano - start, span.endTimeUnixNano - start, total, width);
    lines.push(`  ${paint(color, isError ? "red" : "green", bar)}  ${"  ".repeat(depth)}${parts.join("  ")}`);
    for (const event of span.events) {
      const eventParts = [
        `• +${formatDurationMs(event.timeUnixNano - span.startTimeUnixNano)}`,
        event.name,
        formatAttributes(event.attributes, attributeFormat),
      ];
      const text = paint(color, "yellow", eventParts.filter((p) => p !== "").join("  "));
      lines.push(`  ${" ".repeat(width)}  ${"  ".repeat(depth + 1)}${text}`);
    }
  }
}

/**
 * The bar for a span at [from, to] nanoseconds after its trace's start, in a trace `total` ns long:
 * filled from floor(from/total·width) up to ceil(to/total·width), at least one column so short spans show.
 */
export function timeBar(from: bigint, to: bigint, total: bigint, columns: number): string {
  const width = Math.max(1, Math.floor(columns));
  if (total <= 0n) return BAR_FILL.repeat(width);
  // Integer arithmetic: a float scale would put exact boundaries (e.g. 20/120 of 30 columns) one column off.
  const w = BigInt(width);
  const clamp = (t: bigint): bigint => (t < 0n ? 0n : t > total ? total : t);
  const first = Math.min(width - 1, Number((clamp(from) * w) / total));
  let last = Number((clamp(to) * w + total - 1n) / total);
  if (last <= first) last = first + 1;
  return BAR_EMPTY.repeat(first) + BAR_FILL.repeat(last - first) + BAR_EMPTY.repeat(width - last);
}
