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
export const INVALID: unique symbol = /*#__PURE__*/ Symbol();

/**
 * A valid, length-limited copy of `value`, or INVALID. Valid: string, number, boolean, int64-range bigint
 * (as OTLP carries integers), or an array of one of those types (null/undefined elements allowed), which
 * is copied; `inArray` rejects arrays, for their elements. https://opentelemetry.io/docs/specs/otel/common/#attribute
 */
export function sanitizeValue(value: unknown, lengthLimit: number, inArray?: boolean): unknown {
  if (typeof value === "string") {
    // Cut to the limit, one code unit fewer when that would split a surrogate pair.
    return value.length > lengthLimit
      ? value.slice(0, (value.charCodeAt(lengthLimit - 1) & 0xfc00) == 0xd800 ? lengthLimit - 1 : lengthLimit)
      : value;
  }
  const t = typeof value;
  if (t == "number" || t == "boolean" || (t == "bigint" && BigInt.asIntN(64, value as bigint) === value)) return value;
  if (inArray || !Array.isArray(value)) return INVALID;
  const out: unknown[] = [];
  let type: string | undefined;
  for (let v of value as unknown[]) {
    // The first non-null element fixes the type; the rest must match it.
    if (v != null && ((type ??= typeof v) !== typeof v || (v = sanitizeValue(v, lengthLimit, true)) === INVALID)) return INVALID;
    out.push(v);
  }
  return out;
}

/**
 * Sets `key` to `value` on a flat attribute list, overwriting an existing key in place. `undefined` and
 * `null` are ignored (the API spec leaves null undefined); an empty key or invalid value is dropped with
 * one warning per reason per `diag`. `isNew` skips the lookup, for a key known not to be in `list`.
 * Returns 1 when a new key was dropped by the count limit (the caller adds it to droppedAttributesCount), else 0.
 */
export function setAttribute(
  list: AttributeList,
  key: string,
  value: unknown,
  limits: AttributeLimits,
  diag: DiagLogger,
  isNew?: boolean,
): 0 | 1 {
  if (value == null) return 0;
  if (typeof key !== "string" || !key) return warnOnce(diag, "key is empty", key);
  // Lists are small (128 keys by default), so a linear scan beats keeping an index.
  let i = isNew ? list.length : 0;
  while (i < list.length && list[i] !== key) i += 2;
  // A full list drops new keys before any work on their values.
  if (i === list.length && i >= limits.countLimit * 2) return 1;
  const v = sanitizeValue(value, limits.valueLengthLimit);
  if (v === INVALID) {
    // Short on purpose: the reasons ship in every bundle.
    return warnOnce(diag, typeof value === "bigint" ? "bigint out of int64 range" : Array.isArray(value) ? "mixed or invalid array" : "invalid type", key);
  }
  list[i] = key;
  list[i + 1] = v;
  return 0;
}

/**
 * Sets every attribute of `attributes` on `list` as `setAttribute` does. Returns how many new keys the
 * count limit dropped.
 */
export function addAttributes(list: AttributeList, attributes: Attributes | undefined, limits: AttributeLimits, diag: DiagLogger): number {
  let dropped = 0;
  // A record's keys are distinct, so on an empty list no key needs looking up.
  const isNew = !list.length;
  for (const key in attributes) dropped += setAttribute(list, key, attributes[key], limits, diag, isNew);
  return dropped;
}

/** The value stored for `key`, or undefined. */
export function getAttribute(list: AttributeList, key: string): unknown {
  for (let i = 0; i < list.length; i += 2) if (list[i] === key) return list[i + 1];
  return undefined;
}

/** The list as a plain object, for tests and debugging. */
export function attributesToObject(list: AttributeList): Record<string, unknown> {
  const pairs: [unknown, unknown][] = [];
  for (let i = 0; i < list.length; i += 2) pairs.push([list[i], list[i + 1]]);
  // fromEntries defines own properties, so even a "__proto__" key shows up.
  return Object.fromEntries(pairs);
}

// The reasons each logger has already been told about; created on first use.
let warned: WeakMap<DiagLogger, Set<string>> | undefined;

function warnOnce(diag: DiagLogger, reason: string, key: unknown): 0 {
  const seen = (warned ??= new WeakMap()).get(diag) ?? new Set();
  if (!seen.has(reason)) {
    warned.set(diag, seen.add(reason));
    diag.warn(`edge-otel: dropped attribute "${String(key)}": ${reason} (reported once)`);
  }
  return 0;
}
