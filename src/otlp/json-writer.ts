import type { AttributeList, Resource } from "../common/types.ts";
import { sameScope, type ScopeWithAttributes } from "./common-encoder.ts";
import type { Outer } from "./any-value.ts";
import { msToSecondsNanos } from "./time.ts";

/*
 * The OTLP/JSON writer of the encoders: free functions writing UTF-8 into one module-level buffer, like
 * proto-writer.ts, decoded into a string at the end. That measures well ahead of JSON.stringify over
 * objects, and of string concatenation, whose ropes are slow to flatten; JSON.stringify is kept for values
 * that are rare or cached. OTLP/JSON is the proto3 JSON mapping with lowerCamelCase keys, hex ids, integer
 * enums and 64-bit integers as decimal strings; fields at their default are left out, as the protobuf
 * form leaves them out.
 * https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
 * https://protobuf.dev/programming-guides/json/
 * Every value is followed by a comma; closing an object or array takes back the last one.
 */

// Kept from request to request (batches are of similar sizes), so it holds about twice the largest one.
let buf = /*#__PURE__*/ new Uint8Array(0);
let pos = 0;
let encoder: TextEncoder | undefined;
let decoder: TextDecoder | undefined;

function ensure(n: number): void {
  if (pos + n > buf.length) {
    const old = buf;
    (buf = new Uint8Array(2 * (pos + n))).set(old);
  }
}

/** Writes `s`, ASCII that needs no escaping (punctuation, numbers); as a key (`"s":`) when `key`. */
export function raw(s: string, key?: boolean): void {
  const n = s.length;
  ensure(n + 3);
  const b = buf;
  let p = pos;
  if (key) b[p++] = 34; // "
  for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
  if (key) (b[p++] = 34), (b[p++] = 58); // ":
  pos = p;
}

// Writes JSON text `json` and a comma.
function text(json: string): void {
  ensure(3 * json.length + 1);
  pos += (encoder ??= new TextEncoder()).encodeInto(json + ",", buf.subarray(pos)).written;
}

// toWellFormed is ES2024 (Node 20+, workerd, Deno, Bun), past the es2023 lib the typecheck uses.
/** `s` with lone surrogates as U+FFFD: OTLP strings are UTF-8, so that is what the protobuf form carries. */
export const wellFormed = (s: string): string => (s as unknown as { toWellFormed(): string }).toWellFormed();

/** Writes `s` as a JSON string: printable ASCII in a tight loop, anything else through JSON.stringify. */
export function string(s: string): void {
  const n = s.length;
  ensure(n + 3);
  const b = buf;
  let p = pos;
  b[p++] = 34;
  for (let i = 0, c; i < n; i++) {
    if ((c = s.charCodeAt(i)) < 32 || c > 126 || c === 34 || c === 92) return text(JSON.stringify(wellFormed(s)));
    b[p++] = c;
  }
  b[p++] = 34;
  b[p++] = 44; // ,
  pos = p;
}

/** Writes field `name` (none when `v` is "", 0 or undefined): a string, or a number (uint32, enum). */
export function field(name: string, v: string | number | undefined): void {
  if (v) {
    raw(name, true);
    if (typeof v === "string") string(v);
    else {
      raw(`${v}`);
      raw(",");
    }
  }
}

/** Writes fixed64 nanosecond time field `name` from epoch `ms`, as a decimal string; none when 0. */
export function timeField(name: string, ms: number): void {
  const [s, ns] = msToSecondsNanos(ms);
  if (s) {
    raw(name, true);
    raw('"');
    raw(`${s}`);
    // The nanoseconds in nine digits, in int32 arithmetic (% on doubles is slow), without a string.
    ensure(9);
    for (let i = 9, n = ns | 0; i--; n = (n / 10) | 0) buf[pos + i] = 48 + (n % 10);
    pos += 9;
    raw('",');
  } else field(name, ns && `${ns}`);
}

/** Writes double `v` as proto3 JSON does: a number (-0 kept), NaN and ±Infinity as strings. */
export function double(v: number): void {
  raw(Number.isFinite(v) ? (Object.is(v, -0) ? "-0," : v + ",") : `"${v}",`);
}

/** Opens an object ("{") or array ("["), as field `name` if given. */
export function open(bracket: string, name?: string): void {
  if (name) raw(name, true);
  raw(bracket);
}

/** Closes the innermost object ("}") or array ("]"). */
export function close(bracket: string): void {
  if (buf[pos - 1] === 44) pos--;
  raw(bracket + ",");
}

/** Writes repeated field `name` (none when empty), each item with `write`. */
export function listField<T>(name: string, items: readonly T[], write: (item: T) => unknown): void {
  if (items.length) {
    open("[", name);
    items.forEach(write);
    close("]");
  }
}

/**
 * The AnyValue for `v`, as an object for JSON.stringify, by the rules of writeAnyValue: strings, booleans,
 * safe integers and bigints (int64, as decimal strings), other numbers (doubles; NaN and ±Infinity as
 * strings), Uint8Array (base64), arrays, other objects (kvlist); anything else is the empty AnyValue.
 */
export function anyValue(v: unknown): object {
  return typeof v === "string"
    ? { stringValue: wellFormed(v) }
    : typeof v === "bigint" || Number.isSafeInteger(v)
      ? { intValue: `${typeof v === "bigint" ? BigInt.asIntN(64, v) : v}` }
      : typeof v === "number"
        ? { doubleValue: Number.isFinite(v) ? v : `${v}` }
        : typeof v === "boolean"
          ? { boolValue: v }
          : v instanceof Uint8Array
            ? { bytesValue: btoa(v.reduce((s, b) => s + String.fromCharCode(b), "")) }
            : Array.isArray(v)
              ? { arrayValue: { values: some(Array.from(v, anyValue)) } }
              : v && typeof v === "object"
                ? { kvlistValue: { values: some(Object.entries(v).map((e) => keyValue(...e))) } }
                : {};
}

// A repeated field's items, or undefined (none) when empty.
const some = <T>(items: T[]): T[] | undefined => (items.length ? items : undefined);

/** The KeyValue for `k` and `v`, as an object for JSON.stringify. */
export const keyValue = (k: string, v: unknown): object => ({ key: k ? wellFormed(k) : undefined, value: anyValue(v) });

// The bytes of (key, value) pairs seen before, by key then value: the same pairs recur span after span.
// Objects and long strings are not kept; the cache starts afresh past 1024 pairs.
let cache: Map<string, Map<unknown, Uint8Array>> | undefined;
let cached = 0;

/**
 * Writes the `attributes` (from a flat list `[k0, v0, k1, v1, …]`) and `droppedAttributesCount` fields; the
 * list under field `name` if given (an exemplar's `filteredAttributes`).
 */
export function attributeFields(
  o: {
    readonly attributes?: AttributeList | undefined;
    readonly droppedAttributesCount?: number | undefined;
  },
  name = "attributes",
): void {
  const list = o.attributes;
  if (list && list.length > 1) {
    open("[", name);
    for (let i = 0; i + 1 < list.length; i += 2) {
      const k = list[i] as string;
      const v = list[i + 1];
      let byValue: Map<unknown, Uint8Array> | undefined;
      if (typeof v === "string" ? v.length < 65 : typeof v !== "object") {
        if (!(byValue = (cache ??= new Map()).get(k))) cache.set(k, (byValue = new Map()));
        const bytes = byValue.get(v);
        if (bytes) {
          ensure(bytes.length);
          buf.set(bytes, pos);
          pos += bytes.length;
          continue;
        }
      }
      const start = pos;
      text(JSON.stringify(keyValue(k, v)));
      if (byValue) {
        byValue.set(v, buf.slice(start, pos));
        if (++cached > 1024) (cache = undefined), (cached = 0);
      }
    }
    close("]");
  }
  field("droppedAttributesCount", o.droppedAttributesCount);
}

/**
 * Encodes an Export*ServiceRequest as OTLP/JSON in the shape of the protobuf form (see common-encoder.ts):
 * `{"resource<Kind>":[{"resource":…,"scope<Kind>":[…],"schemaUrl":…}]}`, one `scope<Kind>` entry per
 * distinct scope of `records` in first-seen order, holding that scope's records, each written by `write`,
 * in field `recordsName`.
 */
export function encodeRequestJson<T extends { readonly scope: ScopeWithAttributes }>(
  kind: string,
  recordsName: string,
  resource: Resource,
  records: readonly T[],
  write: (record: T) => void,
): string {
  pos = 0;
  const scopes: ScopeWithAttributes[] = [];
  for (const x of records) if (!scopes.some((s) => sameScope(s, x.scope))) scopes.push(x.scope);
  raw(`{"resource${kind}":[{"resource":{`);
  attributeFields(resource);
  close("}");
  listField("scope" + kind, scopes, (scope) => {
    raw('{"scope":{');
    field("name", scope.name);
    field("version", scope.version);
    attributeFields(scope);
    close("}");
    listField(
      recordsName,
      records.filter((x) => sameScope(x.scope, scope)),
      write,
    );
    field("schemaUrl", scope.schemaUrl);
    close("}");
  });
  field("schemaUrl", resource.schemaUrl);
  close("}]}");
  // Without the comma after the last value.
  return (decoder ??= new TextDecoder()).decode(buf.subarray(0, pos - 1));
}

// Log bodies and log attributes hold any AnyValue, maps and arrays to any depth, and may come from user
// objects with cycles: written straight into the buffer, by the rules of any-value.ts's writeAnyValue.

/**
 * Writes the AnyValue for `v` as `anyValue` describes it, where a cycle, or an array or map inside 32
 * others, is the empty AnyValue, as in the protobuf form. `up` is what `v` is nested in.
 */
export function anyValueTree(v: unknown, up?: Outer): void {
  if (typeof v === "string") {
    raw('{"stringValue":');
    string(v);
  } else if (v && typeof v === "object" && !(v instanceof Uint8Array)) {
    let depth = 0;
    for (let o = up; o; o = o.up) if (o.v === v || ++depth >= 32) return raw("{},");
    const outer = { v, up };
    if (Array.isArray(v)) {
      raw('{"arrayValue":{');
      listField("values", v, (x) => anyValueTree(x, outer));
    } else {
      raw('{"kvlistValue":{');
      const keys = Object.keys(v);
      if (keys.length) {
        open("[", "values");
        for (const k of keys) keyValueTree(k, (v as Record<string, unknown>)[k], outer);
        close("]");
      }
    }
    close("}");
  } else return text(JSON.stringify(anyValue(v)));
  close("}");
}

function keyValueTree(k: string, v: unknown, up?: Outer): void {
  raw("{");
  field("key", k);
  raw("value", true);
  anyValueTree(v, up);
  close("}");
}

/** `attributeFields` for attribute values of any AnyValue (log records'), written by anyValueTree. */
export function attributeFieldsTree(o: { readonly attributes: AttributeList; readonly droppedAttributesCount: number }): void {
  const list = o.attributes;
  if (list.length > 1) {
    open("[", "attributes");
    for (let i = 0; i + 1 < list.length; i += 2) keyValueTree(list[i] as string, list[i + 1]);
    close("]");
  }
  field("droppedAttributesCount", o.droppedAttributesCount);
}
