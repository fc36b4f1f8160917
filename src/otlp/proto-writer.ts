/**
 * A growable protobuf byte writer, written for the OTLP encoders: no intermediate message tree, nested
 * messages sized once, strings encoded straight into the buffer.
 * https://protobuf.dev/programming-guides/encoding/
 */

const TWO_32 = 4294967296;
// Strings up to this many UTF-16 units go through the hand-written loop, longer ones through
// TextEncoder.encodeInto, which only wins once its call overhead is spread over many characters.
const SHORT_STRING = 32;
// A buffer grown past this is kept only while calls fill a quarter of it, so one huge batch does not pin
// memory in the isolate, yet steady big batches do not regrow it every time.
const RETAIN_BYTES = 1024 * 1024;

let encoder: TextEncoder | undefined;

/** The number of bytes of `v` (a uint32) as a varint. */
export function varintSize(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

/** Protobuf wire encoding into one growable buffer; `finish()` returns a copy of exactly the bytes written. */
export class ProtoWriter {
  buf: Uint8Array;
  pos = 0;
  #view: DataView;

  constructor(size = 4096) {
    this.buf = new Uint8Array(size);
    this.#view = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.#grow(n);
  }

  #grow(n: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.#view = new DataView(next.buffer);
  }

  /** A uint32 varint; also the tag writer, since tags are `(field << 3) | wireType`. */
  uint32(v: number): void {
    this.ensure(5);
    const buf = this.buf;
    let p = this.pos;
    while (v > 0x7f) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p++] = v;
    this.pos = p;
  }

  /** A 64-bit varint from its unsigned 32-bit halves. */
  varint64(lo: number, hi: number): void {
    this.ensure(10);
    const buf = this.buf;
    let p = this.pos;
    while (hi !== 0 || lo > 0x7f) {
      buf[p++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[p++] = lo;
    this.pos = p;
  }

  /** An int64 varint from a safe integer; negatives take ten bytes of two's complement. */
  int64(v: number): void {
    if (v >= 0 && v < TWO_32) {
      this.uint32(v);
      return;
    }
    // ToUint32 is an exact modulo 2^32, for negatives too; the rest is an exact multiple of 2^32.
    const lo = v >>> 0;
    this.varint64(lo, ((v - lo) / TWO_32) >>> 0);
  }

  /** An int64 varint from a bigint, wrapped to 64 bits. */
  bigint64(v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.varint64(Number(u & 0xffffffffn), Number(u >> 32n));
  }

  /** Four little-endian bytes. */
  fixed32(v: number): void {
    this.ensure(4);
    const buf = this.buf;
    const p = this.pos;
    buf[p] = v;
    buf[p + 1] = v >>> 8;
    buf[p + 2] = v >>> 16;
    buf[p + 3] = v >>> 24;
    this.pos = p + 4;
  }

  /** Eight little-endian bytes from the unsigned 32-bit halves. */
  fixed64(lo: number, hi: number): void {
    this.ensure(8);
    const buf = this.buf;
    const p = this.pos;
    buf[p] = lo;
    buf[p + 1] = lo >>> 8;
    buf[p + 2] = lo >>> 16;
    buf[p + 3] = lo >>> 24;
    buf[p + 4] = hi;
    buf[p + 5] = hi >>> 8;
    buf[p + 6] = hi >>> 16;
    buf[p + 7] = hi >>> 24;
    this.pos = p + 8;
  }

  /** An IEEE 754 double, little-endian. */
  double(v: number): void {
    this.ensure(8);
    this.#view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** Length-delimited bytes. */
  bytes(v: Uint8Array): void {
    this.uint32(v.length);
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  /** Length-delimited bytes from a hex string (either case), decoded straight into the buffer. */
  hexBytes(hex: string): void {
    const n = hex.length >>> 1;
    this.uint32(n);
    this.ensure(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < 2 * n; i += 2) {
      const a = hex.charCodeAt(i);
      const b = hex.charCodeAt(i + 1);
      // '0'-'9' are 0x30-0x39 and 'a'-'f'/'A'-'F' are 0x61-0x66/0x41-0x46: bit 6 marks a letter, worth 9 more.
      buf[p++] = (((a & 0xf) + (a >> 6) * 9) << 4) | ((b & 0xf) + (b >> 6) * 9);
    }
    this.pos = p;
  }

  /**
   * A length-delimited UTF-8 string. Lone surrogates become U+FFFD, as TextEncoder does, so the output is
   * valid UTF-8. https://encoding.spec.whatwg.org/#utf-8-encoder
   */
  string(s: string): void {
    const n = s.length;
    // Reserve the length prefix for the all-ASCII case; non-ASCII text may need one byte more, then we shift.
    const reserve = varintSize(n);
    this.ensure(reserve + 3 * n);
    const start = this.pos + reserve;
    let p = start;
    if (n > SHORT_STRING) {
      encoder ??= new TextEncoder();
      p += encoder.encodeInto(s, this.buf.subarray(start)).written;
    } else {
      const buf = this.buf;
      // Most attribute keys and values are ASCII: copy those units in a tight loop, then go on byte by byte.
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p + i] = c;
      }
      p += i;
      for (; i < n; i++) {
        let c = s.charCodeAt(i);
        if (c < 0x80) {
          buf[p++] = c;
        } else if (c < 0x800) {
          buf[p++] = 0xc0 | (c >> 6);
          buf[p++] = 0x80 | (c & 0x3f);
        } else {
          if ((c & 0xf800) === 0xd800) {
            const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
            if (c < 0xdc00 && (d & 0xfc00) === 0xdc00) {
              c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
              i++;
              buf[p++] = 0xf0 | (c >> 18);
              buf[p++] = 0x80 | ((c >> 12) & 0x3f);
              buf[p++] = 0x80 | ((c >> 6) & 0x3f);
              buf[p++] = 0x80 | (c & 0x3f);
              continue;
            }
            c = 0xfffd;
          }
          buf[p++] = 0xe0 | (c >> 12);
          buf[p++] = 0x80 | ((c >> 6) & 0x3f);
          buf[p++] = 0x80 | (c & 0x3f);
        }
      }
    }
    this.#prefix(start, reserve, p - start);
  }

  /**
   * Starts a nested message (after its tag): reserves `reserve` bytes for the length, the caller's guess of
   * its varint size, and returns where the content starts. A good guess saves a copy in `join`.
   */
  fork(reserve: number): number {
    this.ensure(reserve);
    this.pos += reserve;
    return this.pos;
  }

  /** Ends the nested message begun by `fork(reserve)` at `start`: writes its length, moving the content if the guess was off. */
  join(start: number, reserve: number): void {
    this.#prefix(start, reserve, this.pos - start);
  }

  // Writes the varint `len` in the `reserve` bytes before `start`, where `len` content bytes already sit;
  // moves the content when the varint is longer or shorter, since protobuf varints must not be padded.
  #prefix(start: number, reserve: number, len: number): void {
    const size = varintSize(len);
    let end = start + len;
    if (size !== reserve) {
      const shift = size - reserve;
      this.pos = end;
      if (shift > 0) this.ensure(shift);
      this.buf.copyWithin(start + shift, start, end);
      end += shift;
    }
    const buf = this.buf;
    let p = start - reserve;
    while (len > 0x7f) {
      buf[p++] = (len & 0x7f) | 0x80;
      len >>>= 7;
    }
    buf[p] = len;
    this.pos = end;
  }

  /** Discards everything written. */
  reset(): void {
    this.pos = 0;
  }

  /** A copy of the bytes written, which the caller keeps; then resets the writer for reuse. */
  finish(): Uint8Array {
    const out = this.buf.slice(0, this.pos);
    this.pos = 0;
    if (this.buf.length > RETAIN_BYTES && out.length < this.buf.length >> 2) {
      this.buf = new Uint8Array(4096);
      this.#view = new DataView(this.buf.buffer);
    }
    return out;
  }
}

let shared: ProtoWriter | undefined;

/**
 * The writer the synchronous encoders share, reset and ready. Encoding never yields, so one buffer serves
 * every call and grows only to the largest batch (up to a cap).
 */
export function sharedWriter(): ProtoWriter {
  shared ??= new ProtoWriter();
  shared.reset();
  return shared;
}
