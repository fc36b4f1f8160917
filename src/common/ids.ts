// Random ids come from crypto.getRandomValues, read in blocks so one call serves many ids.
const POOL_BYTES = 1024;
let pool: Uint8Array | undefined;
let offset = POOL_BYTES;

const HEX: string[] = [];

function hex(bytes: number): string {
  if (HEX.length === 0) for (let i = 0; i < 256; i++) HEX.push((i < 16 ? "0" : "") + i.toString(16));
  if (offset + bytes > POOL_BYTES) {
    pool ??= new Uint8Array(POOL_BYTES);
    crypto.getRandomValues(pool);
    offset = 0;
  }
  const p = pool!;
  let out = "";
  let zero = true;
  for (let i = 0; i < bytes; i++) {
    const b = p[offset++]!;
    if (b !== 0) zero = false;
    out += HEX[b];
  }
  // An all-zero id is invalid (W3C trace context): draw again. Odds: 2^-64 or less.
  return zero ? hex(bytes) : out;
}

/** A random, valid 32-hex-digit trace id. */
export function randomTraceId(): string {
  return hex(16);
}

/** A random, valid 16-hex-digit span id. */
export function randomSpanId(): string {
  return hex(8);
}
