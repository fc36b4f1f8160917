import type { Resource } from "../common/types.ts";
import type { SpanExporter } from "../trace/span-exporter.ts";
import type { ReadableSpan } from "../trace/span-record.ts";
import type { ExportResult } from "./export-result.ts";
import type { OtlpTransport } from "./http-transport.ts";
import { encodeTraceRequest } from "./trace-encoder.ts";
import { encodeTraceRequestJson } from "./trace-json-encoder.ts";

/** Encodes spans as an OTLP ExportTraceServiceRequest and sends them through an OTLP/HTTP transport. */
export class OtlpSpanExporter implements SpanExporter {
  readonly #transport: OtlpTransport;
  readonly #json: boolean;
  readonly #resource: Resource;

  constructor(transport: OtlpTransport, protocol: "http/protobuf" | "http/json", resource: Resource) {
    this.#transport = transport;
    this.#json = protocol === "http/json";
    this.#resource = resource;
  }

  export(spans: readonly ReadableSpan[]): Promise<ExportResult> {
    // No empty envelopes: a request with no spans tells the receiver nothing.
    if (spans.length === 0) return Promise.resolve({ status: "success" });
    let body: Uint8Array | string;
    try {
      body = this.#json ? encodeTraceRequestJson(this.#resource, spans) : encodeTraceRequest(this.#resource, spans);
    } catch (e) {
      return Promise.resolve({ status: "failure", message: `could not encode spans: ${String(e)}` });
    }
    return this.#transport.send("traces", body, spans.length);
  }
}
