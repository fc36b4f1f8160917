// The slow, obviously-correct reference for the metrics and logs encoders: our records mapped onto the
// generated @bufbuild/protobuf messages field by field, so that toBinary can say what the bytes must be.
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import type { Resource } from "../../src/common/types.ts";
import type { ScopeWithAttributes } from "../../src/otlp/common-encoder.ts";
import type { Exemplar, MetricData } from "../../src/metrics/metric-data.ts";
import type { ReadableLogRecord } from "../../src/logs/log-record.ts";
import { msToNanosBigInt } from "../../src/otlp/time.ts";
import { ExportMetricsServiceRequestSchema, type ExportMetricsServiceRequest } from "../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js";
import { ExportLogsServiceRequestSchema, type ExportLogsServiceRequest } from "../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import type { InstrumentationScopeSchema } from "../../gen/opentelemetry/proto/common/v1/common_pb.js";
import type { ResourceSchema } from "../../gen/opentelemetry/proto/resource/v1/resource_pb.js";
import type { ExemplarSchema, MetricSchema, NumberDataPointSchema } from "../../gen/opentelemetry/proto/metrics/v1/metrics_pb.js";
import type { LogRecordSchema } from "../../gen/opentelemetry/proto/logs/v1/logs_pb.js";
import { hexToBytes, refAnyValue, refAttributes, sameScope } from "./encoder-reference.ts";

type ScopeInit = MessageInitShape<typeof InstrumentationScopeSchema>;
type ResourceInit = MessageInitShape<typeof ResourceSchema>;
type MetricInit = MessageInitShape<typeof MetricSchema>;
type ValueInit = NonNullable<MessageInitShape<typeof NumberDataPointSchema>["value"]>;
type ExemplarInit = MessageInitShape<typeof ExemplarSchema>;
type LogRecordInit = MessageInitShape<typeof LogRecordSchema>;

/** Records grouped by scope, in first-seen order. */
function groupByScope<T extends { readonly scope: ScopeWithAttributes }>(records: readonly T[]): { scope: ScopeWithAttributes; records: T[] }[] {
  const groups: { scope: ScopeWithAttributes; records: T[] }[] = [];
  for (const r of records) {
    const group = groups.find((g) => sameScope(g.scope, r.scope));
    if (group) group.records.push(r);
    else groups.push({ scope: r.scope, records: [r] });
  }
  return groups;
}

function refScope(s: ScopeWithAttributes): ScopeInit {
  return { name: s.name, version: s.version ?? "", attributes: refAttributes(s.attributes), droppedAttributesCount: s.droppedAttributesCount ?? 0 };
}

function refResource(r: Resource): ResourceInit {
  return { attributes: refAttributes(r.attributes), droppedAttributesCount: r.droppedAttributesCount };
}

const idBytes = (hex: string | undefined) => (hex ? hexToBytes(hex) : new Uint8Array(0));

/** as_int for bigints (wrapped) and integer instruments (truncated, wrapped, non-finite as 0), else as_double. */
function refValue(v: number | bigint, isInt: boolean | undefined): ValueInit {
  if (typeof v === "bigint") return { case: "asInt", value: BigInt.asIntN(64, v) };
  if (isInt) return { case: "asInt", value: Number.isFinite(v) ? BigInt.asIntN(64, BigInt(Math.trunc(v))) : 0n };
  return { case: "asDouble", value: v };
}

function refExemplar(e: Exemplar, isInt: boolean | undefined): ExemplarInit {
  return {
    filteredAttributes: refAttributes(e.filteredAttributes),
    timeUnixNano: msToNanosBigInt(e.time),
    value: refValue(e.value, isInt),
    spanId: idBytes(e.spanId),
    traceId: idBytes(e.traceId),
  };
}

// Optional doubles: set only when defined (an explicit undefined is not allowed with exactOptionalPropertyTypes).
function optionals(p: { sum: number | undefined; min: number | undefined; max: number | undefined }): { sum?: number; min?: number; max?: number } {
  const out: { sum?: number; min?: number; max?: number } = {};
  if (p.sum !== undefined) out.sum = p.sum;
  if (p.min !== undefined) out.min = p.min;
  if (p.max !== undefined) out.max = p.max;
  return out;
}

function refMetric(m: MetricData): MetricInit {
  const times = (p: { startTime: number; time: number }) => ({ startTimeUnixNano: msToNanosBigInt(p.startTime), timeUnixNano: msToNanosBigInt(p.time) });
  const out: MetricInit = { name: m.name, description: m.description, unit: m.unit };
  switch (m.kind) {
    case "gauge":
    case "sum": {
      const dataPoints = m.points.map((p) => ({
        attributes: refAttributes(p.attributes),
        ...times(p),
        value: refValue(p.value, p.isInt),
        exemplars: p.exemplars.map((e) => refExemplar(e, p.isInt)),
      }));
      out.data =
        m.kind === "gauge"
          ? { case: "gauge", value: { dataPoints } }
          : { case: "sum", value: { dataPoints, aggregationTemporality: m.temporality, isMonotonic: m.monotonic } };
      break;
    }
    case "histogram":
      out.data = {
        case: "histogram",
        value: {
          aggregationTemporality: m.temporality,
          dataPoints: m.points.map((p) => ({
            attributes: refAttributes(p.attributes),
            ...times(p),
            count: BigInt(p.count),
            ...optionals(p),
            bucketCounts: p.bucketCounts.map(BigInt),
            explicitBounds: [...p.explicitBounds],
            exemplars: p.exemplars.map((e) => refExemplar(e, false)),
          })),
        },
      };
      break;
    case "exponentialHistogram":
      out.data = {
        case: "exponentialHistogram",
        value: {
          aggregationTemporality: m.temporality,
          dataPoints: m.points.map((p) => ({
            attributes: refAttributes(p.attributes),
            ...times(p),
            count: BigInt(p.count),
            ...optionals(p),
            scale: p.scale,
            zeroCount: BigInt(p.zeroCount),
            positive: { offset: p.positive.offset, bucketCounts: p.positive.bucketCounts.map(BigInt) },
            negative: { offset: p.negative.offset, bucketCounts: p.negative.bucketCounts.map(BigInt) },
            exemplars: p.exemplars.map((e) => refExemplar(e, false)),
          })),
        },
      };
      break;
  }
  return out;
}

/** The reference ExportMetricsServiceRequest: one ResourceMetrics, metrics grouped by scope in first-seen order. */
export function referenceMetricsRequest(resource: Resource, metrics: readonly MetricData[]): ExportMetricsServiceRequest {
  return create(ExportMetricsServiceRequestSchema, {
    resourceMetrics: [
      {
        resource: refResource(resource),
        scopeMetrics: groupByScope(metrics).map((g) => ({ scope: refScope(g.scope), metrics: g.records.map(refMetric), schemaUrl: g.scope.schemaUrl ?? "" })),
        schemaUrl: resource.schemaUrl ?? "",
      },
    ],
  });
}

function refLogRecord(r: ReadableLogRecord): LogRecordInit {
  const out: LogRecordInit = {
    timeUnixNano: msToNanosBigInt(r.time),
    observedTimeUnixNano: msToNanosBigInt(r.observedTime),
    severityNumber: r.severityNumber,
    severityText: r.severityText,
    attributes: refAttributes(r.attributes),
    droppedAttributesCount: r.droppedAttributesCount,
    flags: r.traceFlags & 0xff,
    traceId: idBytes(r.traceId),
    spanId: idBytes(r.spanId),
    eventName: r.eventName,
  };
  if (r.body !== null && r.body !== undefined) out.body = refAnyValue(r.body);
  return out;
}

/** The reference ExportLogsServiceRequest: one ResourceLogs, records grouped by scope in first-seen order. */
export function referenceLogsRequest(resource: Resource, records: readonly ReadableLogRecord[]): ExportLogsServiceRequest {
  return create(ExportLogsServiceRequestSchema, {
    resourceLogs: [
      {
        resource: refResource(resource),
        scopeLogs: groupByScope(records).map((g) => ({ scope: refScope(g.scope), logRecords: g.records.map(refLogRecord), schemaUrl: g.scope.schemaUrl ?? "" })),
        schemaUrl: resource.schemaUrl ?? "",
      },
    ],
  });
}
