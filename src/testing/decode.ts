import { fromBinary, fromJson, toJson, type DescMessage, type JsonValue, type Message } from "@bufbuild/protobuf";
import {
  ExportTraceServiceRequestSchema,
  type ExportTraceServiceRequest,
} from "../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";

/** Decodes an OTLP/protobuf trace export body with the generated codec (for tests and debugging). */
export function decodeTraceRequest(bytes: Uint8Array): ExportTraceServiceRequest {
  return fromBinary(ExportTraceServiceRequestSchema, bytes);
}

/** Decodes an OTLP/JSON trace export body (see decodeOtlpJson). */
export function decodeTraceRequestJson(json: string): ExportTraceServiceRequest {
  return decodeOtlpJson(ExportTraceServiceRequestSchema, json);
}

// OTLP/JSON differs from canonical proto3 JSON: trace and span ids are hex, not base64.
// https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
const ID_FIELDS = new Set(["traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id"]);
const HEX_ID = /^(?:[0-9a-fA-F]{2})*$/;

function mapIds(value: unknown, convert: (id: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapIds(v, convert));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = ID_FIELDS.has(k) && typeof v === "string" ? convert(v) : mapIds(v, convert);
  return out;
}

const hexToBase64 = (hex: string) => btoa(String.fromCharCode(...(hex.match(/../g) ?? []).map((b) => parseInt(b, 16))));
const base64ToHex = (b64: string) => Array.from(atob(b64), (c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");

/**
 * Decodes an OTLP/JSON body of any signal. Hex ids become the base64 that proto3 JSON expects; ids already
 * in base64 (as a generic proto3 JSON encoder writes them, never pure hex at 16 or 8 bytes) pass through.
 * Unknown fields are ignored, as the spec requires of receivers.
 */
export function decodeOtlpJson<S extends DescMessage>(schema: S, json: string): Message & ReturnType<typeof fromJson<S>> {
  const converted = mapIds(JSON.parse(json), (id) => (HEX_ID.test(id) ? hexToBase64(id) : id));
  return fromJson(schema, converted as JsonValue, { ignoreUnknownFields: true });
}

/** A decoded message as an OTLP/JSON value: hex ids, enums as integers, 64-bit integers as strings. */
export function toOtlpJson(schema: DescMessage, message: Message): unknown {
  return mapIds(toJson(schema, message, { enumAsInteger: true }), base64ToHex);
}
