import type { TraceState } from "./span-context.ts";

// https://www.w3.org/TR/trace-context/#key : a simple key, or tenant@system for multi-tenant vendors.
const KEY = /^(?:[a-z][a-z0-9_\-*/]{0,255}|[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13})$/;
// https://www.w3.org/TR/trace-context/#value : 1–256 printable ASCII but "," and "=", not ending in a space.
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
// https://www.w3.org/TR/trace-context/#list : at most 32 list-members.
const MAX_MEMBERS = 32;

type Entry = readonly [key: string, value: string];

// An immutable ordered list; 32 entries at most, so linear lookups beat a Map.
class ListTraceState implements TraceState {
  readonly #entries: readonly Entry[];
  constructor(entries: readonly Entry[]) {
    this.#entries = entries;
  }
  get(key: string): string | undefined {
    return this.#entries.find((e) => e[0] === key)?.[1];
  }
  /** Puts `key` first (https://www.w3.org/TR/trace-context/#mutating-the-tracestate-field); ignores invalid input. */
  set(key: string, value: string): TraceState {
    if (!KEY.test(key) || !VALUE.test(value)) return this;
    // Dropping from the right keeps the list within limits, as the spec suggests.
    const next = [[key, value] as const, ...this.#entries.filter((e) => e[0] !== key)];
    return new ListTraceState(next.slice(0, MAX_MEMBERS));
  }
  unset(key: string): TraceState {
    const next = this.#entries.filter((e) => e[0] !== key);
    return next.length === this.#entries.length ? this : new ListTraceState(next);
  }
  serialize(): string {
    return this.#entries.map((e) => e[0] + "=" + e[1]).join(",");
  }
}

/**
 * Parses a tracestate header. Empty (or whitespace-only) list-members are skipped, as the spec allows; an invalid
 * member, a duplicate key or more than 32 members make the whole header invalid and it is discarded, which the spec
 * permits ("MAY discard the entire header") and its test suite expects:
 * https://www.w3.org/TR/trace-context/#tracestate-header-field-values
 */
function parse(raw: string): Entry[] {
  const entries: Entry[] = [];
  for (const part of raw.split(",")) {
    // trim() drops optional whitespace around members; a value may still start with a space.
    const member = part.trim();
    if (member === "") continue;
    const eq = member.indexOf("=");
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (eq < 0 || !KEY.test(key) || !VALUE.test(value) || entries.length === MAX_MEMBERS) return [];
    if (entries.some((e) => e[0] === key)) return [];
    entries.push([key, value]);
  }
  return entries;
}

/** A TraceState parsed from a W3C tracestate header value; empty when `raw` is absent or invalid. */
export function createTraceState(raw?: string): TraceState {
  return new ListTraceState(raw ? parse(raw) : []);
}
