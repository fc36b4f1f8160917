import type { TraceState } from "./span-context.ts";

// One list-member, key=value, with the key and the value as groups.
// https://www.w3.org/TR/trace-context/#list-members : a key is simple, or tenant@system for multi-tenant vendors
// (https://www.w3.org/TR/trace-context/#key); a value is 1–256 printable ASCII but "," and "=", not ending in a space
// (https://www.w3.org/TR/trace-context/#value).
const MEMBER =
  /^([a-z][a-z\d_*/-]{0,255}|[a-z\d][a-z\d_*/-]{0,240}@[a-z][a-z\d_*/-]{0,13})=([ -+\--<>-~]{0,255}[!-+\--<>-~])$/;

// An immutable ordered list of MEMBER matches; 32 at most, so linear lookups beat a Map.
const listTraceState = (list: RegExpExecArray[]): TraceState => {
  const others = (key: string) => list.filter((m) => m[1] != key);
  const state: TraceState = {
    get: (key) => list.find((m) => m[1] == key)?.[2],
    // Puts `key` first and drops from the right to stay within 32 members; ignores invalid input.
    // https://www.w3.org/TR/trace-context/#mutating-the-tracestate-field
    set: (key, value, m = MEMBER.exec(key + "=" + value)) =>
      m ? listTraceState([m, ...others(key)].slice(0, 32)) : state,
    unset: (key) => (list.some((m) => m[1] == key) ? listTraceState(others(key)) : state),
    serialize: () => list.map((m) => m[0]).join(),
  };
  return state;
};

/**
 * A TraceState parsed from a W3C tracestate header value; empty when `raw` is absent or invalid. Empty (or
 * whitespace-only) list-members are skipped, as the spec allows; an invalid member, a duplicate key or more than 32
 * members make the whole header invalid and it is discarded, which the spec permits ("MAY discard the entire header")
 * and its test suite expects: https://www.w3.org/TR/trace-context/#tracestate-header-field-values
 */
export const createTraceState = (raw = ""): TraceState => {
  // trim() drops optional whitespace around members; a value may still start with a space.
  const list = raw
    .split(",")
    .map((m) => m.trim())
    .filter(String)
    .map((m) => MEMBER.exec(m));
  const keys = new Set(list.map((m) => m?.[1]));
  return listTraceState(
    list.length > 32 || keys.has(undefined) || keys.size < list.length ? [] : (list as RegExpExecArray[]),
  );
};
