/**
 * Reads the little that the exporter needs from OTLP/HTTP response bodies, without a protobuf
 * runtime: the `partial_success` of a successful export and the message of an error `Status`.
 * https://opentelemetry.io/docs/specs/otlp/#partial-success-1
 */

/** What a receiver said it did not accept. */
export interface PartialSuccess {
  /** Items rejected (`rejected_spans`, `rejected_data_points` or `rejected_log_records`). */
  rejected: number;
  /** The receiver's explanation; may be empty. */
  message: string;
}

/**
 * The partial success in an `Export{Trace,Metrics,Logs}ServiceResponse`, or undefined when the
 * body has none (or nothing worth reporting: no rejections and no message). All three responses
 * put `partial_success` at field 1 and, inside it, the count at field 1 and the message at field 2.
 */
export function readPartialSuccess(body: Uint8Array, json: boolean): PartialSuccess | undefined {
  let rejected = 0;
  let message = "";
  if (json) {
    const parsed = parseJson(body);
    // Protobuf's JSON mapping lets a parser accept the proto field names as well as camelCase.
    const ps = parsed?.partialSuccess ?? parsed?.partial_success;
    if (!ps || typeof ps !== "object") return undefined;
    const n =
      ps.rejectedSpans ?? ps.rejectedDataPoints ?? ps.rejectedLogRecords ??
      ps.rejected_spans ?? ps.rejected_data_points ?? ps.rejected_log_records;
    // int64 arrives as a string in OTLP/JSON, though some servers send a number.
    rejected = Number(n ?? 0) || 0;
    const m = ps.errorMessage ?? ps.error_message;
    message = typeof m === "string" ? m : "";
  } else {
    const ok = walk(body, (field, wire, value, start, end) => {
      // Repeated occurrences of an embedded message merge, so visiting each one is correct.
      if (field !== 1 || wire !== 2) return true;
      return walk(body.subarray(start, end), (f, w, v, s, e) => {
        if (f === 1 && w === 0) rejected = v;
        else if (f === 2 && w === 2) message = utf8(body.subarray(start + s, start + e));
        return true;
      });
    });
    if (!ok) return undefined;
  }
  return rejected > 0 || message ? { rejected, message } : undefined;
}

/** The `message` (field 2) of a protobuf `google.rpc.Status` error body, or undefined. */
export function readStatusMessage(body: Uint8Array): string | undefined {
  let message: string | undefined;
  const ok = walk(body, (field, wire, _v, start, end) => {
    if (field === 2 && wire === 2) message = utf8(body.subarray(start, end));
    return true;
  });
  return ok ? message : undefined;
}

/** Parses a JSON body to an object, or undefined. */
export function parseJson(body: Uint8Array): Record<string, any> | undefined {
  try {
    const v: unknown = JSON.parse(utf8(body));
    return v && typeof v === "object" ? (v as Record<string, any>) : undefined;
  } catch {
    return undefined;
  }
}

function utf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/**
 * Calls `visit` for each field of a protobuf message: varints as numbers in `value`, length-delimited
 * fields as their byte range. Returns false on malformed input or when `visit` does.
 * https://protobuf.dev/programming-guides/encoding/
 */
function walk(
  buf: Uint8Array,
  visit: (field: number, wire: number, value: number, start: number, end: number) => boolean,
): boolean {
  let pos = 0;
  const varint = (): number => {
    // Arithmetic rather than bit operators, which would cut int64 counts to 32 bits.
    let result = 0;
    for (let scale = 1, i = 0; i < 10; i++, scale *= 128) {
      if (pos >= buf.length) return -1;
      const b = buf[pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
    }
    return -1;
  };
  while (pos < buf.length) {
    const tag = varint();
    if (tag < 0) return false;
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    let value = 0;
    let start = pos;
    if (wire === 0) {
      value = varint();
      if (value < 0) return false;
    } else if (wire === 2) {
      const len = varint();
      start = pos;
      pos += len;
      if (len < 0 || pos > buf.length) return false;
    } else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
      if (pos > buf.length) return false;
    } else {
      return false; // groups (3, 4) are not used by OTLP; anything else is corrupt
    }
    if (field === 0 || !visit(field, wire, value, start, pos)) return false;
  }
  return true;
}
