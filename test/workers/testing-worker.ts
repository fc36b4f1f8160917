// edge-otel/testing inside a Worker: an in-memory exporter and the decoders, with no Node built-ins.
import { SimpleSpanProcessor, createTelemetry } from "../../src/index.ts";
import { InMemorySpanExporter, attributesToObject, decodeTraceRequest } from "../../src/testing/index.ts";
import { encodeTraceRequest } from "../../src/otlp/trace-encoder.ts";

export default {
  async fetch(): Promise<Response> {
    const memory = new InMemorySpanExporter();
    const telemetry = createTelemetry({ exporters: [], spanProcessors: [new SimpleSpanProcessor(memory)] });
    telemetry.tracer("t").startSpan("in-worker", { attributes: { answer: 42 } }).end();
    await telemetry.flush();
    const spans = memory.getFinishedSpans();
    const decoded = decodeTraceRequest(encodeTraceRequest(telemetry.resource, spans));
    return Response.json({
      names: spans.map((s) => s.name),
      attributes: attributesToObject(spans[0]!.attributes),
      decodedName: decoded.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.name,
    });
  },
};
