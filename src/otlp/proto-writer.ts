/*
 * The protobuf writer of the OTLP encoders: free functions over one module-level buffer, since encoding is
 * synchronous (and free functions minify smallest). No message tree: a nested message reserves its length,
 * which is filled in at the end. https://protobuf.dev/programming-guides/encoding/
 */

let buf!: Uint8Array;
let view!: DataView;
let pos = 0;
// The size of the buffer the next message starts in: a quarter over the last message's.
let next = 4096;

// Bytes of (group, value) pairs seen before: attribute keys, names and many values repeat from span to
// span, and copying bytes beats encoding them again. Bounded: values of at most 64 UTF-16 units, entries of
// at most 255 bytes, in a store of STORE bytes that starts afresh when full.
const STORE = 32768;
let cache: Map<unknown, Map<unknown, number>> | undefined;
let store!: Uint8Array;
let storeView!: DataView;
let storePos = 0;

function alloc(size: number): void {
  buf = new Uint8Array(size);
  view = new DataView(buf.buffer);
}

/** Starts a message, discarding what was written; `size` replaces the buffer (tests force growth with it). */
export function begin(size?: number): void {
  pos = 0;
  alloc(size ?? next);
}

function ensure(n: number): void {
  if (pos + n > buf.length) {
    const old = buf;
    alloc(Math.max(2 * old.length, pos + n));
    buf.set(old);
  }
}

/** A varint from the unsigned 32-bit halves of a uint64 (`hi` 0 for a uint32); also the tag writer. */
export function varint(lo: number, hi = 0): void {
  ensure(10);
  while (hi || lo > 0x7f) {
    buf[pos++] = lo | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  buf[pos++] = lo;
}

/**
 * An int64 varint, or with `fixed` eight little-endian bytes (fixed64/sfixed64), from a safe integer or a
 * bigint (wrapped to 64 bits); negative varints take ten bytes.
 */
export function int64(v: number | bigint, fixed?: boolean): void {
  const put = fixed ? fixed64 : varint;
  if (typeof v === "bigint") {
    const u = BigInt.asUintN(64, v);
    put(Number(u & 0xffffffffn), Number(u >> 32n));
  } else {
    // ToUint32 is exact modulo 2^32, for negatives too; dividing by 2^32 and flooring is exact as well.
    put(v >>> 0, Math.floor(v / 4294967296) >>> 0);
  }
}

/** A sint32 varint: zigzag-encoded, so small negatives stay short. */
export function sint32(v: number): void {
  varint(((v << 1) ^ (v >> 31)) >>> 0);
}

/** Four little-endian bytes. */
export function fixed32(v: number): void {
  ensure(4);
  view.setUint32(pos, v, true);
  pos += 4;
}

/** Eight little-endian bytes from the unsigned 32-bit halves. */
export function fixed64(lo: number, hi: number): void {
  fixed32(lo);
  fixed32(hi);
}

/** An IEEE 754 double, little-endian. */
export function double(v: number): void {
  ensure(8);
  view.setFloat64(pos, v, true);
  pos += 8;
}

/** Length-delimited bytes. */
export function bytes(v: Uint8Array): void {
  varint(v.length);
  ensure(v.length);
  buf.set(v, pos);
  pos += v.length;
}

/** Length-delimited bytes from a hex string (either case), decoded straight into the buffer. */
export function hexBytes(hex: string): void {
  const n = hex.length >>> 1;
  varint(n);
  ensure(n);
  for (let i = 0; i < 2 * n; i += 2) {
    const a = hex.charCodeAt(i);
    const b = hex.charCodeAt(i + 1);
    // '0'-'9' are 0x30-0x39 and 'a'-'f'/'A'-'F' are 0x61-0x66/0x41-0x46: bit 6 marks a letter, worth 9 more.
    buf[pos++] = (((a & 0xf) + (a >> 6) * 9) << 4) | ((b & 0xf) + (b >> 6) * 9);
  }
}

/** Packed repeated field `tag`: `each` writes every one of `values`; nothing at all when there are none. */
export function packed<T>(tag: number, values: readonly T[], each: (v: T) => void): void {
  if (values.length) {
    const start = fork(tag);
    for (let i = 0; i < values.length; i++) each(values[i]);
    join(start);
  }
}

let encoder: TextEncoder | undefined;

/**
 * A length-delimited UTF-8 string: ASCII in a tight loop; from the first other character on, TextEncoder,
 * which also turns lone surrogates into U+FFFD, so the output is valid UTF-8.
 * https://encoding.spec.whatwg.org/#utf-8-encoder
 */
export function string(s: string): void {
  const n = s.length;
  // One byte of length fits most strings; join moves the bytes when a longer one needs more.
  ensure(1 + 3 * n);
  const start = ++pos;
  let i = 0;
  for (let c; i < n && (c = s.charCodeAt(i)) < 0x80; i++) buf[start + i] = c;
  pos = start + i;
  if (i < n) pos += (encoder ??= new TextEncoder()).encodeInto(s.slice(i), buf.subarray(pos)).written;
  join(start);
}

/**
 * Starts nested message field `tag`: writes the tag, reserves `reserve` bytes for the length, a guess of the
 * varint's size, and returns where the content starts. A good guess saves a move in `join`.
 */
export function fork(tag: number, reserve = 1): number {
  varint(tag);
  ensure(reserve);
  return (pos += reserve);
}

/**
 * Ends the nested message begun by `fork(tag, reserve)` at `start`: writes its length, moving the content
 * when the varint is longer or shorter than reserved, since protobuf varints must not be padded.
 */
export function join(start: number, reserve = 1): void {
  let len = pos - start;
  let shift = 1 - reserve;
  for (let l = len; l > 0x7f; l >>>= 7) shift++;
  if (shift) {
    ensure(shift);
    buf.copyWithin(start + shift, start, pos);
    pos += shift;
  }
  let p = start - reserve;
  while (len > 0x7f) {
    buf[p++] = len | 0x80;
    len >>>= 7;
  }
  buf[p] = len;
}

/**
 * Writes the bytes cached for (group, v) and returns -1. Otherwise returns what to give `remember` after
 * writing them: the position, or -2 when v is an object or a long string, which are not cached.
 */
export function recall(group: unknown, v: unknown): number {
  if (typeof v === "string" ? v.length > 64 : typeof v === "object") return -2;
  const at = cache?.get(group)?.get(v);
  if (at === undefined) return pos;
  const len = at & 0xff;
  ensure(len + 3);
  // Copied a word at a time, several times faster than bytes in V8; the bytes past the end are scratch.
  for (let i = 0; i < len; i += 4) view.setInt32(pos + i, storeView.getInt32((at >>> 8) + i));
  pos += len;
  return -1;
}

/** Caches the bytes written since `from` (which `recall` returned) as those of (group, v). */
export function remember(group: unknown, v: unknown, from: number): void {
  const len = pos - from;
  if (from < 0 || len > 255) return;
  if (!cache || storePos + len > STORE) {
    cache = new Map();
    storePos = 0;
    store = new Uint8Array(STORE + 3); // + 3: copy reads whole words
    storeView = new DataView(store.buffer);
  }
  let m = cache.get(group);
  if (!m) cache.set(group, (m = new Map()));
  m.set(v, (storePos << 8) | len);
  while (from < pos) store[storePos++] = buf[from++];
}

/**
 * The bytes written, as a view of a buffer that the caller then owns: handing the buffer over saves copying
 * the message. The next message starts in a new buffer, sized from this one.
 */
export function finish(): Uint8Array {
  next = Math.max(4096, pos + (pos >> 2));
  return buf.subarray(0, pos);
}
