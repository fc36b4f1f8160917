import type { Resource } from "../common/types.ts";
import type { ExportResult, Signal } from "./export-result.ts";
import type { OtlpTransport } from "./http-transport.ts";

/** An OTLP request encoder: protobuf bytes or OTLP/JSON text. */
export type RequestEncoder<T> = (resource: Resource, items: readonly T[]) => Uint8Array | string;

/**
 * The exporter of every signal: encodes a batch as one OTLP export request and sends it through an
 * OTLP/HTTP transport. `count` gives the items the transport reports (spans, data points, log records).
 */
export class OtlpExporter<T> {
  readonly #send: (items: readonly T[]) => Promise<ExportResult>;

  constructor(signal: Signal, transport: OtlpTransport, resource: Resource, encode: RequestEncoder<T>, count: (items: readonly T[]) => number = (i) => i.length) {
    this.#send = (items) => {
      const n = count(items);
      // No empty envelopes: a request with nothing in it tells the receiver nothing.
      if (!n) return Promise.resolve({ status: "success" });
      let body: Uint8Array | string;
      try {
        body = encode(resource, items);
      } catch (e) {
        return Promise.resolve({ status: "failure", message: `could not encode ${signal}: ${String(e)}` });
      }
      return transport.send(signal, body, n);
    };
  }

  export(items: readonly T[]): Promise<ExportResult> {
    return this.#send(items);
  }
}
