// HTTP span attributes from Web Request/Response objects, for server and client spans.
// https://opentelemetry.io/docs/specs/semconv/http/http-spans/
import type { Attributes } from "../common/types.ts";
import type { Span } from "../trace/span-api.ts";
import { SpanStatusCode } from "../trace/span-record.ts";
import {
  CLIENT_ADDRESS,
  ERROR_TYPE,
  HTTP_REQUEST_METHOD,
  HTTP_REQUEST_METHOD_ORIGINAL,
  HTTP_RESPONSE_STATUS_CODE,
  SERVER_ADDRESS,
  SERVER_PORT,
  URL_FULL,
  URL_PATH,
  URL_QUERY,
  URL_SCHEME,
  USER_AGENT_ORIGINAL,
} from "./semconv.ts";

/** Request and response headers to record as http.{request,response}.header.<name> attributes. */
export interface HeaderCapture {
  request?: string[] | undefined;
  response?: string[] | undefined;
}

// The methods semconv knows; anything else is _OTHER, matched case-sensitively.
// https://opentelemetry.io/docs/specs/semconv/registry/attributes/http/#http-request-method
const KNOWN_METHOD = /^(GET|HEAD|POST|PUT|DELETE|CONNECT|OPTIONS|TRACE|PATCH)$/;
// Query keys whose values semconv redacts by default (case-sensitive).
// https://opentelemetry.io/docs/specs/semconv/registry/attributes/url/#url-full
const SENSITIVE_QUERY = /([?&](?:AWSAccessKeyId|Signature|sig|X-Goog-Signature)=)[^&#]*/g;

/** `url` as url.full wants it: user and password as REDACTED, sensitive query values as REDACTED. */
export function redactUrl(url: URL): string {
  if (url.username || url.password) {
    url = new URL(url);
    url.username = url.password = "REDACTED";
  }
  return url.href.replace(SENSITIVE_QUERY, "$1REDACTED");
}

/**
 * The span name and the method, URL, server and user-agent attributes of a request. `server` adds the
 * server span's url.path, url.query and client.address (from `clientIp`); client spans get server.port always.
 */
export function requestAttributes(request: Request, server: boolean, clientIp?: string | null): [name: string, attributes: Attributes] {
  const url = new URL(request.url);
  const method = request.method;
  const known = KNOWN_METHOD.test(method);
  const query = url.search.replace(SENSITIVE_QUERY, "$1REDACTED").slice(1);
  const headers = request.headers;
  return [
    // Span name: the method, or HTTP for an unknown one. https://opentelemetry.io/docs/specs/semconv/http/http-spans/#name
    known ? method : "HTTP",
    {
      [HTTP_REQUEST_METHOD]: known ? method : "_OTHER",
      [HTTP_REQUEST_METHOD_ORIGINAL]: known ? undefined : method,
      [URL_FULL]: redactUrl(url),
      [URL_SCHEME]: url.protocol.slice(0, -1),
      [SERVER_ADDRESS]: url.hostname,
      [SERVER_PORT]: +url.port || (server ? undefined : url.protocol == "https:" ? 443 : 80),
      [USER_AGENT_ORIGINAL]: headers.get("user-agent") ?? undefined,
      [URL_PATH]: server ? url.pathname : undefined,
      [URL_QUERY]: (server && query) || undefined,
      [CLIENT_ADDRESS]: clientIp ?? undefined,
    },
  ];
}

/** The headers named in `names` as `<prefix>.<lowercase name>` string-array attributes (semconv: request or response). */
export function headerAttributes(headers: Headers, prefix: "request" | "response", names: string[] | undefined): Attributes {
  const out: Attributes = {};
  for (const n of names ?? []) out[`http.${prefix}.header.${n.toLowerCase()}`] = headers.has(n) ? [headers.get(n)!] : undefined;
  return out;
}

/** Records the status code; 5xx (server) or 4xx and 5xx (client) set status ERROR and error.type. */
export function setResponseStatus(span: Span, status: number, server: boolean): void {
  span.setAttribute(HTTP_RESPONSE_STATUS_CODE, status);
  if (status >= (server ? 500 : 400)) span.setAttribute(ERROR_TYPE, String(status)).setStatus({ code: SpanStatusCode.ERROR });
}

/** Records a thrown error on `span` (exception event, status ERROR, error.type) and ends it. */
export function failSpan(span: Span, error: unknown): void {
  const e = error as { name?: string; message?: string } | undefined;
  span.recordException(error as Error);
  span.setAttribute(ERROR_TYPE, e?.name || "_OTHER").setStatus({ code: SpanStatusCode.ERROR, message: e?.message ?? String(error) });
  span.end();
}

/**
 * Calls `fn`, ending `span` when its result settles (a thenable) or at once, and failing it on a throw or a
 * rejection. Returns `fn`'s result itself, so a special promise (an RPC promise that pipelines) stays intact.
 */
export function endWith<T>(span: Span, fn: () => T, onValue?: (value: Awaited<T>) => void): T {
  const ok = (v: unknown) => {
    onValue?.(v as Awaited<T>);
    span.end();
  };
  try {
    const r = fn();
    const then = (r as { then?: unknown } | null)?.then;
    typeof then == "function" ? then.call(r, ok, (e: unknown) => failSpan(span, e)) : ok(r);
    return r;
  } catch (e) {
    failSpan(span, e);
    throw e;
  }
}
