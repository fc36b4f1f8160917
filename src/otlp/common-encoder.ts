import type { AttributeList, InstrumentationScope, Resource } from "../common/types.ts";
import { writeAttributes } from "./any-value.ts";
import * as w from "./proto-writer.ts";
import { msToNanosParts } from "./time.ts";

/*
 * What the protobuf encoders of all three signals share: field helpers that skip proto3 zero values, and the
 * request envelope. Every Export*ServiceRequest has the same shape: field 1 the one Resource* message, which
 * holds resource = 1, the Scope* messages = 2 (each: scope = 1, records = 2, schema_url = 3), schema_url = 3.
 * https://github.com/open-telemetry/opentelemetry-proto/blob/v1.9.0/opentelemetry/proto/collector
 * Tags are precomputed `(field << 3) | wireType`: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
 */

/** A scope that may carry attributes (scope attributes are in OTLP, though not every SDK sets them). */
export interface ScopeWithAttributes extends InstrumentationScope {
  readonly attributes?: AttributeList | undefined;
  readonly droppedAttributesCount?: number | undefined;
}

const SCOPE_FIELDS = ["name", "version", "schemaUrl", "attributes", "droppedAttributesCount"] as const;
/**
 * Whether two scopes are one on the wire: the same object, or equal fields (absent ones equal to zero
 * values; attributes compare by reference).
 */
export function sameScope(a: ScopeWithAttributes, b: ScopeWithAttributes): boolean {
  return a === b || SCOPE_FIELDS.every((k) => (a[k] || "") === (b[k] || ""));
}

// Scratch for time conversion: a typed array holds the halves unboxed.
const ns = /*#__PURE__*/ new Uint32Array(2);

/** A string field, left out when empty. */
export function stringField(tag: number, s: string | undefined): void {
  if (s) {
    w.varint(tag);
    w.string(s);
  }
}

/** A uint32 (or enum) varint field, left out when 0. */
export function countField(tag: number, n: number | undefined): void {
  if (n) {
    w.varint(tag);
    w.varint(n);
  }
}

/** A bytes field from a hex id, left out when absent or empty. */
export function idField(tag: number, hex: string | undefined): void {
  if (hex) {
    w.varint(tag);
    w.hexBytes(hex);
  }
}

/**
 * Repeated KeyValue `attributes` (length-delimited tag `tag`), then `dropped_attributes_count`, which is
 * always the next field number: its varint tag is 6 more.
 */
export function attributeFields(tag: number, o: { readonly attributes?: AttributeList | undefined; readonly droppedAttributesCount?: number | undefined }): void {
  writeAttributes(tag, o.attributes);
  countField(tag + 6, o.droppedAttributesCount);
}

/** A fixed64 nanosecond time field from epoch ms, left out when 0 (also what out-of-range times become). */
export function timeField(tag: number, ms: number): void {
  msToNanosParts(ms, ns);
  if (ns[0] || ns[1]) {
    w.varint(tag);
    w.fixed32(ns[0]);
    w.fixed32(ns[1]);
  }
}

/**
 * Encodes an Export*ServiceRequest: one Resource* message for `resource`, then one Scope* message per
 * distinct scope of `records`, in first-seen order, in which `write` writes each record of that scope
 * (tag included: field 2).
 */
export function encodeRequest<T extends { readonly scope: ScopeWithAttributes }>(resource: Resource, records: readonly T[], write: (record: T) => void): Uint8Array {
  w.begin();
  // Export*ServiceRequest.resource_* = 1. Batches take 16 KiB to 2 MiB: a three-byte length is likely.
  const rs = w.fork(10, 3);
  const r = w.fork(10, 2); // Resource*.resource = 1
  attributeFields(10, resource); // Resource.attributes = 1, dropped_attributes_count = 2
  w.join(r, 2);
  const scopes: ScopeWithAttributes[] = [];
  for (const x of records) if (!scopes.some((s) => sameScope(s, x.scope))) scopes.push(x.scope);
  for (const scope of scopes) {
    const ss = w.fork(18, 3); // Resource*.scope_* = 2
    const sc = w.fork(10); // Scope*.scope = 1
    stringField(10, scope.name); // name = 1
    stringField(18, scope.version); // version = 2
    attributeFields(26, scope); // attributes = 3, dropped_attributes_count = 4
    w.join(sc);
    for (const x of records) if (sameScope(x.scope, scope)) write(x); // Scope*.<records> = 2
    stringField(26, scope.schemaUrl); // Scope*.schema_url = 3
    w.join(ss, 3);
  }
  stringField(26, resource.schemaUrl); // Resource*.schema_url = 3
  w.join(rs, 3);
  return w.finish();
}
