import { describe, expect, it } from "vitest";
import { createTelemetry, SimpleSpanProcessor, SpanKind, encodeTraceRequest, encodeTraceRequestJson } from "../src/index.ts";
import { InMemorySpanExporter, attributesToObject, decodeTraceRequest, decodeTraceRequestJson, getAttribute } from "../src/testing/index.ts";

describe("edge-otel/testing", () => {
  it("captures spans in memory and decodes both wire forms", () => {
    const memory = new InMemorySpanExporter();
    const telemetry = createTelemetry({ service: { name: "svc" }, exporters: [], spanProcessors: [new SimpleSpanProcessor(memory)] });
    telemetry.tracer("t").startSpan("op", { kind: SpanKind.CLIENT, attributes: { "k": "v", n: 2 } }).end();
    const spans = memory.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(["op"]);
    expect(attributesToObject(spans[0]!.attributes)).toEqual({ k: "v", n: 2 });
    expect(getAttribute(spans[0]!.attributes, "n")).toBe(2);

    const fromProto = decodeTraceRequest(encodeTraceRequest(telemetry.resource, spans));
    const fromJson = decodeTraceRequestJson(encodeTraceRequestJson(telemetry.resource, spans));
    for (const req of [fromProto, fromJson]) {
      const span = req.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
      expect(span.name).toBe("op");
      expect(span.kind).toBe(3);
      expect(span.attributes.map((kv) => kv.key)).toEqual(["k", "n"]);
    }
    expect(fromJson).toEqual(fromProto);
    memory.reset();
    expect(memory.getFinishedSpans()).toEqual([]);
  });
});

describe("edge-otel/testing for metrics and logs", () => {
  it("keeps log records and metric collections in memory", async () => {
    const { SimpleLogRecordProcessor } = await import("../src/index.ts");
    const { InMemoryLogRecordExporter, InMemoryMetricExporter } = await import("../src/testing/index.ts");
    const logs = new InMemoryLogRecordExporter();
    const metrics = new InMemoryMetricExporter();
    const telemetry = createTelemetry({ exporters: [], logRecordProcessors: [new SimpleLogRecordProcessor(logs)], metricExporters: [metrics] });
    telemetry.logger("l").emit({ body: { order: 7 }, attributes: { tier: "gold" } });
    const counter = telemetry.meter("m").createCounter("orders");
    counter.add(2);
    await telemetry.flush();
    counter.add(3);
    await telemetry.flush();
    expect(logs.getFinishedLogRecords().map((r) => [r.body, attributesToObject(r.attributes)])).toEqual([[{ order: 7 }, { tier: "gold" }]]);
    const latest = metrics.getMetric("orders")!;
    expect(latest.kind === "sum" && latest.points[0]!.value).toBe(5); // cumulative, from the second collection
    expect(metrics.getExported()).toHaveLength(2);
    expect(metrics.getMetric("missing")).toBeUndefined();
  });
});
