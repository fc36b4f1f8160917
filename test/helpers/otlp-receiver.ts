/**
 * A loopback OTLP/HTTP receiver for tests: records every request and answers as the test plans.
 * Listens on 127.0.0.1 at a random port; nothing leaves the machine.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

/** One request as the receiver saw it. */
export interface ReceivedRequest {
  method: string;
  /** Path and query, e.g. `/v1/traces`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The body bytes as sent. */
  rawBody: Uint8Array;
  /** The body after undoing `Content-Encoding: gzip`; the raw body otherwise. */
  body: Uint8Array;
  /** `Date.now()` when the request's headers arrived. */
  receivedAt: number;
  /** Bytes of response body the receiver managed to write (see `ResponsePlan.streamBytes`). */
  responseBytesWritten: number;
  /** Whether the whole planned response was written before the connection closed. */
  responseCompleted: boolean;
  /** Settles when the response's connection is done with (finished, aborted or destroyed). */
  responseClosed: Promise<void>;
}

/** How the receiver answers one request. */
export interface ResponsePlan {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** Default: empty (protobuf) or `{}` (JSON), matching the request's Content-Type. */
  body?: string | Uint8Array;
  /** Stream this many bytes of filler as the body, honouring backpressure, instead of `body`. */
  streamBytes?: number;
  /** Never answer; the request hangs until `close()`. */
  hang?: boolean;
  /** Destroy the socket without answering. */
  destroy?: boolean;
}

/** A running receiver. */
export interface Receiver {
  /** Base URL, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  url: string;
  /** Requests in arrival order. */
  requests: ReceivedRequest[];
  /** Decides the answers from now on. */
  respondWith(fn: (req: ReceivedRequest) => ResponsePlan | Promise<ResponsePlan>): void;
  /** Stops listening and ends every open (including hanging) request. */
  close(): Promise<void>;
}

/** Options for `startReceiver`. */
export interface ReceiverOptions {
  /** The initial answer function (default: 200 with an empty protobuf or `{}` JSON body). */
  respond?: (req: ReceivedRequest) => ResponsePlan | Promise<ResponsePlan>;
}

/** Starts a receiver on 127.0.0.1 at a random port. */
export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const open = new Set<ServerResponse>();
  let respond = options.respond ?? ((): ResponsePlan => ({}));

  const server = createServer((req, res) => {
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rawBody = new Uint8Array(Buffer.concat(chunks));
      const gzipped = String(req.headers["content-encoding"] ?? "").toLowerCase() === "gzip";
      let closeResponse!: () => void;
      const record: ReceivedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        rawBody,
        body: gzipped ? new Uint8Array(gunzipSync(rawBody)) : rawBody,
        receivedAt,
        responseBytesWritten: 0,
        responseCompleted: false,
        responseClosed: new Promise<void>((resolve) => (closeResponse = resolve)),
      };
      requests.push(record);
      open.add(res);
      res.on("close", () => {
        open.delete(res);
        closeResponse();
      });
      void answer(record, res).catch(() => res.destroy());
    });
  });

  async function answer(record: ReceivedRequest, res: ServerResponse): Promise<void> {
    const plan = await respond(record);
    if (plan.destroy) {
      res.socket?.destroy();
      return;
    }
    if (plan.hang) return;
    const json = String(record.headers["content-type"] ?? "").includes("json");
    res.statusCode = plan.status ?? 200;
    res.setHeader("content-type", json ? "application/json" : "application/x-protobuf");
    for (const [k, v] of Object.entries(plan.headers ?? {})) res.setHeader(k, v);
    if (plan.streamBytes !== undefined) {
      await streamFiller(res, plan.streamBytes, record);
      return;
    }
    const body = plan.body ?? (json ? "{}" : new Uint8Array(0));
    record.responseBytesWritten = typeof body === "string" ? Buffer.byteLength(body) : body.length;
    res.end(body, () => (record.responseCompleted = true));
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondWith(fn) {
      respond = fn;
    },
    close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes `total` bytes in 64 KiB chunks, waiting for the client to take each, until done or closed. */
async function streamFiller(res: ServerResponse, total: number, record: ReceivedRequest): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  while (record.responseBytesWritten < total) {
    if (res.destroyed) return;
    const n = Math.min(chunk.length, total - record.responseBytesWritten);
    const flushed = res.write(chunk.subarray(0, n));
    record.responseBytesWritten += n;
    if (!flushed) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off("drain", done);
          res.off("close", done);
          resolve();
        };
        res.on("drain", done);
        res.on("close", done);
      });
    }
  }
  if (!res.destroyed) res.end(() => (record.responseCompleted = true));
}
