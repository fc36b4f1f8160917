// Renders decoded OTLP metrics as one line per data point.
import type {
  HistogramDataPoint,
  ExponentialHistogramDataPoint,
  Metric,
  NumberDataPoint,
  ResourceMetrics,
  SummaryDataPoint,
} from "../gen/opentelemetry/proto/metrics/v1/metrics_pb.js";
import type { KeyValue } from "../gen/opentelemetry/proto/common/v1/common_pb.js";
import { DEFAULT_ATTRIBUTE_FORMAT, formatAttributes, paint, scopeLabel, serviceName, type AttributeFormat } from "./render-format.ts";

/** Options for {@link renderMetrics}. */
export interface MetricsRenderOptions {
  /** Emit ANSI colours. Default false. */
  readonly color?: boolean;
  /** Attribute display limits. */
  readonly attributes?: AttributeFormat;
}

/** Anything holding resource metrics: ExportMetricsServiceRequest or MetricsData. */
export interface ResourceMetricsHolder {
  readonly resourceMetrics: readonly ResourceMetrics[];
}

// Index = AggregationTemporality number (metrics.proto).
const TEMPORALITY = ["", "delta", "cumulative"];
// DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK: the point marks a gap, its value is meaningless.
const NO_RECORDED_VALUE = 1;

/** Renders a header per resource and scope, then `name  type  {attrs}  = value` per data point; "" if empty. */
export function renderMetrics(message: ResourceMetricsHolder, options: MetricsRenderOptions = {}): string {
  const color = options.color ?? false;
  const format = options.attributes ?? DEFAULT_ATTRIBUTE_FORMAT;
  const lines: string[] = [];
  for (const rm of message.resourceMetrics) {
    const service = serviceName(rm.resource);
    for (const sm of rm.scopeMetrics) {
      if (sm.metrics.length === 0) continue;
      const scope = scopeLabel(sm.scope);
      const header = ["metrics", service === undefined ? "" : `service=${service}`, scope === "" ? "" : `scope=${scope}`];
      lines.push(paint(color, "bold", header.filter((p) => p !== "").join("  ")));
      for (const metric of sm.metrics) {
        for (const [attributes, value] of dataPoints(metric)) {
          const attrs = formatAttributes(attributes, format);
          const parts = [
            paint(color, "bold", metric.name),
            paint(color, "dim", typeLabel(metric)),
            attrs === "" ? "" : paint(color, "dim", `{${attrs}}`),
            "= " + paint(color, "green", value),
          ];
          lines.push("  " + parts.filter((p) => p !== "").join("  "));
        }
        if (metric.data.case === undefined) lines.push(`  ${paint(color, "bold", metric.name)}  ${paint(color, "yellow", "(no data)")}`);
      }
    }
  }
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}

/** Number of data points in the message. */
export function countDataPoints(message: ResourceMetricsHolder): number {
  let n = 0;
  for (const rm of message.resourceMetrics) {
    for (const sm of rm.scopeMetrics) for (const m of sm.metrics) n += m.data.value?.dataPoints.length ?? 0;
  }
  return n;
}

function typeLabel(metric: Metric): string {
  const d = metric.data;
  switch (d.case) {
    case "gauge":
    case "summary":
    case undefined:
      return d.case ?? "";
    case "sum": {
      const traits = [TEMPORALITY[d.value.aggregationTemporality] ?? "", d.value.isMonotonic ? "monotonic" : ""];
      return withTraits("sum", traits);
    }
    case "histogram":
      return withTraits("histogram", [TEMPORALITY[d.value.aggregationTemporality] ?? ""]);
    case "exponentialHistogram":
      return withTraits("exp_histogram", [TEMPORALITY[d.value.aggregationTemporality] ?? ""]);
  }
}

function withTraits(name: string, traits: string[]): string {
  const t = traits.filter((x) => x !== "");
  return t.length === 0 ? name : `${name}(${t.join(",")})`;
}

// Each data point as [attributes, value text]. The unit follows single values, where it reads naturally.
function dataPoints(metric: Metric): Array<[readonly KeyValue[], string]> {
  const unit = metric.unit === "" || metric.unit === "1" ? "" : " " + metric.unit;
  const d = metric.data;
  switch (d.case) {
    case "gauge":
    case "sum":
      return d.value.dataPoints.map((p) => [p.attributes, numberValue(p, unit)]);
    case "histogram":
    case "exponentialHistogram":
      return d.value.dataPoints.map((p) => [p.attributes, histogramValue(p)]);
    case "summary":
      return d.value.dataPoints.map((p) => [p.attributes, summaryValue(p)]);
    case undefined:
      return [];
  }
}

function numberValue(p: NumberDataPoint, unit: string): string {
  if (p.flags & NO_RECORDED_VALUE) return "(no recorded value)";
  switch (p.value.case) {
    case "asDouble":
    case "asInt":
      return String(p.value.value) + unit;
    case undefined:
      return "(no value)";
  }
}

function histogramValue(p: HistogramDataPoint | ExponentialHistogramDataPoint): string {
  if (p.flags & NO_RECORDED_VALUE) return "(no recorded value)";
  const parts = [`count=${p.count}`];
  if (p.sum !== undefined) parts.push(`sum=${p.sum}`);
  if (p.min !== undefined) parts.push(`min=${p.min}`);
  if (p.max !== undefined) parts.push(`max=${p.max}`);
  return parts.join(" ");
}

function summaryValue(p: SummaryDataPoint): string {
  if (p.flags & NO_RECORDED_VALUE) return "(no recorded value)";
  const parts = [`count=${p.count}`, `sum=${p.sum}`];
  for (const q of p.quantileValues) parts.push(`q${q.quantile}=${q.value}`);
  return parts.join(" ");
}
