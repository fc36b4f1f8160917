import type { DiagLogger } from "../common/types.ts";
import { VERSION } from "../version.ts";
import { endpointProblem } from "./endpoint.ts";
import type { ExportResult, Signal } from "./export-result.ts";
import { originalFetch } from "./original-fetch.ts";
import { parseJson, readPartialSuccess, readStatusMessage } from "./partial-success.ts";
import { backoffDelay, DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, type RetryPolicy } from "./retry.ts";

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

/** Response bodies are read up to this many bytes; the rest is cancelled so the connection is freed. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** The longest part of a response body quoted in a failure message. */
const SNIPPET_CHARS = 200;

/** One attempt's result, and whether and when to try again. */
interface Attempt {
  result: ExportResult;
  retry: boolean;
  retryAfterMs?: number | undefined;
  /** Set when our own deadline cut the attempt short. */
  timedOut?: boolean;
}

/**
 * An OTLP/HTTP transport over fetch, with gzip, retries with backoff, an overall deadline and
 * partial-success reporting (https://opentelemetry.io/docs/specs/otlp/#otlphttp). Does nothing
 * until `send` is called.
 */
export function createOtlpTransport(config: OtlpTransportConfig, diag: DiagLogger): OtlpTransport {
  let warnedNoGzip = false;

  const warn = (what: string, signal: Signal, detail: string): void => {
    // A fixed first argument per kind of problem, so a deduplicating logger can group them.
    diag.warn(`edge-otel: OTLP ${signal} export ${what}`, detail);
  };

  const send = async (signal: Signal, body: Uint8Array | string, itemCount: number): Promise<ExportResult> => {
    const started = Date.now();
    const deadline = started + config.timeoutMs;
    const url = config.endpoints[signal];
    const items = `${itemCount} item(s)`;
    try {
      const problem = endpointProblem(url);
      if (problem) {
        warn("failed: bad endpoint", signal, `${problem}; ${items} not sent`);
        return { status: "failure", message: problem };
      }
      const json = config.protocol === "http/json";
      const headers = new Headers({ "User-Agent": `edge-otel/${VERSION}` });
      for (const name in config.headers) headers.set(name, config.headers[name]!);
      headers.set("Content-Type", json ? "application/json" : "application/x-protobuf");
      // The body's encoding is ours to state, whatever the configured headers say.
      headers.delete("Content-Encoding");

      let payload: Uint8Array | string = body;
      if (config.compression === "gzip") {
        // Detected per call: runtimes and polyfills may add CompressionStream after import.
        if (typeof CompressionStream === "function") {
          payload = await gzip(body);
          headers.set("Content-Encoding", "gzip");
        } else if (!warnedNoGzip) {
          warnedNoGzip = true;
          diag.warn("edge-otel: CompressionStream is unavailable; sending OTLP requests uncompressed");
        }
      }

      // Looked up per call (never at import) so fetch wrappers installed later are still bypassed.
      const doFetch = config.fetch ?? originalFetch();
      if (typeof doFetch !== "function") {
        warn("failed: no fetch", signal, `this runtime has no global fetch; ${items} not sent`);
        return { status: "failure", message: "no fetch available" };
      }
      const init: RequestInit = { method: "POST", headers, body: payload as BodyInit };
      const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...config.retry };

      let attempts = 0;
      for (;;) {
        attempts++;
        const a = await attemptOnce(doFetch, url, init, deadline, json, config.timeoutMs);
        if (!a.retry) {
          const r = a.result;
          if (r.status === "failure") warn(a.timedOut ? "timed out" : "failed", signal, `${url}: ${r.message}; ${items} not delivered`);
          else if (r.message !== undefined || r.rejected !== undefined) {
            warn("partially rejected", signal, `${url}: ${r.rejected ?? 0} of ${items} rejected: ${r.message ?? ""}`);
          }
          return r;
        }
        const wait = a.retryAfterMs ?? backoffDelay(attempts, policy);
        if (attempts >= policy.maxAttempts || Date.now() + wait >= deadline) {
          warn(
            "gave up retrying",
            signal,
            `${url}: ${a.result.message} after ${attempts} attempt(s) in ${Date.now() - started} ms; ${items} not delivered`,
          );
          return a.result;
        }
        diag.debug(`edge-otel: retrying OTLP ${signal} export`, `${url}: ${a.result.message}; attempt ${attempts + 1} in ${wait} ms`);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    } catch (err) {
      // Only our own code can get here (bad header values, say); fetch errors are handled per attempt.
      const message = describeError(err);
      warn("failed unexpectedly", signal, `${url}: ${message}; ${items} not sent`);
      return { status: "failure", message };
    }
  };

  return { send };
}

/** One POST, bounded by the send's deadline, classified. Never rejects on fetch errors. */
async function attemptOnce(
  doFetch: typeof fetch,
  url: string,
  init: RequestInit,
  deadline: number,
  json: boolean,
  timeoutMs: number,
): Promise<Attempt> {
  const timedOut: Attempt = { result: { status: "failure", message: `timed out after ${timeoutMs} ms` }, retry: false, timedOut: true };
  const remaining = deadline - Date.now();
  if (remaining <= 0) return timedOut;
  const controller = new AbortController();
  // setTimeout's delay is a signed 32-bit int; larger values would fire at once.
  const timer = setTimeout(() => controller.abort(), Math.min(remaining, 0x7fffffff));
  try {
    const res = await doFetch(url, { ...init, signal: controller.signal });
    // Always read (a bounded part of) the body, so the connection is released for reuse.
    const bytes = await readBoundedBody(res, MAX_RESPONSE_BYTES);
    const status = res.status;
    const contentType = res.headers.get("content-type") ?? "";
    // The response is in the request's encoding unless its Content-Type says otherwise.
    const jsonBody = /json/i.test(contentType) || (json && !/protobuf/i.test(contentType));
    if (status >= 200 && status < 300) {
      const partial = readPartialSuccess(bytes, jsonBody);
      const result: ExportResult = { status: "success", httpStatus: status };
      if (partial) {
        if (partial.rejected > 0) result.rejected = partial.rejected;
        if (partial.message) result.message = partial.message;
      }
      return { result, retry: false };
    }
    const snippet = bodySnippet(bytes, jsonBody, /protobuf/i.test(contentType) || (!contentType && !json));
    const message = `HTTP ${status}${snippet ? `: ${snippet}` : ""}`;
    if (isRetryableStatus(status)) {
      return {
        result: { status: "retryable", httpStatus: status, message },
        retry: true,
        retryAfterMs: parseRetryAfter(res.headers.get("retry-after")),
      };
    }
    return { result: { status: "failure", httpStatus: status, message }, retry: false };
  } catch (err) {
    if (controller.signal.aborted) {
      // Our own deadline, not a network error: no time is left for another attempt.
      return timedOut;
    }
    return { result: { status: "retryable", message: describeError(err) }, retry: true };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Up to `limit` bytes of a response body. Past the limit the stream is cancelled rather than
 * drained; a body that breaks off (abort, reset) yields what had arrived.
 */
export async function readBoundedBody(res: Response, limit: number): Promise<Uint8Array> {
  const stream = res.body;
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) return concat(chunks, size);
      chunks.push(value);
      size += value.length;
    }
  } catch {
    return concat(chunks, Math.min(size, limit));
  }
  // Not awaited: cancelling must not hold up the export, and its outcome doesn't matter.
  reader.cancel().catch(() => {});
  return concat(chunks, limit);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.length === size) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    if (at >= size) break;
    const part = c.subarray(0, size - at);
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * A short, single-line excerpt of an error body: the `message` of a google.rpc.Status (which OTLP
 * receivers send, https://opentelemetry.io/docs/specs/otlp/#failures-1) or else the text.
 */
function bodySnippet(bytes: Uint8Array, json: boolean, protobuf: boolean): string {
  if (!bytes.length) return "";
  let text: unknown;
  if (protobuf) text = readStatusMessage(bytes);
  else {
    if (json) text = parseJson(bytes)?.message;
    if (typeof text !== "string") text = new TextDecoder().decode(bytes);
  }
  if (typeof text !== "string") return "";
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > SNIPPET_CHARS ? `${line.slice(0, SNIPPET_CHARS)}…` : line;
}

/** An error's message and, for fetch's generic "fetch failed", the underlying cause. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
}

async function gzip(body: Uint8Array | string): Promise<Uint8Array> {
  const input = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const compressed = new Response(input as BodyInit).body!.pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(compressed).arrayBuffer());
}
