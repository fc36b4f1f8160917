import type { AttributeList } from "../common/types.ts";
import type { ProtoWriter } from "./proto-writer.ts";

/*
 * opentelemetry.proto.common.v1 AnyValue and KeyValue, written straight from our values.
 * https://github.com/open-telemetry/opentelemetry-proto/blob/v1.9.0/opentelemetry/proto/common/v1/common.proto
 * Tags are precomputed `(field << 3) | wireType`: 0 varint, 1 fixed64, 2 length-delimited.
 */

/**
 * Writes the fields of an AnyValue for `v`: string, boolean, number (safe integers as int_value, the rest as
 * double_value), bigint (int_value), Uint8Array (bytes_value), array (array_value; null elements become empty
 * AnyValues), plain object (kvlist_value). null, undefined and anything else leave the AnyValue empty.
 * Oneof members are written even when zero, since their presence is the point.
 */
export function writeAnyValue(w: ProtoWriter, v: unknown): void {
  switch (typeof v) {
    case "string":
      w.uint32(10); // string_value = 1
      w.string(v);
      return;
    case "number":
      if (Number.isSafeInteger(v)) {
        w.uint32(24); // int_value = 3
        w.int64(v);
      } else {
        w.uint32(33); // double_value = 4
        w.double(v);
      }
      return;
    case "boolean":
      w.uint32(16); // bool_value = 2
      w.uint32(v ? 1 : 0);
      return;
    case "bigint":
      w.uint32(24); // int_value = 3
      w.bigint64(v);
      return;
    case "object":
      if (v === null) return;
      if (Array.isArray(v)) {
        w.uint32(42); // array_value = 5
        const start = w.fork(1);
        for (let i = 0; i < v.length; i++) {
          w.uint32(10); // ArrayValue.values = 1
          const el = w.fork(1);
          writeAnyValue(w, v[i]);
          w.join(el, 1);
        }
        w.join(start, 1);
      } else if (v instanceof Uint8Array) {
        w.uint32(58); // bytes_value = 7
        w.bytes(v);
      } else {
        w.uint32(50); // kvlist_value = 6
        const start = w.fork(1);
        const obj = v as Record<string, unknown>;
        for (const key of Object.keys(obj)) writeKeyValue(w, 10, key, obj[key]); // KeyValueList.values = 1
        w.join(start, 1);
      }
      return;
    default:
      return;
  }
}

/** Writes one KeyValue as field `tag` (a precomputed length-delimited tag) of the enclosing message. */
export function writeKeyValue(w: ProtoWriter, tag: number, key: string, value: unknown): void {
  w.uint32(tag);
  const start = w.fork(1);
  if (key !== "") {
    w.uint32(10); // key = 1
    w.string(key);
  }
  w.uint32(18); // value = 2: a message field, so present even when empty
  const inner = w.fork(1);
  writeAnyValue(w, value);
  w.join(inner, 1);
  w.join(start, 1);
}

/** Writes a flat attribute list `[k0, v0, k1, v1, …]` as repeated KeyValue field `tag` (a precomputed tag). */
export function writeAttributes(w: ProtoWriter, tag: number, list: AttributeList): void {
  for (let i = 0; i + 1 < list.length; i += 2) writeKeyValue(w, tag, list[i] as string, list[i + 1]);
}
