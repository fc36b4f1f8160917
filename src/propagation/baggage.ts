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

// Entries are copied in and out so that callers cannot change a Baggage after the fact.
const copy = (e: BaggageEntry): BaggageEntry => (e.metadata === undefined ? { value: e.value } : { value: e.value, metadata: e.metadata });

class MapBaggage implements Baggage {
  readonly #entries: ReadonlyMap<string, BaggageEntry>;
  constructor(entries: ReadonlyMap<string, BaggageEntry>) {
    this.#entries = entries;
  }
  getEntry(key: string): BaggageEntry | undefined {
    const e = this.#entries.get(key);
    return e && copy(e);
  }
  getAllEntries(): [string, BaggageEntry][] {
    return Array.from(this.#entries, ([k, e]) => [k, copy(e)]);
  }
  setEntry(key: string, entry: BaggageEntry): Baggage {
    return new MapBaggage(new Map(this.#entries).set(key, copy(entry)));
  }
  removeEntry(key: string): Baggage {
    if (!this.#entries.has(key)) return this;
    const next = new Map(this.#entries);
    next.delete(key);
    return new MapBaggage(next);
  }
}

/** A Baggage holding `entries`; a string stands for an entry without metadata. */
export function createBaggage(entries: Record<string, BaggageEntry | string> = {}): Baggage {
  const map = new Map<string, BaggageEntry>();
  for (const [k, e] of Object.entries(entries)) map.set(k, typeof e === "string" ? { value: e } : copy(e));
  return new MapBaggage(map);
}

// Symbol.for: two bundled copies of the SDK still share baggage.
const BAGGAGE_KEY: symbol = /*#__PURE__*/ Symbol.for("edge-otel.baggage");

/** The baggage stored in `ctx`, if any. */
export function getBaggage(ctx: Context): Baggage | undefined {
  return ctx.getValue(BAGGAGE_KEY) as Baggage | undefined;
}

/** A copy of `ctx` holding `baggage`. */
export function setBaggage(ctx: Context, baggage: Baggage): Context {
  return ctx.setValue(BAGGAGE_KEY, baggage);
}

/** A copy of `ctx` without baggage. */
export function deleteBaggage(ctx: Context): Context {
  return ctx.deleteValue(BAGGAGE_KEY);
}
