import type { DiagLogger } from "../common/types.ts";
import { VERSION } from "../version.ts";
import { endpointProblem } from "./endpoint.ts";
import type { ExportResult, Signal } from "./export-result.ts";
import { originalFetch } from "./original-fetch.ts";
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy } from "./retry.ts";

/** What the transport needs: an exporter's resolved settings plus each signal's endpoint. */
export interface OtlpTransportConfig {
  /** The URL each signal is posted to (see `resolveEndpoints`). */
  endpoints: Record<Signal, string>;
  headers: Record<string, string>;
  protocol: "http/protobuf" | "http/json";
  compression: "gzip" | "none";
  /** Every attempt, wait and response read of one send finishes within this many ms. */
  timeoutMs: number;
  /** Used instead of the original global fetch when given. */
  fetch?: typeof fetch | undefined;
  /** Overrides parts of `DEFAULT_RETRY_POLICY`. */
  retry?: Partial<RetryPolicy> | undefined;
}

/** Sends encoded OTLP requests. */
export interface OtlpTransport {
  /** Posts one encoded export request of `itemCount` items; never rejects. */
  send(signal: Signal, body: Uint8Array | string, itemCount: number): Promise<ExportResult>;
}

// Literals used several times, named once for a smaller bundle.
const FAILURE = "failure";
const RETRYABLE = "retryable";
const CONTENT_ENCODING = "content-encoding";

/**
 * An OTLP/HTTP transport over fetch, with gzip, retries with backoff, an overall deadline and
 * partial-success reporting (https://opentelemetry.io/docs/specs/otlp/#otlphttp). Does nothing
 * until `send` is called.
 */
export function createOtlpTransport(config: OtlpTransportConfig, diag: DiagLogger): OtlpTransport {
  let warnedNoGzip: unknown;
  return {
    async send(signal, body, itemCount) {
      const url = config.endpoints[signal];
      const deadline = Date.now() + config.timeoutMs;
      // Only valid overrides: an undefined or NaN field spread over the defaults would make waits NaN, which
      // setTimeout runs at once, retrying in a burst until the deadline.
      const retry = config.retry as Record<string, number> | undefined;
      const policy = { ...DEFAULT_RETRY_POLICY } as RetryPolicy & Record<string, number>;
      for (const k in retry) if (retry[k]! >= 0) policy[k] = retry[k]!;
      let result: ExportResult;
      try {
        const problem = endpointProblem(url);
        if (problem) throw problem;
        // Looked up per call (never at import) so fetch wrappers installed later are still bypassed.
        const doFetch = config.fetch ?? originalFetch();
        const headers = new Headers(config.headers);
        if (!headers.has("user-agent")) headers.set("user-agent", "edge-otel/" + VERSION);
        headers.set("content-type", "application/" + (config.protocol == "http/json" ? "json" : "x-protobuf"));
        // The body's encoding is ours to state, whatever the configured headers say.
        headers.delete(CONTENT_ENCODING);
        let payload = body as BodyInit;
        if (config.compression == "gzip") {
          // Detected per call: runtimes and polyfills may add CompressionStream after import.
          if (typeof CompressionStream != "undefined") {
            payload = await new Response(new Response(payload).body!.pipeThrough(new CompressionStream("gzip"))).blob();
            headers.set(CONTENT_ENCODING, "gzip");
          } else warnedNoGzip ||= (diag.warn("edge-otel: no CompressionStream"), 1);
        }
        for (let attempt = 1; ; attempt++) {
          const abort = new AbortController();
          // setTimeout's delay is a signed 32-bit int; larger values would fire at once.
          const timer = setTimeout(() => abort.abort(), Math.min(deadline - Date.now(), 2e9));
          let wait!: number;
          try {
            const res = await doFetch(url, { method: "POST", headers, body: payload, signal: abort.signal });
            // Always read (a bounded part of) the body, so the connection is released for reuse.
            const bytes = await readBoundedBody(res);
            const httpStatus = res.status;
            // OTLP/JSON and protobuf are read alike, a key's first letter or the field number picking
            // the field: all three Export*ServiceResponses hold partialSuccess (1) { rejected<Items> (1),
            // errorMessage (2) } (https://opentelemetry.io/docs/specs/otlp/#partial-success-1), and a
            // failure's google.rpc.Status { code (1), message (2), details (3) } its message
            // (https://opentelemetry.io/docs/specs/otlp/#failures-1). Protobuf keys enumerate in
            // ascending order, so "1" comes before "10".
            let n: any, m: any;
            try {
              let o = decode(bytes);
              if (res.ok) {
                o = decode(pick(o, /^[p1]/));
                n = pick(o, /^[r1]/);
              }
              m = utf8(pick(o, /^[em2]/));
            } catch {}
            if (res.ok) result = { status: "success", httpStatus, rejected: +n || undefined, message: m || undefined };
            else {
              // Without a Status message, the body's text, control characters and all runs of space
              // made single spaces.
              m = (m || utf8(bytes)).replace(/[\0- ]+/g, " ").trim().slice(0, 200);
              result = {
                // Throttling and gateway/overload errors; any other status, 400 and 500 too, would recur.
                status: httpStatus == 429 || (httpStatus > 501 && httpStatus < 505) ? RETRYABLE : FAILURE,
                httpStatus,
                message: `HTTP ${httpStatus}${m && ": " + m}`,
              };
              wait = parseRetryAfter(res.headers.get("retry-after"));
            }
          } catch (err) {
            // Our own deadline, not a network error: no time is left for another attempt.
            result = abort.signal.aborted ? { status: FAILURE, message: "timed out" } : { status: RETRYABLE, message: errorMessage(err) };
          } finally {
            clearTimeout(timer);
          }
          if (result.status != RETRYABLE) break;
          if (!(wait >= 0)) wait = backoffDelay(attempt, policy);
          if (attempt >= policy.maxAttempts || Date.now() + wait >= deadline) break;
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
      } catch (err) {
        // Only our own checks and code get here (bad url or header values, say), never fetch errors.
        result = { status: FAILURE, message: errorMessage(err) };
      }
      // Failures always have a message; successes only a partial one. A fixed first argument per
      // kind of problem, so a deduplicating logger can group them.
      if (result.message || result.rejected) {
        diag.warn(`edge-otel: OTLP ${signal} ${result.status == "success" ? "partly rejected" : "failed"}`, url, itemCount + " items", result);
      }
      return result;
    },
  };
}

/**
 * Up to `limit` bytes of a response body (default 64 KiB, far more than any OTLP response needs).
 * Past the limit the stream is cancelled, so the connection is freed rather than drained; a body
 * that breaks off (abort, reset) yields what had arrived.
 */
export async function readBoundedBody(res: Response, limit = 65536): Promise<Uint8Array> {
  const out = new Uint8Array(limit);
  const reader = res.body?.getReader();
  let size = 0;
  try {
    for (let c; reader && size < limit && !(c = await reader.read()).done; size += c.value.length) {
      out.set(c.value.subarray(0, limit - size), size);
    }
  } catch {}
  // Not awaited: cancelling must not hold up the export, and its outcome doesn't matter.
  reader?.cancel().catch(() => {});
  return out.subarray(0, size);
}

/**
 * Each field of a protobuf message by number, the last occurrence winning: varints as numbers,
 * length-delimited fields as their bytes (https://protobuf.dev/programming-guides/encoding/). Bytes
 * that are no such message (malformed, or using the fixed-size wire types, which the messages read
 * here don't) are parsed as JSON, throwing if they aren't that either. Anything but bytes (a parsed
 * JSON value) passes through.
 */
const decode = (bytes: Uint8Array): any => {
  if (!ArrayBuffer.isView(bytes)) return bytes;
  const out: Record<number, unknown> = {};
  let i = 0;
  const varint = (): number => {
    // Arithmetic rather than bit operators, which would cut int64 counts to 32 bits.
    let n = 0;
    for (let scale = 1, c = 128; c > 127; scale *= 128) n += ((c = bytes[i++]!) & 127) * scale;
    return n;
  };
  while (i < bytes.length) {
    const tag = varint();
    const wire = tag & 7;
    const len = wire == 2 ? varint() : wire ? NaN : 0;
    out[tag >> 3] = wire ? bytes.subarray(i, (i += len)) : varint();
  }
  // Not protobuf (a JSON object's "{" would start a group, never valid here), so JSON, or a throw.
  return i == bytes.length ? out : JSON.parse(utf8(bytes));
};

/** The value of the first key of `o` that matches `re`. */
const pick = (o: any, re: RegExp): any => {
  for (const k in o) if (re.test(k)) return o[k];
};

/** Bytes as UTF-8 text, a string as it is, undefined as ""; throws on anything else (a JSON object, say). */
const utf8 = (v: any): string => (typeof v == "string" ? v : new TextDecoder().decode(v));

/** An error's message, or its cause's: Node's fetch says just "fetch failed", its cause what failed. */
const errorMessage = (err: any): string => err?.cause?.message ?? err?.message ?? err;
