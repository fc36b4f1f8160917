import type { Resource } from "../common/types.ts";
import type { MetricData } from "../metrics/metric-data.ts";
import type { OtlpTransport } from "./http-transport.ts";
import { encodeMetricsRequest } from "./metrics-encoder.ts";
import { encodeMetricsRequestJson } from "./metrics-json-encoder.ts";
import { OtlpExporter } from "./otlp-exporter.ts";

// The transport counts data points: what a partial success reports as rejected.
const points = (metrics: readonly MetricData[]): number => metrics.reduce((n, m) => n + m.points.length, 0);

/** Encodes metrics as an OTLP ExportMetricsServiceRequest and sends them through an OTLP/HTTP transport. */
export class OtlpMetricExporter extends OtlpExporter<MetricData> {
  constructor(transport: OtlpTransport, protocol: "http/protobuf" | "http/json", resource: Resource) {
    super("metrics", transport, resource, protocol === "http/json" ? encodeMetricsRequestJson : encodeMetricsRequest, points);
  }
}
