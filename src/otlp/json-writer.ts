/*
 * OTLP/JSON by transcoding our protobuf: a request is encoded once, by the protobuf encoder, then read back
 * into plain objects for JSON.stringify. Both forms so carry the same fields and zero-value rules by
 * construction, and protobuf strings are already UTF-8, lone surrogates turned into U+FFFD. OTLP/JSON is the
 * proto3 JSON mapping with lowerCamelCase keys, hex ids, integer enums and 64-bit integers as decimal strings.
 * https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
 * https://protobuf.dev/programming-guides/json/
 */

/**
 * Messages by one-letter name: fields in field-number order, space-separated ("-" skips a number), each a
 * type letter (after "*" when repeated) and the JSON name. Types: s string, h bytes as hex (ids), b bytes as
 * base64, u uint32 or enum, i int64, o bool, f fixed32, x fixed64, d double; an upper-case letter, a message.
 */
export type JsonSchema = Record<string, string>;

/** The repeated `attributes` and their `dropped_attributes_count`, which many OTLP messages have. */
export const ATTRIBUTES = "*Kattributes udroppedAttributesCount";

/** common.proto and resource.proto: K KeyValue, A AnyValue, Y ArrayValue, Z KeyValueList, R Resource, I InstrumentationScope. */
export const COMMON: JsonSchema = {
  K: "skey Avalue",
  A: "sstringValue oboolValue iintValue ddoubleValue YarrayValue ZkvlistValue bbytesValue",
  Y: "*Avalues",
  Z: "*Kvalues",
  R: ATTRIBUTES,
  I: "sname sversion " + ATTRIBUTES,
};

let data: Uint8Array;
let view: DataView;
let p = 0;
let schema: JsonSchema;
let decoder: TextDecoder | undefined;
// Per message definition: its fields as [type letter, name, repeated], and an object with every field
// undefined, which each decoded message copies, so all have one fast shape that JSON.stringify is quick on.
const fieldLists: Record<string, [string[][], object]> = {};

function varint(): number {
  let v = 0;
  let scale = 1;
  let b;
  do {
    b = data[p++];
    v += (b & 0x7f) * scale;
    scale *= 128;
  } while (b & 0x80);
  return v;
}

function message(type: string, end: number): Record<string, unknown> {
  const def = schema[type] ?? COMMON[type];
  const fields = def.split(" ").map((f) => (f[0] === "*" ? [f[1], f.slice(2), f] : [f[0], f.slice(1)]));
  const [list, shape] = (fieldLists[def] ??= [fields, Object.fromEntries(fields.map((f) => [f[1]]))]);
  const out: Record<string, unknown> = { ...shape };
  while (p < end) {
    const [t, name, repeated] = list[(varint() >>> 3) - 1];
    let v: unknown;
    if (t === "u") v = varint();
    else if (t === "o") v = varint() > 0;
    else if (t === "i") {
      // Negative int64s take ten bytes, past a double's precision.
      let big = 0n;
      let shift = 0n;
      let b;
      do {
        b = data[p++];
        big |= BigInt(b & 0x7f) << shift;
        shift += 7n;
      } while (b & 0x80);
      v = String(BigInt.asIntN(64, big));
    } else if (t === "f") {
      v = view.getUint32(p, true);
      p += 4;
    } else if (t === "x") {
      v = String(view.getBigUint64(p, true));
      p += 8;
    } else if (t === "d") {
      const d = view.getFloat64(p, true);
      v = Number.isFinite(d) ? d : String(d); // "NaN", "Infinity", "-Infinity"
      p += 8;
    } else {
      const to = varint() + p;
      const bytes = data.subarray(p, to);
      v =
        t === "s"
          ? (decoder ??= new TextDecoder("utf-8", { ignoreBOM: true })).decode(bytes)
          : t === "h"
            ? Array.from(bytes, (b) => (b + 256).toString(16).slice(1)).join("")
            : t === "b"
              ? btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""))
              : message(t, to);
      p = to;
    }
    if (repeated) ((out[name] ??= []) as unknown[]).push(v);
    else out[name] = v;
  }
  return out;
}

/** The OTLP/JSON text of `bytes`, a protobuf message of type `type` in `types` (or COMMON). */
export function protobufToJson(bytes: Uint8Array, types: JsonSchema, type: string): string {
  data = bytes;
  view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  p = 0;
  schema = types;
  return JSON.stringify(message(type, bytes.length));
}
