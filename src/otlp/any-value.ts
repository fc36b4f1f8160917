import type { AttributeList } from "../common/types.ts";
import * as w from "./proto-writer.ts";

/*
 * opentelemetry.proto.common.v1 AnyValue and KeyValue, written straight from our values.
 * https://github.com/open-telemetry/opentelemetry-proto/blob/v1.9.0/opentelemetry/proto/common/v1/common.proto
 * Tags are precomputed `(field << 3) | wireType`: 0 varint, 1 fixed64, 2 length-delimited.
 */

/** The arrays and maps a value is nested in, innermost first. */
export interface Outer {
  readonly v: object;
  readonly up: Outer | undefined;
}

/**
 * Writes the fields of an AnyValue for `v`: string, boolean, number (safe integers as int_value, the rest as
 * double_value), bigint (int_value), Uint8Array (bytes_value), array (array_value; null elements become empty
 * AnyValues), other objects (kvlist_value). null, undefined and anything else leave the AnyValue empty, and
 * so does an array or map inside itself (a cycle) or inside 32 others. `up` is what `v` is nested in.
 * Oneof members are written even when zero, since their presence is the point.
 */
export function writeAnyValue(v: unknown, up?: Outer): void {
  if (typeof v === "string") {
    w.varint(10); // string_value = 1
    w.string(v);
  } else if (typeof v === "bigint" || Number.isSafeInteger(v)) {
    w.varint(24); // int_value = 3
    w.int64(v as number | bigint);
  } else if (typeof v === "number") {
    w.varint(33); // double_value = 4
    w.double(v);
  } else if (typeof v === "boolean") {
    w.varint(16); // bool_value = 2
    w.varint(+v);
  } else if (v instanceof Uint8Array) {
    w.varint(58); // bytes_value = 7
    w.bytes(v);
  } else if (v && typeof v === "object") {
    // Cycles would never end. The depth bound keeps log bodies within the nesting that protobuf parsers
    // accept by default (100 messages in C++ and Java; each level here is up to three).
    let depth = 0;
    for (let o = up; o; o = o.up) if (o.v === v || ++depth >= 32) return;
    const outer = { v, up };
    if (Array.isArray(v)) {
      const start = w.fork(42); // array_value = 5
      for (const x of v) {
        const el = w.fork(10); // ArrayValue.values = 1
        writeAnyValue(x, outer);
        w.join(el);
      }
      w.join(start);
    } else {
      const start = w.fork(50); // kvlist_value = 6
      for (const key of Object.keys(v)) writeKeyValue(10, key, (v as Record<string, unknown>)[key], outer); // KeyValueList.values = 1
      w.join(start);
    }
  }
}

/**
 * Writes one KeyValue as field `tag` (a precomputed length-delimited tag) of the enclosing message; a key
 * with a short primitive value is cached whole, since the same pairs recur span after span. `up` is what
 * the KeyValue is nested in.
 */
export function writeKeyValue(tag: number, key: string, value: unknown, up?: Outer): void {
  const start = w.fork(tag);
  const from = w.recall(key, value);
  if (from !== -1) {
    if (key) {
      w.varint(10); // key = 1
      w.string(key);
    }
    const inner = w.fork(18); // value = 2: a message field, so present even when empty
    writeAnyValue(value, up);
    w.join(inner);
    w.remember(key, value, from);
  }
  w.join(start);
}

/** Writes a flat attribute list `[k0, v0, k1, v1, …]` as repeated KeyValue field `tag` (a precomputed tag). */
export function writeAttributes(tag: number, list: AttributeList | undefined): void {
  if (list) for (let i = 0; i + 1 < list.length; i += 2) writeKeyValue(tag, list[i] as string, list[i + 1]);
}
