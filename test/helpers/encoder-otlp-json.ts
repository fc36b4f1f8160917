// Turns an OTLP/JSON trace request (like the official example) into our resource and span records, so the
// JSON encoder can be checked against the example it should reproduce. Covers the fields the trace example
// uses and the rest of Span; integral doubleValues cannot round-trip (our numbers say int or double by value).
import type { AttributeList, Resource } from "../../src/common/types.ts";
import type { ReadableSpan, SpanKind, SpanStatusCode } from "../../src/trace/span-record.ts";
import type { ScopeWithAttributes } from "../../src/otlp/trace-encoder.ts";
import { spanOf, traceStateOf } from "./encoder-arbitraries.ts";

interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number | string;
  bytesValue?: string;
  arrayValue?: { values?: JsonAnyValue[] };
  kvlistValue?: { values?: JsonKeyValue[] };
}
interface JsonKeyValue {
  key?: string;
  value?: JsonAnyValue;
}
interface JsonSpanContextish {
  traceId: string;
  spanId: string;
  traceState?: string;
  flags?: number;
  attributes?: JsonKeyValue[];
  droppedAttributesCount?: number;
}
interface JsonSpan extends JsonSpanContextish {
  parentSpanId?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  events?: { timeUnixNano?: string; name?: string; attributes?: JsonKeyValue[]; droppedAttributesCount?: number }[];
  droppedEventsCount?: number;
  links?: JsonSpanContextish[];
  droppedLinksCount?: number;
  status?: { code?: number; message?: string };
}
/** The OTLP/JSON ExportTraceServiceRequest shape, as far as the conversion reads it. */
export interface JsonTraceRequest {
  resourceSpans: {
    resource?: { attributes?: JsonKeyValue[]; droppedAttributesCount?: number };
    scopeSpans?: {
      scope?: { name?: string; version?: string; attributes?: JsonKeyValue[]; droppedAttributesCount?: number };
      spans?: JsonSpan[];
      schemaUrl?: string;
    }[];
    schemaUrl?: string;
  }[];
}

function value(v: JsonAnyValue | undefined): unknown {
  if (!v) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) {
    const n = Number(v.intValue);
    return Number.isSafeInteger(n) ? n : BigInt(v.intValue);
  }
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (v.bytesValue !== undefined) return new Uint8Array(Buffer.from(v.bytesValue, "base64"));
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(value);
  if (v.kvlistValue) return Object.fromEntries((v.kvlistValue.values ?? []).map((kv) => [kv.key ?? "", value(kv.value)]));
  return null;
}

function attributes(list: JsonKeyValue[] | undefined): AttributeList {
  return (list ?? []).flatMap((kv) => [kv.key ?? "", value(kv.value)]);
}

// Decimal uint64 nanoseconds → epoch ms with a fraction (exact for whole microseconds of current-era times).
function ms(nanos: string | undefined): number {
  if (!nanos) return 0;
  const n = BigInt(nanos);
  return Number(n / 1000000n) + Number(n % 1000000n) / 1e6;
}

/** One batch (resource and spans) per ResourceSpans of `req`. */
export function recordsFromOtlpJson(req: JsonTraceRequest): { resource: Resource; spans: ReadableSpan[] }[] {
  return req.resourceSpans.map((rs) => {
    const resource: Resource = {
      attributes: attributes(rs.resource?.attributes),
      droppedAttributesCount: rs.resource?.droppedAttributesCount ?? 0,
      ...(rs.schemaUrl ? { schemaUrl: rs.schemaUrl } : {}),
    };
    const spans: ReadableSpan[] = [];
    for (const ss of rs.scopeSpans ?? []) {
      const scope: ScopeWithAttributes = {
        name: ss.scope?.name ?? "",
        version: ss.scope?.version,
        schemaUrl: ss.schemaUrl,
        attributes: attributes(ss.scope?.attributes),
        droppedAttributesCount: ss.scope?.droppedAttributesCount ?? 0,
      };
      for (const s of ss.spans ?? []) {
        const flags = s.flags ?? 0;
        spans.push(
          spanOf({
            name: s.name ?? "",
            kind: ((s.kind ?? 1) - 1) as SpanKind,
            context: {
              traceId: s.traceId.toLowerCase(),
              spanId: s.spanId.toLowerCase(),
              traceFlags: flags & 0xff,
              ...(s.traceState ? { traceState: traceStateOf(s.traceState) } : {}),
            },
            parentSpanId: s.parentSpanId?.toLowerCase(),
            parentIsRemote: (flags & 0x200) !== 0,
            startTime: ms(s.startTimeUnixNano),
            endTime: ms(s.endTimeUnixNano),
            attributes: attributes(s.attributes),
            droppedAttributesCount: s.droppedAttributesCount ?? 0,
            events: (s.events ?? []).map((e) => ({
              name: e.name ?? "",
              time: ms(e.timeUnixNano),
              attributes: attributes(e.attributes),
              droppedAttributesCount: e.droppedAttributesCount ?? 0,
            })),
            droppedEventsCount: s.droppedEventsCount ?? 0,
            links: (s.links ?? []).map((l) => ({
              context: {
                traceId: l.traceId.toLowerCase(),
                spanId: l.spanId.toLowerCase(),
                traceFlags: (l.flags ?? 0) & 0xff,
                isRemote: ((l.flags ?? 0) & 0x200) !== 0,
                ...(l.traceState ? { traceState: traceStateOf(l.traceState) } : {}),
              },
              attributes: attributes(l.attributes),
              droppedAttributesCount: l.droppedAttributesCount ?? 0,
            })),
            droppedLinksCount: s.droppedLinksCount ?? 0,
            status: { code: (s.status?.code ?? 0) as SpanStatusCode, message: s.status?.message ?? "" },
            scope,
          }),
        );
      }
    }
    return { resource, spans };
  });
}
