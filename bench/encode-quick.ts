// A quick throughput check of the trace encoders (not a test): 10,000 spans with 8 attributes and one event,
// encoded to protobuf and to JSON, against @bufbuild's create + toBinary of the same request as a baseline.
// Run: npx node bench/encode-quick.ts
import { toBinary } from "@bufbuild/protobuf";
import { ExportTraceServiceRequestSchema } from "../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import type { Resource } from "../src/common/types.ts";
import type { ReadableSpan } from "../src/trace/span-record.ts";
import { encodeTraceRequest } from "../src/otlp/trace-encoder.ts";
import { encodeTraceRequestJson } from "../src/otlp/trace-json-encoder.ts";
import { referenceTraceRequest } from "../test/helpers/encoder-reference.ts";

const SPANS = 10_000;
const scope = { name: "edge-otel.bench", version: "0.1.0" };
const resource: Resource = {
  attributes: ["service.name", "checkout", "service.version", "1.4.2", "telemetry.sdk.name", "edge-otel", "cloud.provider", "cloudflare"],
  droppedAttributesCount: 0,
};

function hex(n: number, digits: number): string {
  return n.toString(16).padStart(digits, "0").slice(-digits);
}

const base = 1732240000000.123;
const spans: ReadableSpan[] = [];
for (let i = 0; i < SPANS; i++) {
  const context = { traceId: hex(i * 2654435761, 16) + hex(i + 1, 16), spanId: hex(i + 0x1000, 16), traceFlags: 1 };
  spans.push({
    name: "GET /api/items/{id}",
    kind: 1,
    spanContext: () => context,
    parentSpanId: i % 4 === 0 ? undefined : hex(i + 0xfff, 16),
    parentIsRemote: i % 4 === 1,
    startTime: base + i * 1.25,
    endTime: base + i * 1.25 + 12.3456,
    attributes: [
      "http.request.method", "GET",
      "url.full", `https://shop.example.com/api/items/${i}?expand=price`,
      "http.response.status_code", 200,
      "server.address", "shop.example.com",
      "server.port", 443,
      "user_agent.original", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)",
      "cache.hit", i % 3 === 0,
      "db.duration_ms", 3.25 + i / 7,
    ],
    droppedAttributesCount: 0,
    events: [{ name: "cache.lookup", time: base + i * 1.25 + 1.5, attributes: ["cache.key", `item:${i}`], droppedAttributesCount: 0 }],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0 },
    scope,
  });
}

function measure(label: string, run: () => number, rounds = 15): void {
  for (let i = 0; i < 5; i++) run(); // warm up the JIT
  const rates: number[] = [];
  let bytes = 0;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    bytes = run();
    rates.push(SPANS / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  const median = rates[rates.length >> 1];
  console.log(`${label.padEnd(34)} ${Math.round(median).toLocaleString("en-US").padStart(10)} spans/s  (best ${Math.round(rates[rates.length - 1]).toLocaleString("en-US")}, ${bytes.toLocaleString("en-US")} bytes)`);
}

console.log(`${SPANS.toLocaleString("en-US")} spans, 8 attributes + 1 event each; median of 15 rounds`);
measure("protobuf (encodeTraceRequest)", () => encodeTraceRequest(resource, spans).length);
measure("JSON (encodeTraceRequestJson)", () => encodeTraceRequestJson(resource, spans).length);
measure("baseline: @bufbuild create+toBinary", () => toBinary(ExportTraceServiceRequestSchema, referenceTraceRequest(resource, spans)).length, 5);
