import type { AttributeList, Attributes, DiagLogger } from "./types.ts";

/**
 * The two limits applied to one attribute list.
 * https://opentelemetry.io/docs/specs/otel/common/#attribute-limits
 */
export interface AttributeLimits {
  /** At most this many distinct keys; further new keys are dropped and counted. */
  countLimit: number;
  /** Strings, also inside arrays, are cut to this many UTF-16 code units. */
  valueLengthLimit: number;
}

/** What `sanitizeValue` returns for a value that cannot be an attribute. */
export const INVALID: unique symbol = /*#__PURE__*/ Symbol("edge-otel.invalid-attribute");

// OTLP carries integers as int64: https://opentelemetry.io/docs/specs/otel/common/#attribute
const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/**
 * A valid, length-limited copy of `value`, or INVALID. Valid: string, number, boolean, int64-range bigint,
 * or an array of one of those types (null/undefined elements allowed), which is copied.
 * https://opentelemetry.io/docs/specs/otel/common/#attribute
 */
export function sanitizeValue(value: unknown, lengthLimit: number): unknown {
  switch (typeof value) {
    case "string":
      return value.length > lengthLimit ? truncate(value, lengthLimit) : value;
    case "number":
    case "boolean":
      return value;
    case "bigint":
      return value >= INT64_MIN && value <= INT64_MAX ? value : INVALID;
    case "object":
      return Array.isArray(value) ? sanitizeArray(value, lengthLimit) : INVALID;
    default:
      return INVALID;
  }
}

function sanitizeArray(array: readonly unknown[], lengthLimit: number): unknown {
  const out: unknown[] = [];
  let type: string | undefined;
  for (let i = 0; i < array.length; i++) {
    const v = array[i];
    if (v == null) {
      out.push(v);
      continue;
    }
    const t = typeof v;
    if (t !== type) {
      // The first non-null element fixes the type; the rest must match it.
      if (type !== undefined || (t !== "string" && t !== "number" && t !== "boolean" && t !== "bigint")) return INVALID;
      type = t;
    }
    if (t === "string") out.push((v as string).length > lengthLimit ? truncate(v as string, lengthLimit) : v);
    else if (t === "bigint" && !((v as bigint) >= INT64_MIN && (v as bigint) <= INT64_MAX)) return INVALID;
    else out.push(v);
  }
  return out;
}

// Cuts to `limit` code units, one fewer when that would split a surrogate pair.
function truncate(s: string, limit: number): string {
  const last = s.charCodeAt(limit - 1);
  return s.slice(0, last >= 0xd800 && last <= 0xdbff ? limit - 1 : limit);
}

/**
 * Sets `key` to `value` on a flat attribute list, overwriting an existing key in place. `undefined` and
 * `null` are ignored (the API spec leaves null undefined); an empty key or invalid value is dropped with
 * one warning per reason per `diag`. Returns 1 when a new key was dropped by the count limit (the caller
 * adds it to droppedAttributesCount), else 0.
 */
export function setAttribute(list: AttributeList, key: string, value: unknown, limits: AttributeLimits, diag: DiagLogger): 0 | 1 {
  if (value == null) return 0;
  if (typeof key !== "string" || key === "") {
    warnOnce(diag, EMPTY_KEY, key);
    return 0;
  }
  return put(list, key, value, limits, diag, true);
}

/**
 * Sets every attribute of `attributes` on `list` as `setAttribute` does. Returns how many new keys the
 * count limit dropped.
 */
export function addAttributes(list: AttributeList, attributes: Attributes | undefined, limits: AttributeLimits, diag: DiagLogger): number {
  if (attributes == null) return 0;
  // A record's keys are distinct, so on an empty list no key needs looking up.
  const scan = list.length > 0;
  let dropped = 0;
  for (const key in attributes) {
    const value = attributes[key];
    if (value == null) continue;
    if (key === "") warnOnce(diag, EMPTY_KEY, key);
    else dropped += put(list, key, value, limits, diag, scan);
  }
  return dropped;
}

/** The value stored for `key`, or undefined. */
export function getAttribute(list: AttributeList, key: string): unknown {
  const i = indexOfKey(list, key);
  return i < 0 ? undefined : list[i + 1];
}

/** The list as a plain object, for tests and debugging. */
export function attributesToObject(list: AttributeList): Record<string, unknown> {
  const pairs: [string, unknown][] = [];
  for (let i = 0; i < list.length; i += 2) pairs.push([list[i] as string, list[i + 1]]);
  // fromEntries defines own properties, so even a "__proto__" key shows up.
  return Object.fromEntries(pairs);
}

function put(list: AttributeList, key: string, value: unknown, limits: AttributeLimits, diag: DiagLogger, scan: boolean): 0 | 1 {
  const i = scan ? indexOfKey(list, key) : -1;
  // A full list drops new keys before any work on their values.
  if (i < 0 && list.length >= limits.countLimit * 2) return 1;
  const v = sanitizeValue(value, limits.valueLengthLimit);
  if (v === INVALID) {
    warnOnce(diag, invalidReason(value), key);
    return 0;
  }
  if (i < 0) list.push(key, v);
  else list[i + 1] = v;
  return 0;
}

// Lists are small (128 keys by default), so a linear scan beats keeping an index.
function indexOfKey(list: AttributeList, key: string): number {
  for (let i = 0; i < list.length; i += 2) if (list[i] === key) return i;
  return -1;
}

const EMPTY_KEY = 0;
const BAD_TYPE = 1;
const BAD_ARRAY = 2;
const BIGINT_RANGE = 3;
const REASONS = [
  "the key is empty",
  "the value is not a string, number, boolean, bigint or array of them",
  "the array mixes types or holds non-primitive elements",
  "the bigint is outside the signed 64-bit range",
];

// Only runs once a value was found invalid, to name the reason.
function invalidReason(value: unknown): number {
  if (typeof value === "bigint") return BIGINT_RANGE;
  if (!Array.isArray(value)) return BAD_TYPE;
  for (const v of value) if (typeof v === "bigint" && (v < INT64_MIN || v > INT64_MAX)) return BIGINT_RANGE;
  return BAD_ARRAY;
}

// Which reasons each logger has already been told about, as bits; created on first use.
let warned: WeakMap<DiagLogger, number> | undefined;

function warnOnce(diag: DiagLogger, reason: number, key: unknown): void {
  warned ??= new WeakMap();
  const bits = warned.get(diag) ?? 0;
  if (bits & (1 << reason)) return;
  warned.set(diag, bits | (1 << reason));
  const name = typeof key === "string" ? JSON.stringify(key) : `of type ${typeof key}`;
  diag.warn(`edge-otel: dropped attribute ${name}: ${REASONS[reason]} (later drops for this reason are not reported)`);
}
