import type { Resource } from "../common/types.ts";
import type { ReadableLogRecord } from "../logs/log-record.ts";
import type { OtlpTransport } from "./http-transport.ts";
import { encodeLogsRequest } from "./logs-encoder.ts";
import { encodeLogsRequestJson } from "./logs-json-encoder.ts";
import { OtlpExporter } from "./otlp-exporter.ts";

/** Encodes log records as an OTLP ExportLogsServiceRequest and sends them through an OTLP/HTTP transport. */
export class OtlpLogExporter extends OtlpExporter<ReadableLogRecord> {
  constructor(transport: OtlpTransport, protocol: "http/protobuf" | "http/json", resource: Resource) {
    super("logs", transport, resource, protocol === "http/json" ? encodeLogsRequestJson : encodeLogsRequest);
  }
}
