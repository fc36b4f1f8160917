import type { Context } from "../context/context.ts";
import type { Baggage, BaggageEntry, StoredBaggage } from "./baggage.ts";
import type { TextMapGetter, TextMapPropagator, TextMapSetter } from "./propagator.ts";
import { BAGGAGE_KEY } from "./baggage.ts";
import { defaultTextMapSetter, readField } from "./propagator.ts";

// String.prototype.toWellFormed is ES2024, newer than our TS lib; every runtime we target has it.
type WellFormed = string & { toWellFormed(): string };

const BAGGAGE = "baggage";
// https://www.w3.org/TR/baggage/#header-content : a list-member is key OWS "=" OWS value, then ";"-separated
// properties (key OWS "=" OWS value, or key OWS), with OWS around each. So one pattern checks every ";"-separated
// part: group 1 is the key (an RFC 9110 token), group 2 the value (baggage-octets), undefined without "=".
const PART = /^[ \t]*([!#-'*+.^`|~\w-]+)[ \t]*(?:=[ \t]*([!#-+\--:<-[\]-~]*))?[ \t]*$/;

/** The leading whole members that fit https://www.w3.org/TR/baggage/#limits : 64 and 8192 bytes, with the commas. */
const fit = (members: (string | undefined)[], bytes = -1): string[] =>
  members.filter((m) => m && bytes + m.length < 8192 && (bytes += m.length + 1)).slice(0, 64) as string[];

/**
 * The key and entry of a list-member, or undefined when it is invalid. The value is percent-decoded as UTF-8 (bytes
 * that are not UTF-8 become U+FFFD, https://www.w3.org/TR/baggage/#value) and a malformed escape makes the member
 * invalid; properties are kept raw.
 */
const parse = (member: string): [string, BaggageEntry] | undefined => {
  const [kv, ...props] = member.split(";");
  const m = PART.exec(kv!);
  const v = m?.[2];
  const metadata = props.join(";").trim();
  if (v != null && !/%(?![\da-f]{2})/i.test(v) && props.every((p) => PART.test(p))) {
    // Every "%" now starts an escape, so unescape (ECMA-262 B.2.1.2) yields exactly the bytes, as Latin-1 code units.
    // ignoreBOM: a value may start with U+FEFF, which the default decoder would strip.
    const value = new TextDecoder("utf-8", { ignoreBOM: true }).decode(Uint8Array.from(unescape(v), (c) => c.charCodeAt(0)));
    return [m![1]!, { value, ...(metadata && { metadata }) }];
  }
};

/**
 * W3C Baggage: the `baggage` header.
 * https://www.w3.org/TR/baggage/
 */
export class W3CBaggagePropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter = defaultTextMapSetter): void {
    const stored = ctx.getValue(BAGGAGE_KEY) as StoredBaggage | undefined;
    // A Baggage (setBaggage), or the Map that extract stored, which has no getAllEntries.
    const entries = ((stored as Baggage | undefined)?.getAllEntries?.() ?? stored ?? []) as Iterable<
      [string, BaggageEntry]
    >;
    const members = fit(
      Array.from(entries, ([key, { value, metadata = "" }]) => {
        // Percent-encode what is not a baggage-octet, and "%" (https://www.w3.org/TR/baggage/#value); lone surrogates
        // become U+FFFD, where encodeURIComponent would throw.
        // String(): a number from plain JS callers must not throw and lose every other entry.
        const plain =
          key + "=" + (String(value) as WellFormed).toWellFormed().replace(/[^!#$&-+\--:<-[\]-~]+/g, encodeURIComponent);
        // Malformed metadata is dropped rather than break the header; a key that is not a token cannot be sent.
        return [plain + ";" + String(metadata).trim(), plain].find((m) => parse(m)?.[0] == key);
      }),
    );
    if (members[0]) setter.set(carrier, BAGGAGE, members.join());
  }

  extract(ctx: Context, carrier: unknown, getter?: TextMapGetter): Context {
    // Repeated headers arrive joined with ",", which merges their members. The last of duplicate keys wins.
    const members = fit(readField(getter, carrier, BAGGAGE).split(",").map((m) => parse((m = m.trim())) && m));
    return members[0] ? ctx.setValue(BAGGAGE_KEY, new Map(members.map(parse) as [string, BaggageEntry][])) : ctx;
  }

  fields(): string[] {
    return [BAGGAGE];
  }
}

/** A shared W3C Baggage propagator. */
export const w3cBaggagePropagator: TextMapPropagator = /*#__PURE__*/ new W3CBaggagePropagator();
