// The slow, obviously-correct reference for the trace encoders: our records mapped onto the generated
// @bufbuild/protobuf messages, field by field, so toBinary/toJson can say what the bytes must be.
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import type { AttributeList, Resource } from "../../src/common/types.ts";
import type { ReadableSpan } from "../../src/trace/span-record.ts";
import type { SpanContext } from "../../src/trace/span-context.ts";
import type { ScopeWithAttributes } from "../../src/otlp/trace-encoder.ts";
import { msToNanosBigInt } from "../../src/otlp/time.ts";
import {
  ExportTraceServiceRequestSchema,
  type ExportTraceServiceRequest,
} from "../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import type { AnyValueSchema, KeyValueSchema } from "../../gen/opentelemetry/proto/common/v1/common_pb.js";
import type { SpanSchema, ScopeSpansSchema } from "../../gen/opentelemetry/proto/trace/v1/trace_pb.js";

type AnyValueInit = MessageInitShape<typeof AnyValueSchema>;
type KeyValueInit = MessageInitShape<typeof KeyValueSchema>;
type SpanInit = MessageInitShape<typeof SpanSchema>;
type ScopeSpansInit = MessageInitShape<typeof ScopeSpansSchema>;

/** Hex → bytes through Node's own decoder, independent of the writer's. */
export function hexToBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, "hex"));
}

/**
 * The reference AnyValue mapping (see writeAnyValue for the rules). `up` holds the arrays and maps `v` is
 * nested in: one of them again (a cycle), or a 33rd level, maps to an empty AnyValue.
 */
export function refAnyValue(v: unknown, up: readonly object[] = []): AnyValueInit {
  if (typeof v === "string") return { value: { case: "stringValue", value: v } };
  if (typeof v === "boolean") return { value: { case: "boolValue", value: v } };
  if (typeof v === "number") {
    return Number.isSafeInteger(v)
      ? { value: { case: "intValue", value: BigInt(v) } }
      : { value: { case: "doubleValue", value: v } };
  }
  if (typeof v === "bigint") return { value: { case: "intValue", value: BigInt.asIntN(64, v) } };
  if (v instanceof Uint8Array) return { value: { case: "bytesValue", value: v } };
  if (v === null || typeof v !== "object" || up.includes(v) || up.length >= 32) return {};
  const inner = [...up, v];
  if (Array.isArray(v)) return { value: { case: "arrayValue", value: { values: v.map((x) => refAnyValue(x, inner)) } } };
  const values = Object.entries(v).map(([key, x]): KeyValueInit => ({ key, value: refAnyValue(x, inner) }));
  return { value: { case: "kvlistValue", value: { values } } };
}

/** The reference KeyValue list of a flat attribute list. */
export function refAttributes(list: AttributeList | undefined): KeyValueInit[] {
  const out: KeyValueInit[] = [];
  if (!list) return out;
  for (let i = 0; i + 1 < list.length; i += 2) out.push({ key: list[i] as string, value: refAnyValue(list[i + 1]) });
  return out;
}

function flags(sc: SpanContext, remote: boolean | undefined): number {
  return (sc.traceFlags & 0xff) | 0x100 | (remote ? 0x200 : 0);
}

function refSpan(s: ReadableSpan): SpanInit {
  const sc = s.spanContext();
  const span: SpanInit = {
    traceId: hexToBytes(sc.traceId),
    spanId: hexToBytes(sc.spanId),
    traceState: sc.traceState?.serialize() ?? "",
    parentSpanId: s.parentSpanId ? hexToBytes(s.parentSpanId) : new Uint8Array(0),
    flags: flags(sc, s.parentIsRemote),
    name: s.name,
    kind: s.kind + 1,
    startTimeUnixNano: msToNanosBigInt(s.startTime),
    endTimeUnixNano: msToNanosBigInt(s.endTime),
    attributes: refAttributes(s.attributes),
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events.map((e) => ({
      timeUnixNano: msToNanosBigInt(e.time),
      name: e.name,
      attributes: refAttributes(e.attributes),
      droppedAttributesCount: e.droppedAttributesCount,
    })),
    droppedEventsCount: s.droppedEventsCount,
    links: s.links.map((l) => ({
      traceId: hexToBytes(l.context.traceId),
      spanId: hexToBytes(l.context.spanId),
      traceState: l.context.traceState?.serialize() ?? "",
      attributes: refAttributes(l.attributes),
      droppedAttributesCount: l.droppedAttributesCount,
      flags: flags(l.context, l.context.isRemote),
    })),
    droppedLinksCount: s.droppedLinksCount,
  };
  if (s.status.code !== 0 || s.status.message) span.status = { code: s.status.code, message: s.status.message ?? "" };
  return span;
}

/** Whether two scopes are one on the wire: the same object, or equal fields (attributes by reference). */
export function sameScope(a: ScopeWithAttributes, b: ScopeWithAttributes): boolean {
  return (
    a === b ||
    (a.name === b.name &&
      (a.version ?? "") === (b.version ?? "") &&
      (a.schemaUrl ?? "") === (b.schemaUrl ?? "") &&
      a.attributes === b.attributes &&
      (a.droppedAttributesCount ?? 0) === (b.droppedAttributesCount ?? 0))
  );
}

/** The reference ExportTraceServiceRequest: one ResourceSpans, spans grouped by scope in first-seen order. */
export function referenceTraceRequest(resource: Resource, spans: readonly ReadableSpan[]): ExportTraceServiceRequest {
  const groups: { scope: ScopeWithAttributes; spans: ReadableSpan[] }[] = [];
  for (const span of spans) {
    const group = groups.find((g) => sameScope(g.scope, span.scope));
    if (group) group.spans.push(span);
    else groups.push({ scope: span.scope, spans: [span] });
  }
  const scopeSpans = groups.map(
    (g): ScopeSpansInit => ({
      scope: {
        name: g.scope.name,
        version: g.scope.version ?? "",
        attributes: refAttributes(g.scope.attributes),
        droppedAttributesCount: g.scope.droppedAttributesCount ?? 0,
      },
      spans: g.spans.map(refSpan),
      schemaUrl: g.scope.schemaUrl ?? "",
    }),
  );
  return create(ExportTraceServiceRequestSchema, {
    resourceSpans: [
      {
        resource: {
          attributes: refAttributes(resource.attributes),
          droppedAttributesCount: resource.droppedAttributesCount,
        },
        scopeSpans,
        schemaUrl: resource.schemaUrl ?? "",
      },
    ],
  });
}
