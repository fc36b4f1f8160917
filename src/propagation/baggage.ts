import type { Context } from "../context/context.ts";

/** One baggage value and its optional W3C properties, kept raw (the text after the first ";"). */
export interface BaggageEntry {
  value: string;
  metadata?: string | undefined;
}

/**
 * Immutable name/value pairs that travel with a request; every change returns a new Baggage.
 * https://opentelemetry.io/docs/specs/otel/baggage/api/
 */
export interface Baggage {
  getEntry(key: string): BaggageEntry | undefined;
  getAllEntries(): [string, BaggageEntry][];
  setEntry(key: string, entry: BaggageEntry): Baggage;
  removeEntry(key: string): Baggage;
}

/** What a context holds under BAGGAGE_KEY: a Baggage, or the entries the W3C propagator extracted. */
export type StoredBaggage = Baggage | Map<string, BaggageEntry>;

// Symbol.for: two bundled copies of the SDK still share baggage. The propagator stores the bare Map of entries it
// extracted and only getBaggage wraps it: a bundle that never reads baggage itself then carries no Baggage methods.
export const BAGGAGE_KEY: symbol = /*#__PURE__*/ Symbol.for("edge-otel.baggage");

// A Baggage over `map`, which is never changed. Entries are copied in and out so that callers cannot change it later.
const mapBaggage = (map: Map<string, BaggageEntry>): Baggage => {
  const bag: Baggage = {
    getEntry: (key, e = map.get(key)) => e && { ...e },
    getAllEntries: () => Array.from(map, ([k, e]) => [k, { ...e }]),
    setEntry: (key, entry) => mapBaggage(new Map(map).set(key, { ...entry })),
    removeEntry: (key, next = new Map(map)) => (next.delete(key) ? mapBaggage(next) : bag),
  };
  return bag;
};

/** A Baggage holding `entries`; a string stands for an entry without metadata. */
export const createBaggage = (entries: Record<string, BaggageEntry | string> = {}): Baggage =>
  mapBaggage(new Map(Object.entries(entries).map(([k, e]) => [k, typeof e == "string" ? { value: e } : { ...e }])));

/** The baggage stored in `ctx`, if any. */
export const getBaggage = (ctx: Context): Baggage | undefined => {
  const stored = ctx.getValue(BAGGAGE_KEY) as StoredBaggage | undefined;
  return stored instanceof Map ? mapBaggage(stored) : stored;
};

/** A copy of `ctx` holding `baggage`. */
export const setBaggage = (ctx: Context, baggage: Baggage): Context => ctx.setValue(BAGGAGE_KEY, baggage);

/** A copy of `ctx` without baggage. */
export const deleteBaggage = (ctx: Context): Context => ctx.deleteValue(BAGGAGE_KEY);
