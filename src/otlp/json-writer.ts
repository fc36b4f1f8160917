import type { AttributeList } from "../common/types.ts";

/*
 * Pieces of OTLP/JSON, built as strings with no intermediate message tree. OTLP/JSON is the proto3 JSON
 * mapping with lowerCamelCase keys, hex ids and integer enums; zero values are left out as in protobuf.
 * https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
 * https://protobuf.dev/programming-guides/json/
 */

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard, padded base64 of `bytes`, the proto3 JSON form of `bytes` fields other than OTLP ids. */
export function base64(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  if (i + 1 === bytes.length) {
    const n = bytes[i] << 16;
    out += B64[n >> 18] + B64[(n >> 12) & 63] + "==";
  } else if (i + 2 === bytes.length) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + "=";
  }
  return out;
}

// A lone surrogate: a high one not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A JSON string literal for `s`. OTLP strings are UTF-8, so lone surrogates become U+FFFD, as in the
 * protobuf form; JSON.stringify would keep them as `\udXXX` escapes, which strict parsers reject.
 */
export function jsonString(s: string): string {
  const j = JSON.stringify(s);
  // JSON.stringify escapes nothing else in that range, so only then is the slower repair needed.
  return j.includes("\\ud") ? JSON.stringify(s.replace(LONE_SURROGATE, "\ufffd")) : j;
}

/** A double as proto3 JSON: a number, or the strings "NaN", "Infinity", "-Infinity". */
export function jsonDouble(v: number): string {
  // Number's own toString is the shortest round-trip form, valid JSON for finite values.
  return Number.isFinite(v) ? String(v) : v > 0 ? '"Infinity"' : v < 0 ? '"-Infinity"' : '"NaN"';
}

/** `,"name":"value"` for a non-empty string field, or "" for an empty (default) one. */
export function jsonStringField(name: string, v: string | undefined): string {
  return v ? ',"' + name + '":' + jsonString(v) : "";
}

/** `,"name":n` for a non-zero uint32 field, or "" for zero. */
export function jsonCountField(name: string, n: number | undefined): string {
  const v = (n ?? 0) >>> 0;
  return v !== 0 ? ',"' + name + '":' + v : "";
}

/**
 * An AnyValue as JSON: the same value mapping as the protobuf writer (safe integers as intValue strings,
 * other numbers as doubleValue, null elements and unknown types as `{}`).
 */
export function jsonAnyValue(v: unknown): string {
  switch (typeof v) {
    case "string":
      return '{"stringValue":' + jsonString(v) + "}";
    case "number":
      return Number.isSafeInteger(v) ? '{"intValue":"' + v + '"}' : '{"doubleValue":' + jsonDouble(v) + "}";
    case "boolean":
      return v ? '{"boolValue":true}' : '{"boolValue":false}';
    case "bigint":
      return '{"intValue":"' + BigInt.asIntN(64, v) + '"}';
    case "object": {
      if (v === null) return "{}";
      if (Array.isArray(v)) {
        if (v.length === 0) return '{"arrayValue":{}}';
        let out = '{"arrayValue":{"values":[';
        for (let i = 0; i < v.length; i++) out += (i ? "," : "") + jsonAnyValue(v[i]);
        return out + "]}}";
      }
      if (v instanceof Uint8Array) return '{"bytesValue":"' + base64(v) + '"}';
      const obj = v as Record<string, unknown>;
      const keys = Object.keys(obj);
      if (keys.length === 0) return '{"kvlistValue":{}}';
      let out = '{"kvlistValue":{"values":[';
      for (let i = 0; i < keys.length; i++) out += (i ? "," : "") + jsonKeyValue(keys[i], obj[keys[i]]);
      return out + "]}}";
    }
    default:
      return "{}";
  }
}

/** A KeyValue as JSON; an empty key is the default, so it is left out as protobuf does. */
export function jsonKeyValue(key: string, value: unknown): string {
  return (key !== "" ? '{"key":' + jsonString(key) + ',"value":' : '{"value":') + jsonAnyValue(value) + "}";
}

/** `,"name":[…]` for a non-empty flat attribute list `[k0, v0, …]`, or "" when it has none. */
export function jsonAttributesField(name: string, list: AttributeList | undefined): string {
  if (!list || list.length < 2) return "";
  let out = ',"' + name + '":[';
  for (let i = 0; i + 1 < list.length; i += 2) out += (i ? "," : "") + jsonKeyValue(list[i] as string, list[i + 1]);
  return out + "]";
}
