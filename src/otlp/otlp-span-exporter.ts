import type { Resource } from "../common/types.ts";
import type { ReadableSpan } from "../trace/span-record.ts";
import type { OtlpTransport } from "./http-transport.ts";
import { OtlpExporter } from "./otlp-exporter.ts";
import { encodeTraceRequest } from "./trace-encoder.ts";
import { encodeTraceRequestJson } from "./trace-json-encoder.ts";

/** Encodes spans as an OTLP ExportTraceServiceRequest and sends them through an OTLP/HTTP transport. */
export class OtlpSpanExporter extends OtlpExporter<ReadableSpan> {
  constructor(transport: OtlpTransport, protocol: "http/protobuf" | "http/json", resource: Resource) {
    super("traces", transport, resource, protocol === "http/json" ? encodeTraceRequestJson : encodeTraceRequest);
  }
}
