import type { Context } from "../context/context.ts";
import type { BaggageEntry } from "./baggage.ts";
import type { TextMapGetter, TextMapPropagator, TextMapSetter } from "./propagator.ts";
import { createBaggage, getBaggage, setBaggage } from "./baggage.ts";
import { defaultTextMapGetter, defaultTextMapSetter, readField } from "./propagator.ts";

// https://www.w3.org/TR/baggage/#header-content :
//   list-member = key OWS "=" OWS value *( OWS ";" OWS property ), property = key OWS "=" OWS value / key OWS,
//   key = RFC 9110 token, value = *baggage-octet. Groups: key, value, properties (with their leading ";").
const MEMBER =
  /^([!#$%&'*+\-.^`|~\w]+)[ \t]*=[ \t]*([\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*)((?:[ \t]*;[ \t]*[!#$%&'*+\-.^`|~\w]+(?:[ \t]*=[ \t]*[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*)?)*)$/;
// baggage-octet minus "%", which must itself be encoded. https://www.w3.org/TR/baggage/#value
const PLAIN = /^[\x21\x23\x24\x26-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;
const BAD_PERCENT = /%(?![0-9a-f]{2})/i;
// https://www.w3.org/TR/baggage/#limits : whole members only, up to 64 of them and 8192 bytes.
const MAX_MEMBERS = 64;
const MAX_BYTES = 8192;

/** Percent-encodes the UTF-8 bytes of `value` that are not plain baggage-octets. */
function encodeValue(value: string): string {
  if (PLAIN.test(value)) return value;
  let out = "";
  // TextEncoder turns lone surrogates into U+FFFD, where encodeURIComponent would throw.
  for (const b of new TextEncoder().encode(value)) {
    const c = String.fromCharCode(b);
    out += PLAIN.test(c) ? c : "%" + (b < 16 ? "0" : "") + b.toString(16).toUpperCase();
  }
  return out;
}

/** Percent-decodes `value`; undefined for a malformed escape. Bytes that are not UTF-8 become U+FFFD, as the spec says. */
function decodeValue(value: string): string | undefined {
  if (!value.includes("%")) return value;
  if (BAD_PERCENT.test(value)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === "%") {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(value.charCodeAt(i));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/**
 * W3C Baggage: the `baggage` header.
 * https://www.w3.org/TR/baggage/
 */
export class W3CBaggagePropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter = defaultTextMapSetter): void {
    const baggage = getBaggage(ctx);
    if (!baggage) return;
    let header = "";
    let count = 0;
    for (const [key, entry] of baggage.getAllEntries()) {
      const plain = key + "=" + encodeValue(entry.value);
      // A key that is not a token cannot be sent; malformed metadata is dropped rather than break the header.
      if (!MEMBER.test(plain)) continue;
      const props = entry.metadata?.trim();
      const member = props && MEMBER.test(plain + ";" + props) ? plain + ";" + props : plain;
      const size = member.length + (count ? 1 : 0);
      if (header.length + size > MAX_BYTES) continue;
      header += (count ? "," : "") + member;
      if (++count === MAX_MEMBERS) break;
    }
    if (count) setter.set(carrier, "baggage", header);
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter = defaultTextMapGetter): Context {
    // Repeated headers arrive joined with ",", which merges their members.
    const header = readField(getter, carrier, "baggage");
    if (!header) return ctx;
    // Null prototype: a key such as "__proto__" is just a key.
    const entries: Record<string, BaggageEntry> = Object.create(null);
    let count = 0;
    let bytes = 0;
    for (const part of header.split(",")) {
      const member = part.trim();
      const m = MEMBER.exec(member);
      const value = m ? decodeValue(m[2]) : undefined;
      if (!m || value === undefined) continue;
      const size = member.length + (count ? 1 : 0);
      if (bytes + size > MAX_BYTES) continue;
      bytes += size;
      const props = m[3].replace(/^[ \t]*;[ \t]*/, "");
      entries[m[1]] = props ? { value, metadata: props } : { value };
      if (++count === MAX_MEMBERS) break;
    }
    return count ? setBaggage(ctx, createBaggage(entries)) : ctx;
  }

  fields(): string[] {
    return ["baggage"];
  }
}

/** A shared W3C Baggage propagator. */
export const w3cBaggagePropagator: TextMapPropagator = /*#__PURE__*/ new W3CBaggagePropagator();
