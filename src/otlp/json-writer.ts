/*
 * OTLP/JSON by transcoding our protobuf: a request is encoded by the protobuf encoder, then read back field
 * by field into JSON text. So both forms carry the same fields and zero-value rules by construction, and the
 * strings are already valid UTF-8 (lone surrogates turned into U+FFFD). Far smaller than a second encoder;
 * slower, but JSON is not the default. OTLP/JSON is the proto3 JSON mapping with lowerCamelCase keys, hex
 * ids, integer enums and 64-bit integers as decimal strings.
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
const fieldLists: Record<string, string[]> = {};
const HEX = "0123456789abcdef";

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

// Message `type` from p to `end` as JSON text. Repeated fields are contiguous (our encoder writes them so).
function message(type: string, end: number): string {
  const def = schema[type] ?? COMMON[type];
  const fields = (fieldLists[def] ??= def.split(" "));
  // Pieces joined at the end: a flat string, where += would build a rope that every GC copies.
  const out = ["{"];
  let last = 0;
  let close = ""; // "]" after a repeated field
  while (p < end) {
    const n = varint() >>> 3;
    const field = fields[n - 1];
    const repeated = field[0] === "*";
    const t = field[+repeated];
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
      v = `"${BigInt.asIntN(64, big)}"`;
    } else if (t === "f") {
      v = view.getUint32(p, true);
      p += 4;
    } else if (t === "x" || t === "d") {
      const d = t === "x" ? view.getBigUint64(p, true) : view.getFloat64(p, true);
      // fixed64 and the non-finite doubles ("NaN", "Infinity", "-Infinity") are strings.
      v = Number.isFinite(d) ? d : `"${d}"`;
      p += 8;
    } else {
      const to = varint() + p;
      const bytes = data.subarray(p, to);
      if (t === "s") v = JSON.stringify((decoder ??= new TextDecoder("utf-8", { ignoreBOM: true })).decode(bytes));
      else if (t > "Z") {
        const hex = t === "h";
        v = Array.from(bytes, (b) => (hex ? HEX[b >> 4] + HEX[b & 15] : String.fromCharCode(b))).join("");
        v = `"${hex ? v : btoa(v as string)}"`;
      } else v = message(t, to);
      p = to;
    }
    out.push(n === last ? "," : `${close}${last ? "," : ""}"${field.slice(+repeated + 1)}":${repeated ? "[" : ""}`, v as string);
    close = repeated ? "]" : "";
    last = n;
  }
  out.push(close, "}");
  return out.join("");
}

/**
 * The OTLP/JSON text of `bytes`, a protobuf message of type `type` in `types` (or COMMON), as our encoders
 * return it: at the start of its buffer.
 */
export function protobufToJson(bytes: Uint8Array, types: JsonSchema, type: string): string {
  data = bytes;
  view = new DataView(bytes.buffer);
  p = 0;
  schema = types;
  return message(type, bytes.length);
}
