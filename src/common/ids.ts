// Random ids come from crypto.getRandomValues, read in blocks so one call serves many ids.
const POOL_BYTES = 1024;
let pool: Uint8Array | undefined;
let offset = POOL_BYTES;

// Hex digit char codes, written into a reused array and made a string in one call: concatenation would
// leave each id as a chain of string pieces, about 4x its size, for as long as the span lives (measured:
// 465 against 97 bytes per trace and span id pair).
const trace: number[] = /*#__PURE__*/ Array(32).fill(0);
const span: number[] = /*#__PURE__*/ Array(16).fill(0);

function hex(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    pool ??= new Uint8Array(POOL_BYTES);
    crypto.getRandomValues(pool);
    offset = 0;
  }
  const p = pool!;
  const c = bytes === 16 ? trace : span;
  let any = 0;
  for (let i = 0; i < bytes; i++) {
    const b = p[offset++]!;
    any |= b;
    const hi = b >> 4;
    const lo = b & 15;
    c[2 * i] = hi + (hi < 10 ? 48 : 87);
    c[2 * i + 1] = lo + (lo < 10 ? 48 : 87);
  }
  // An all-zero id is invalid (W3C trace context): draw again. Odds: 2^-64 or less.
  return any ? String.fromCharCode.apply(null, c) : hex(bytes);
}

/** A random, valid 32-hex-digit trace id. */
export function randomTraceId(): string {
  return hex(16);
}

/** A random, valid 16-hex-digit span id. */
export function randomSpanId(): string {
  return hex(8);
}
