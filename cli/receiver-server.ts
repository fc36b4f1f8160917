// A local OTLP/HTTP receiver for development: decodes exports and prints them (or hands them to a callback).
// OTLP/HTTP: https://opentelemetry.io/docs/specs/otlp/#otlphttp
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { isIP, type AddressInfo } from "node:net";
import { gunzip } from "node:zlib";
import { promisify } from "node:util";
import { create, fromBinary, toBinary, toJson, type DescMessage, type Message } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import {
  ExportTraceServiceRequestSchema,
  ExportTraceServiceResponseSchema,
  type ExportTraceServiceRequest,
} from "../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import {
  ExportMetricsServiceRequestSchema,
  ExportMetricsServiceResponseSchema,
  type ExportMetricsServiceRequest,
} from "../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js";
import {
  ExportLogsServiceRequestSchema,
  ExportLogsServiceResponseSchema,
  type ExportLogsServiceRequest,
} from "../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import { countSpans, renderTraces } from "./render-traces.ts";
import { countDataPoints, renderMetrics } from "./render-metrics.ts";
import { countLogRecords, renderLogs } from "./render-logs.ts";
import { paint } from "./render-format.ts";
import { decodeOtlpJson as decodeJson, toOtlpJson } from "../src/testing/decode.ts";

/** The three OTLP signals the receiver accepts. */
export type OtlpSignal = "traces" | "metrics" | "logs";

/** The decoded export request type of each signal. */
export interface OtlpRequestBySignal {
  traces: ExportTraceServiceRequest;
  metrics: ExportMetricsServiceRequest;
  logs: ExportLogsServiceRequest;
}

/** `onRequest` arguments: a signal and its decoded request; checking the signal narrows the message. */
export type OtlpRequestArgs = { [S in OtlpSignal]: [signal: S, message: OtlpRequestBySignal[S]] }[OtlpSignal];

/** Options for {@link startOtlpReceiver}. */
export interface OtlpReceiverOptions {
  /** Loopback host to bind: 127.0.0.1 (default), ::1, localhost or another 127.x address. */
  readonly host?: string;
  /** TCP port; 0 picks a free one. Default 4318, the OTLP/HTTP port. */
  readonly port?: number;
  /** Where rendered output goes. Default: process.stdout. */
  readonly write?: (text: string) => void;
  /** Where warnings (rejected requests) go. Default: `write`. */
  readonly warn?: (text: string) => void;
  /** Called with each successfully decoded request, before the reply is sent. */
  readonly onRequest?: (...args: OtlpRequestArgs) => void;
  /** Print one JSON line per request (`{signal, body}`, body in OTLP/JSON) instead of the pretty text. */
  readonly json?: boolean;
  /** ANSI colours in pretty output. Default: only when writing to a TTY stdout and NO_COLOR is unset. */
  readonly color?: boolean;
  /** Largest accepted body, before and after gzip; larger ones get 413. Default 16 MiB. */
  readonly maxBodyBytes?: number;
}

/** A running receiver. */
export interface OtlpReceiver {
  /** Base URL, e.g. `http://127.0.0.1:4318`; signals live at `${url}/v1/traces` etc. */
  readonly url: string;
  /** The bound port (the real one when 0 was asked for). */
  readonly port: number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Default body limit: far above what an SDK batch needs, low enough to refuse garbage quickly. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The default OTLP/HTTP port. */
export const DEFAULT_OTLP_HTTP_PORT = 4318;

interface Route {
  readonly signal: OtlpSignal;
  readonly request: DescMessage;
  readonly response: DescMessage;
  render(message: Message, color: boolean): string;
  summary(message: Message): string;
}

const ROUTES: Readonly<Record<string, Route>> = {
  "/v1/traces": {
    signal: "traces",
    request: ExportTraceServiceRequestSchema,
    response: ExportTraceServiceResponseSchema,
    render: (m, color) => renderTraces(m as ExportTraceServiceRequest, { color }),
    summary: (m) => plural(countSpans(m as ExportTraceServiceRequest), "span"),
  },
  "/v1/metrics": {
    signal: "metrics",
    request: ExportMetricsServiceRequestSchema,
    response: ExportMetricsServiceResponseSchema,
    render: (m, color) => renderMetrics(m as ExportMetricsServiceRequest, { color }),
    summary: (m) => plural(countDataPoints(m as ExportMetricsServiceRequest), "data point"),
  },
  "/v1/logs": {
    signal: "logs",
    request: ExportLogsServiceRequestSchema,
    response: ExportLogsServiceResponseSchema,
    render: (m, color) => renderLogs(m as ExportLogsServiceRequest, { color }),
    summary: (m) => plural(countLogRecords(m as ExportLogsServiceRequest), "log record"),
  },
};

const PROTOBUF = "application/x-protobuf";
const JSON_TYPE = "application/json";

// google.rpc.Code values used in error bodies (https://opentelemetry.io/docs/specs/otlp/#failures-1).
const CODE_INVALID_ARGUMENT = 3;
const CODE_NOT_FOUND = 5;
const CODE_RESOURCE_EXHAUSTED = 8;
const CODE_UNIMPLEMENTED = 12;
const CODE_INTERNAL = 13;

const gunzipAsync = promisify(gunzip);

/** True for hosts that only the local machine can reach: localhost, ::1 and 127.0.0.0/8. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) === 6) return /^(0{0,4}:){7}0{0,3}1$|^::1$/.test(h) || /^::ffff:127\./.test(h);
  return false;
}

/** Starts the receiver; resolves once it listens. Rejects for a non-loopback host, a bad port or a busy port. */
export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? DEFAULT_OTLP_HTTP_PORT;
  if (!isLoopbackHost(host)) {
    throw new Error(
      `refusing to listen on non-loopback host "${host}": this receiver is a development tool with no authentication; ` +
        `use 127.0.0.1, ::1 or localhost`,
    );
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${port}: expected an integer 0-65535`);
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const settings: Settings = {
    write,
    warn: options.warn ?? write,
    onRequest: options.onRequest,
    json: options.json ?? false,
    color: options.color ?? (options.write === undefined && process.stdout.isTTY === true && !process.env["NO_COLOR"]),
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  };

  const server = createServer((req, res) => {
    handle(req, res, settings).catch((error: unknown) => {
      settings.warn(warning(settings.color, `internal error: ${errorMessage(error)}`));
      if (!res.headersSent) sendStatus(res, 500, "", CODE_INTERNAL, "internal error");
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  // "localhost" is resolved by the OS; make sure it really landed on a loopback address.
  if (!isLoopbackHost(address.address)) {
    await closeServer(server);
    throw new Error(`refusing to listen: "${host}" resolved to non-loopback address ${address.address}`);
  }
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    close: () => closeServer(server),
  };
}

interface Settings {
  readonly write: (text: string) => void;
  readonly warn: (text: string) => void;
  readonly onRequest: ((...args: OtlpRequestArgs) => void) | undefined;
  readonly json: boolean;
  readonly color: boolean;
  readonly maxBodyBytes: number;
}

function closeServer(server: ReturnType<typeof createServer>): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive sockets from exporters would otherwise hold close() open until they time out.
    server.closeAllConnections();
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, settings: Settings): Promise<void> {
  const path = new URL(req.url ?? "/", "http://receiver").pathname;
  const route = ROUTES[path];
  const contentType = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  const replyType = contentType === PROTOBUF || contentType === JSON_TYPE ? contentType : "";
  const reject = (status: number, code: number, message: string, headers: Record<string, string> = {}): void => {
    settings.warn(warning(settings.color, `${req.method} ${path}: ${status} ${message}`));
    sendStatus(res, status, replyType, code, message, headers);
  };

  if (route === undefined) {
    return reject(404, CODE_NOT_FOUND, `no such endpoint; use POST /v1/traces, /v1/metrics or /v1/logs`);
  }
  if (req.method !== "POST") {
    return reject(405, CODE_UNIMPLEMENTED, `method ${req.method} not allowed; use POST`, { allow: "POST" });
  }
  if (replyType === "") {
    return reject(415, CODE_INVALID_ARGUMENT, `unsupported content-type "${contentType}"; use ${PROTOBUF} or ${JSON_TYPE}`);
  }
  const encoding = (req.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  if (encoding !== "gzip" && encoding !== "identity") {
    return reject(415, CODE_INVALID_ARGUMENT, `unsupported content-encoding "${encoding}"; use gzip or none`);
  }

  const limit = settings.maxBodyBytes;
  const raw = await readBody(req, limit);
  if (raw === undefined) {
    return reject(413, CODE_RESOURCE_EXHAUSTED, `body larger than ${limit} bytes`, { connection: "close" });
  }
  let body: Buffer = raw;
  if (encoding === "gzip") {
    try {
      body = await gunzipAsync(raw, { maxOutputLength: limit });
    } catch (error) {
      if ((error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") {
        return reject(413, CODE_RESOURCE_EXHAUSTED, `decompressed body larger than ${limit} bytes`);
      }
      return reject(400, CODE_INVALID_ARGUMENT, `bad gzip body: ${errorMessage(error)}`);
    }
  }

  let message: Message;
  try {
    message = replyType === PROTOBUF ? fromBinary(route.request, body) : decodeOtlpJson(route.request, body);
  } catch (error) {
    return reject(400, CODE_INVALID_ARGUMENT, `cannot decode ${replyType} ${route.signal} request: ${errorMessage(error)}`);
  }

  settings.onRequest?.(...([route.signal, message] as OtlpRequestArgs));
  if (settings.json) {
    settings.write(JSON.stringify({ signal: route.signal, body: toOtlpJson(route.request, message) }) + "\n");
  } else {
    const format = replyType === PROTOBUF ? "protobuf" : "json";
    const head = `── ${route.signal} · ${route.summary(message)} · ${format}${encoding === "gzip" ? "+gzip" : ""} · ${raw.length} bytes`;
    settings.write(paint(settings.color, "dim", head) + "\n" + route.render(message, settings.color));
  }

  // Success is an empty Export*ServiceResponse in the request's encoding (no partial_success).
  const response = create(route.response);
  const out = replyType === PROTOBUF ? toBinary(route.response, response) : JSON.stringify(toJson(route.response, response));
  res.writeHead(200, { "content-type": replyType, "content-length": Buffer.byteLength(out) });
  res.end(out);
}

// Resolves undefined once the body passes `limit`; later chunks are drained and dropped, so the
// client can finish sending and read the 413 instead of seeing a reset connection.
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on("end", () => {
      if (!over) resolve(Buffer.concat(chunks, size));
    });
    req.on("error", reject);
  });
}

// google.rpc.Status {code = 1, message = 2}: OTLP error bodies, in the request's encoding.
function sendStatus(
  res: ServerResponse,
  status: number,
  replyType: string,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  let body: string | Uint8Array;
  if (replyType === PROTOBUF) {
    body = new BinaryWriter().tag(1, WireType.Varint).int32(code).tag(2, WireType.LengthDelimited).string(message).finish();
  } else if (replyType === JSON_TYPE) {
    body = JSON.stringify({ code, message });
  } else {
    body = message + "\n";
  }
  res.writeHead(status, {
    ...headers,
    "content-type": replyType === "" ? "text/plain; charset=utf-8" : replyType,
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

/** Decodes an OTLP/JSON body (UTF-8, strictly) with the shared decoder of edge-otel/testing. */
export function decodeOtlpJson(schema: DescMessage, body: Uint8Array): Message {
  return decodeJson(schema, new TextDecoder("utf-8", { fatal: true }).decode(body));
}

export { toOtlpJson };

function warning(color: boolean, text: string): string {
  return paint(color, "yellow", `! ${text}`) + "\n";
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
