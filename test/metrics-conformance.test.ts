// End to end: meter provider → OtlpMetricExporter → real fetch → loopback receiver → decoded by protobufjs
// (not our code), compared field by field with the metrics the SDK collected.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DiagLogger, Resource } from "../src/common/types.ts";
import { ROOT_CONTEXT } from "../src/context/context.ts";
import { ValueType } from "../src/metrics/meter-api.ts";
import type { Exemplar, MetricData } from "../src/metrics/metric-data.ts";
import { createOtlpTransport } from "../src/otlp/http-transport.ts";
import { OtlpMetricExporter } from "../src/otlp/otlp-metric-exporter.ts";
import { setSpanContext } from "../src/trace/span-context.ts";
import { testProvider } from "./helpers/metrics.ts";
import { decodeMetrics, otlpProtoRoot, type DecodedMessage } from "./helpers/proto-decoder.ts";
import { startReceiver, type Receiver } from "./helpers/otlp-receiver.ts";

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

const silent: DiagLogger = { error() {}, warn() {}, info() {}, debug() {} };
const resource: Resource = { attributes: ["service.name", "checkout", "service.instance.id", "5a4c5e3e-8b0e-4a56-9d1e-0f2d4a1b2c3d"], droppedAttributesCount: 0 };
const traceId = "0af7651916cd43dd8448eb211c80319c";
const spanId = "b7ad6b7169203331";

/** Metrics of every kind from the SDK: scopes, integer values, exemplars, negative and zero buckets. */
async function collectVaried(): Promise<MetricData[]> {
  const { provider } = testProvider({ views: [{ instrumentName: "size", aggregation: "base2_exponential_bucket_histogram" }, { instrumentName: "requests", attributeKeys: ["route"] }] });
  const api = provider.meter("api", "1.0.0");
  const db = provider.meter("db", undefined, { schemaUrl: "https://opentelemetry.io/schemas/1.30.0" });
  const inSpan = setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: 1 });
  const requests = api.createCounter("requests", { unit: "{request}", description: "Requests served", valueType: ValueType.INT });
  requests.add(3, { route: "/a", user: "u1" }, inSpan);
  requests.add(4, { route: "/b", ok: true });
  api.createUpDownCounter("in_flight").add(-2.5, { pool: "main" });
  const latency = api.createHistogram("latency", { unit: "ms" });
  for (const v of [0, 3, 42, 42, 9000, 20000]) latency.record(v, { route: "/a" }, inSpan);
  const size = api.createHistogram("size", { unit: "By" });
  for (const v of [0, 1, 2, 3, 4096, 0.25]) size.record(v);
  db.createGauge("pool.usage").record(0.75, { pool: "main" });
  db.createObservableGauge("temperature", { unit: "Cel" }).addCallback((r) => r.observe(-3.5, { room: "b" }));
  db.createObservableCounter("queries", { valueType: ValueType.INT }).addCallback((r) => r.observe(123456789012));
  return provider.collect();
}

/** ms float → the decimal nanoseconds string OTLP carries (exact integer math). */
const nanos = (ms: number) => (BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.round((ms - Math.floor(ms)) * 1e6))).toString();

function anyValue(v: unknown): DecodedMessage {
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  if (typeof v === "number") return Number.isSafeInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  throw new Error("unexpected value");
}
function keyValues(list: unknown[]): DecodedMessage[] {
  const out: DecodedMessage[] = [];
  for (let i = 0; i < list.length; i += 2) out.push({ key: list[i], value: anyValue(list[i + 1]) });
  return out;
}
// Fields protobufjs leaves out: zero scalars and empty lists.
function some(o: DecodedMessage): DecodedMessage {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== "" && v !== 0 && v !== "0" && !(Array.isArray(v) && !v.length)));
}
const number = (v: number | bigint, isInt: boolean) => (isInt || typeof v === "bigint" ? { asInt: String(v) } : { asDouble: v });
// The value is a oneof member: present even at 0.
const exemplar = (e: Exemplar, isInt: boolean) => ({
  ...some({ timeUnixNano: nanos(e.time), spanId: e.spanId, traceId: e.traceId, filteredAttributes: keyValues(e.filteredAttributes) }),
  ...number(e.value, isInt),
});
const optionals = (p: { sum?: number | undefined; min?: number | undefined; max?: number | undefined }) =>
  Object.fromEntries(Object.entries({ sum: p.sum, min: p.min, max: p.max }).filter(([, v]) => v !== undefined));

function expectedMetric(m: MetricData): DecodedMessage {
  const base = (p: MetricData["points"][number]) => ({ attributes: keyValues(p.attributes), startTimeUnixNano: nanos(p.startTime), timeUnixNano: nanos(p.time) });
  let data: DecodedMessage;
  switch (m.kind) {
    case "sum":
    case "gauge":
      data = some({
        dataPoints: m.points.map((p) => ({ ...some({ ...base(p), exemplars: p.exemplars.map((e) => exemplar(e, p.isInt)) }), ...number(p.value, p.isInt) })),
        aggregationTemporality: m.kind === "sum" ? m.temporality : undefined,
        isMonotonic: m.kind === "sum" && m.monotonic ? true : undefined,
      });
      break;
    case "histogram":
      data = some({
        aggregationTemporality: m.temporality,
        dataPoints: m.points.map((p) => ({
          ...some({ ...base(p), count: String(p.count), bucketCounts: p.bucketCounts.map(String), explicitBounds: p.explicitBounds, exemplars: p.exemplars.map((e) => exemplar(e, false)) }),
          ...optionals(p),
        })),
      });
      break;
    case "exponentialHistogram":
      data = some({
        aggregationTemporality: m.temporality,
        dataPoints: m.points.map((p) => ({
          ...some({ ...base(p), count: String(p.count), scale: p.scale, zeroCount: String(p.zeroCount), exemplars: p.exemplars.map((e) => exemplar(e, false)) }),
          positive: some({ offset: p.positive.offset, bucketCounts: p.positive.bucketCounts.map(String) }),
          negative: some({ offset: p.negative.offset, bucketCounts: p.negative.bucketCounts.map(String) }),
          ...optionals(p),
        })),
      });
      break;
  }
  return some({ name: m.name, description: m.description, unit: m.unit, [m.kind]: data });
}

function expectedRequest(metrics: MetricData[]): DecodedMessage {
  const scopes = [...new Set(metrics.map((m) => m.scope))];
  return {
    resourceMetrics: [
      {
        resource: { attributes: keyValues(resource.attributes) },
        scopeMetrics: scopes.map((scope) => some({ scope: some({ name: scope.name, version: scope.version }), metrics: metrics.filter((m) => m.scope === scope).map(expectedMetric), schemaUrl: scope.schemaUrl })),
      },
    ],
  };
}

// OTLP/JSON → protobufjs message (ids hex → base64 first, as proto3 JSON has bytes) → bytes → decoded like the protobuf body.
function decodeJson(body: Uint8Array): DecodedMessage {
  const hexToBase64 = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(hexToBase64)
      : v && typeof v === "object"
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, (k === "traceId" || k === "spanId") && typeof x === "string" ? Buffer.from(x, "hex").toString("base64") : hexToBase64(x)]))
        : v;
  const type = otlpProtoRoot().lookupType("opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest");
  const message = type.fromObject(hexToBase64(JSON.parse(new TextDecoder().decode(body))) as Record<string, unknown>);
  return decodeMetrics(type.encode(message).finish());
}

describe("metrics over OTLP/HTTP", () => {
  for (const [protocol, compression] of [
    ["http/protobuf", "gzip"],
    ["http/json", "none"],
  ] as const) {
    it(`arrive as collected (${protocol}, ${compression}), decoded by protobufjs`, async () => {
      const metrics = await collectVaried();
      expect(metrics.map((m) => m.kind)).toEqual(["sum", "sum", "histogram", "exponentialHistogram", "gauge", "gauge", "sum"]);
      expect(metrics[0]!.points[0]!.exemplars).toHaveLength(1);
      const transport = createOtlpTransport(
        { endpoints: { traces: `${receiver.url}/v1/traces`, metrics: `${receiver.url}/v1/metrics`, logs: `${receiver.url}/v1/logs` }, headers: {}, protocol, compression, timeoutMs: 5000 },
        silent,
      );
      const exporter = new OtlpMetricExporter(transport, protocol, resource);
      const result = await exporter.export(metrics);
      expect(result).toEqual({ status: "success", httpStatus: 200 });
      expect(receiver.requests).toHaveLength(1);
      const req = receiver.requests[0]!;
      expect(req.path).toBe("/v1/metrics");
      expect(req.headers["content-type"]).toBe(protocol === "http/json" ? "application/json" : "application/x-protobuf");
      if (compression === "gzip") expect(req.headers["content-encoding"]).toBe("gzip");
      const decoded = protocol === "http/json" ? decodeJson(req.body) : decodeMetrics(req.body);
      expect(decoded).toEqual(expectedRequest(metrics));
    });
  }

  it("counts data points as the exported items, and sends nothing without points", async () => {
    const sent: [string, number][] = [];
    const transport = { send: (signal: string, _body: unknown, n: number) => (sent.push([signal, n]), Promise.resolve({ status: "success" as const })) };
    const exporter = new OtlpMetricExporter(transport, "http/protobuf", resource);
    const metrics = await collectVaried();
    expect(await exporter.export(metrics)).toEqual({ status: "success" });
    expect(await exporter.export([])).toEqual({ status: "success" });
    expect(await exporter.export([{ ...metrics[0]!, points: [] } as MetricData])).toEqual({ status: "success" });
    expect(sent).toEqual([["metrics", metrics.reduce((n, m) => n + m.points.length, 0)]]);
  });

  it("reports an encoding failure instead of throwing", async () => {
    const transport = { send: () => Promise.reject(new Error("not reached")) };
    const bad = [{ name: "m", description: "", unit: "", scope: { name: "s" }, kind: "nonsense", points: [{}] }] as unknown as MetricData[];
    const result = await new OtlpMetricExporter(transport, "http/json", resource).export(bad);
    expect(result.status).toBe("failure");
    expect(result.message).toMatch(/could not encode metrics/);
  });
});
