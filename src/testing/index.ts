// edge-otel/testing: in-memory exporters and decoders for asserting on telemetry in tests.
export { InMemoryExporter } from "./in-memory-exporter.ts";
export { InMemorySpanExporter } from "./in-memory-span-exporter.ts";
export { InMemoryLogRecordExporter, InMemoryMetricExporter } from "./in-memory-signal-exporters.ts";
export { decodeOtlpJson, decodeTraceRequest, decodeTraceRequestJson, toOtlpJson } from "./decode.ts";
export { attributesToObject, getAttribute } from "../common/attributes.ts";
