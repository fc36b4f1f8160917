import { create, toBinary } from "@bufbuild/protobuf";
import { readFileSync } from "node:fs";
import protobuf from "protobufjs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ExportLogsServiceResponseSchema } from "../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import { ExportMetricsServiceResponseSchema } from "../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js";
import { ExportLogsServiceRequestSchema } from "../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import { ExportMetricsServiceRequestSchema } from "../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js";
import {
  ExportTraceServiceRequestSchema,
  ExportTraceServiceResponseSchema,
} from "../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import type { DiagLogger } from "../src/common/types.ts";
import { resolveEndpoints } from "../src/otlp/endpoint.ts";
import type { Signal } from "../src/otlp/export-result.ts";
import { createOtlpTransport, readBoundedBody, type OtlpTransportConfig } from "../src/otlp/http-transport.ts";
import { markWrappedFetch, ORIGINAL_FETCH, originalFetch } from "../src/otlp/original-fetch.ts";
import { VERSION } from "../src/version.ts";
import { startReceiver, type Receiver } from "./helpers/otlp-receiver.ts";
import { decodeLogs, decodeMetrics, decodeTraces } from "./helpers/proto-decoder.ts";

const TRACE_ID = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
const SPAN_ID = Uint8Array.from({ length: 8 }, (_, i) => 0x10 + i);
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** A real ExportTraceServiceRequest with one span, encoded by the generated codec. */
function traceRequest(name = "op"): Uint8Array {
  return toBinary(
    ExportTraceServiceRequestSchema,
    create(ExportTraceServiceRequestSchema, {
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE_ID, spanId: SPAN_ID, name, startTimeUnixNano: 1_700_000_000_000_000_000n }] }] }],
    }),
  );
}

function recordingDiag(): { diag: DiagLogger; warnings: unknown[][] } {
  const warnings: unknown[][] = [];
  const noop = (): void => {};
  return { warnings, diag: { error: noop, info: noop, debug: noop, warn: (...a: unknown[]) => void warnings.push(a) } };
}

/** Short backoffs keep the suite fast; tests that care about waits set their own. */
function configFor(url: string, over: Partial<OtlpTransportConfig> = {}): OtlpTransportConfig {
  return {
    endpoints: resolveEndpoints({ url }),
    headers: {},
    protocol: "http/protobuf",
    compression: "none",
    timeoutMs: 5000,
    retry: { initialMs: 10, maxMs: 40, multiplier: 2, maxAttempts: 5 },
    ...over,
  };
}

/** A google.rpc.Status encoded by protobufjs, independently of our reader. */
function rpcStatus(code: number, message: string): Uint8Array {
  const Status = new protobuf.Type("Status")
    .add(new protobuf.Field("code", 1, "int32"))
    .add(new protobuf.Field("message", 2, "string"));
  return Status.encode(Status.create({ code, message })).finish();
}

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  vi.unstubAllGlobals();
  await receiver.close();
});

describe("OTLP/HTTP transport: requests", () => {
  it("posts protobuf with its content type, headers and User-Agent", async () => {
    const { diag, warnings } = recordingDiag();
    const body = traceRequest();
    const t = createOtlpTransport(configFor(receiver.url, { headers: { "x-api-key": "k1", Authorization: "Bearer t" } }), diag);
    const result = await t.send("traces", body, 1);
    expect(result).toEqual({ status: "success", httpStatus: 200 });
    expect(receiver.requests).toHaveLength(1);
    const req = receiver.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/v1/traces");
    expect(req.headers["content-type"]).toBe("application/x-protobuf");
    expect(req.headers["user-agent"]).toBe(`edge-otel/${VERSION}`);
    expect(req.headers["x-api-key"]).toBe("k1");
    expect(req.headers["authorization"]).toBe("Bearer t");
    expect(req.headers["content-encoding"]).toBeUndefined();
    expect(req.body).toEqual(body);
    // Decoded by protobufjs from proto/, not by our code.
    const decoded = decodeTraces(req.body);
    const span = decoded.resourceSpans[0].scopeSpans[0].spans[0];
    expect(span.traceId).toBe(hex(TRACE_ID));
    expect(span.spanId).toBe(hex(SPAN_ID));
    expect(span.startTimeUnixNano).toBe(String(1_700_000_000_000_000_000n));
    expect(warnings).toEqual([]);
  });

  it("posts JSON with application/json to each signal's path", async () => {
    const t = createOtlpTransport(configFor(receiver.url, { protocol: "http/json" }), recordingDiag().diag);
    const signals: Signal[] = ["traces", "metrics", "logs"];
    for (const signal of signals) {
      const body = JSON.stringify({ signal, note: "ünïcødé" });
      expect(await t.send(signal, body, 1)).toEqual({ status: "success", httpStatus: 200 });
    }
    expect(receiver.requests.map((r) => r.path)).toEqual(signals.map((s) => `/v1/${s}`));
    for (const [i, req] of receiver.requests.entries()) {
      expect(req.headers["content-type"]).toBe("application/json");
      expect(JSON.parse(Buffer.from(req.body).toString("utf8"))).toEqual({ signal: signals[i], note: "ünïcødé" });
    }
  });

  it("lets configured headers override User-Agent, case-insensitively, but not Content-Type", async () => {
    const headers = { "user-agent": "custom/1", "CONTENT-TYPE": "text/plain", "content-encoding": "br" };
    const t = createOtlpTransport(configFor(receiver.url, { headers }), recordingDiag().diag);
    await t.send("traces", traceRequest(), 1);
    const req = receiver.requests[0]!;
    expect(req.headers["user-agent"]).toBe("custom/1");
    expect(req.headers["content-type"]).toBe("application/x-protobuf");
    expect(req.headers["content-encoding"]).toBeUndefined();
  });

  it("sends VERSION equal to package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });

  it("gzips the body with Content-Encoding: gzip", async () => {
    const t = createOtlpTransport(configFor(receiver.url, { compression: "gzip" }), recordingDiag().diag);
    const body = traceRequest("x".repeat(2000));
    expect((await t.send("traces", body, 1)).status).toBe("success");
    const json = JSON.stringify({ a: "y".repeat(2000) });
    const tj = createOtlpTransport(configFor(receiver.url, { compression: "gzip", protocol: "http/json" }), recordingDiag().diag);
    expect((await tj.send("logs", json, 1)).status).toBe("success");

    const [p, j] = receiver.requests;
    expect(p!.headers["content-encoding"]).toBe("gzip");
    expect(p!.rawBody).not.toEqual(body);
    expect(p!.rawBody.length).toBeLessThan(body.length);
    expect(p!.body).toEqual(body); // the receiver gunzipped it
    expect(j!.headers["content-encoding"]).toBe("gzip");
    expect(Buffer.from(j!.body).toString("utf8")).toBe(json);
  });

  it("sends uncompressed, warning once, where CompressionStream is missing", async () => {
    vi.stubGlobal("CompressionStream", undefined);
    const { diag, warnings } = recordingDiag();
    const t = createOtlpTransport(configFor(receiver.url, { compression: "gzip" }), diag);
    const body = traceRequest();
    expect((await t.send("traces", body, 1)).status).toBe("success");
    expect((await t.send("traces", body, 1)).status).toBe("success");
    for (const req of receiver.requests) {
      expect(req.headers["content-encoding"]).toBeUndefined();
      expect(req.rawBody).toEqual(body);
    }
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]![0])).toMatch(/CompressionStream/);
  });
});

describe("OTLP/HTTP transport: retries", () => {
  it("retries a 503 and delivers the same body exactly once more", async () => {
    let n = 0;
    receiver.respondWith(() => (n++ === 0 ? { status: 503 } : {}));
    const { diag, warnings } = recordingDiag();
    const body = traceRequest();
    const result = await createOtlpTransport(configFor(receiver.url), diag).send("traces", body, 1);
    expect(result).toEqual({ status: "success", httpStatus: 200 });
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[0]!.body).toEqual(body);
    expect(receiver.requests[1]!.body).toEqual(body);
    expect(warnings).toEqual([]);
  });

  for (const status of [429, 502, 503, 504]) {
    it(`retries ${status}`, async () => {
      let n = 0;
      receiver.respondWith(() => (n++ === 0 ? { status } : {}));
      const result = await createOtlpTransport(configFor(receiver.url), recordingDiag().diag).send("metrics", traceRequest(), 1);
      expect(result.status).toBe("success");
      expect(receiver.requests).toHaveLength(2);
    });
  }

  it("retries exactly 429, 502, 503 and 504 of all statuses", async () => {
    let status = 0;
    const calls = new Map<number, number>();
    const custom = (async () => {
      calls.set(status, (calls.get(status) ?? 0) + 1);
      return new Response(null, { status });
    }) as typeof fetch;
    const config = configFor(receiver.url, { fetch: custom, retry: { initialMs: 0, maxMs: 0, multiplier: 1, maxAttempts: 2 } });
    const t = createOtlpTransport(config, recordingDiag().diag);
    for (status = 200; status < 600; status++) await t.send("traces", "x", 1);
    expect(calls.size).toBe(400);
    expect([...calls].filter(([, n]) => n > 1).map(([s]) => s)).toEqual([429, 502, 503, 504]);
  });

  for (const status of [400, 401, 403, 404, 408, 413, 500, 501]) {
    it(`does not retry ${status}`, async () => {
      receiver.respondWith(() => ({ status }));
      const { diag, warnings } = recordingDiag();
      const result = await createOtlpTransport(configFor(receiver.url), diag).send("traces", traceRequest(), 1);
      expect(result.status).toBe("failure");
      expect(result.httpStatus).toBe(status);
      expect(result.message).toContain(String(status));
      expect(receiver.requests).toHaveLength(1);
      expect(warnings).toHaveLength(1);
    });
  }

  it("honours Retry-After in seconds", async () => {
    let n = 0;
    receiver.respondWith(() => (n++ === 0 ? { status: 429, headers: { "Retry-After": "1" } } : {}));
    const result = await createOtlpTransport(configFor(receiver.url), recordingDiag().diag).send("traces", traceRequest(), 1);
    expect(result.status).toBe("success");
    const [first, second] = receiver.requests;
    // The configured backoff is 10 ms, so only Retry-After explains a second's gap (less clock slack).
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(1000 - 20);
  });

  it("honours Retry-After as an HTTP-date", async () => {
    // At least a second ahead, on a whole second since HTTP-dates have no fraction.
    const retryAt = Math.ceil((Date.now() + 1200) / 1000) * 1000;
    let n = 0;
    receiver.respondWith(() =>
      n++ === 0 ? { status: 503, headers: { "Retry-After": new Date(retryAt).toUTCString() } } : {},
    );
    const result = await createOtlpTransport(configFor(receiver.url), recordingDiag().diag).send("traces", traceRequest(), 1);
    expect(result.status).toBe("success");
    expect(receiver.requests).toHaveLength(2);
    expect(retryAt - receiver.requests[0]!.receivedAt).toBeGreaterThanOrEqual(1000);
    expect(receiver.requests[1]!.receivedAt).toBeGreaterThanOrEqual(retryAt - 20);
  });

  it("stops without waiting when Retry-After is past the deadline", async () => {
    receiver.respondWith(() => ({ status: 429, headers: { "Retry-After": "60", "content-type": "text/plain" }, body: "slow down" }));
    const { diag, warnings } = recordingDiag();
    const result = await createOtlpTransport(configFor(receiver.url, { timeoutMs: 2000 }), diag).send("traces", traceRequest(), 1);
    expect(result.status).toBe("retryable");
    expect(result.httpStatus).toBe(429);
    expect(result.message).toContain("slow down");
    expect(receiver.requests).toHaveLength(1);
    expect(warnings).toHaveLength(1);
  });

  it("gives up after maxAttempts with the last error, retryable", async () => {
    receiver.respondWith(() => ({ status: 503 }));
    const { diag, warnings } = recordingDiag();
    const config = configFor(receiver.url, { retry: { initialMs: 5, maxMs: 10, multiplier: 2, maxAttempts: 3 } });
    const result = await createOtlpTransport(config, diag).send("logs", traceRequest(), 7);
    expect(result.status).toBe("retryable");
    expect(result.httpStatus).toBe(503);
    expect(receiver.requests).toHaveLength(3);
    expect(warnings).toHaveLength(1);
  });

  it("retries a dropped connection", async () => {
    let n = 0;
    receiver.respondWith(() => (n++ === 0 ? { destroy: true } : {}));
    const body = traceRequest();
    const result = await createOtlpTransport(configFor(receiver.url), recordingDiag().diag).send("traces", body, 1);
    expect(result.status).toBe("success");
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[1]!.body).toEqual(body);
  });

  it("resolves (never rejects) when nothing listens, after retrying", async () => {
    const down = await startReceiver();
    await down.close();
    const { diag, warnings } = recordingDiag();
    const config = configFor(down.url, { timeoutMs: 3000, retry: { initialMs: 10, maxMs: 20, multiplier: 2, maxAttempts: 3 } });
    const result = await createOtlpTransport(config, diag).send("traces", traceRequest(), 1);
    expect(result.status).toBe("retryable");
    expect(result.httpStatus).toBeUndefined();
    expect(result.message).toMatch(/ECONNREFUSED|fetch failed/);
    expect(warnings).toHaveLength(1);
  });

  it("times out a receiver that never answers, without retrying", async () => {
    receiver.respondWith(() => ({ hang: true }));
    const { diag, warnings } = recordingDiag();
    const started = Date.now();
    const result = await createOtlpTransport(configFor(receiver.url, { timeoutMs: 500 }), diag).send("traces", traceRequest(), 1);
    // A correctness bound on the deadline (10 s fetch defaults would blow it), not a benchmark.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.status).toBe("failure");
    expect(result.message).toMatch(/timed out/);
    expect(receiver.requests).toHaveLength(1);
    expect(warnings).toHaveLength(1);
  });
});

describe("OTLP/HTTP transport: timers", () => {
  it("leaves no timer running after a send", async () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    let n = 0;
    receiver.respondWith(() => (n++ % 2 === 0 ? { status: 503 } : {}));
    // A long deadline: a forgotten abort timer would stay active for a minute.
    const t = createOtlpTransport(configFor(receiver.url, { timeoutMs: 60_000 }), recordingDiag().diag);
    await t.send("traces", traceRequest(), 1);
    const before = timers();
    const sends = 5;
    for (let i = 0; i < sends; i++) expect((await t.send("traces", traceRequest(), 1)).status).toBe("success");
    expect(receiver.requests).toHaveLength(2 * (sends + 1));
    // Each send made two abort timers and a backoff timer; none may outlive it (slack for the runtime's own).
    expect(timers() - before).toBeLessThan(sends);
  });
});

describe("OTLP/HTTP transport: responses", () => {
  const responses = [
    { signal: "traces", schema: ExportTraceServiceResponseSchema, partialSuccess: { rejectedSpans: 3n, errorMessage: "too old" } },
    { signal: "metrics", schema: ExportMetricsServiceResponseSchema, partialSuccess: { rejectedDataPoints: 2n ** 40n, errorMessage: "" } },
    { signal: "logs", schema: ExportLogsServiceResponseSchema, partialSuccess: { rejectedLogRecords: 0n, errorMessage: "dedup'd" } },
  ] as const;
  for (const { signal, schema, partialSuccess } of responses) {
    it(`reads a protobuf partial_success for ${signal}`, async () => {
      const body = toBinary(schema as any, create(schema as any, { partialSuccess }));
      receiver.respondWith(() => ({ body }));
      const { diag, warnings } = recordingDiag();
      const result = await createOtlpTransport(configFor(receiver.url), diag).send(signal, traceRequest(), 10);
      const [rejected, message] = Object.values(partialSuccess) as [bigint, string];
      expect(result).toEqual({
        status: "success",
        httpStatus: 200,
        ...(rejected > 0n ? { rejected: Number(rejected) } : {}),
        ...(message ? { message } : {}),
      });
      expect(warnings).toHaveLength(1);
    });
  }

  it("ignores an empty partial_success", async () => {
    const body = toBinary(ExportTraceServiceResponseSchema, create(ExportTraceServiceResponseSchema, { partialSuccess: {} }));
    receiver.respondWith(() => ({ body }));
    const { diag, warnings } = recordingDiag();
    expect(await createOtlpTransport(configFor(receiver.url), diag).send("traces", traceRequest(), 1)).toEqual({
      status: "success",
      httpStatus: 200,
    });
    expect(warnings).toEqual([]);
  });

  it("reads a JSON partialSuccess, int64 as string or number", async () => {
    const bodies = [
      { partialSuccess: { rejectedLogRecords: "2", errorMessage: "bad severity" } },
      { partialSuccess: { rejectedSpans: 5 } },
      // Protobuf's JSON mapping lets parsers accept the proto field names too.
      { partial_success: { rejected_data_points: "7", error_message: "stale" } },
    ];
    let n = 0;
    receiver.respondWith(() => ({ body: JSON.stringify(bodies[n++]) }));
    const { diag, warnings } = recordingDiag();
    const t = createOtlpTransport(configFor(receiver.url, { protocol: "http/json" }), diag);
    expect(await t.send("logs", "{}", 4)).toEqual({ status: "success", httpStatus: 200, rejected: 2, message: "bad severity" });
    expect(await t.send("traces", "{}", 9)).toEqual({ status: "success", httpStatus: 200, rejected: 5 });
    expect(await t.send("metrics", "{}", 9)).toEqual({ status: "success", httpStatus: 200, rejected: 7, message: "stale" });
    expect(warnings).toHaveLength(3);
  });

  it("quotes a protobuf google.rpc.Status message in a failure", async () => {
    receiver.respondWith(() => ({ status: 400, body: rpcStatus(3, "span name too long") }));
    const result = await createOtlpTransport(configFor(receiver.url), recordingDiag().diag).send("traces", traceRequest(), 1);
    expect(result).toEqual({ status: "failure", httpStatus: 400, message: "HTTP 400: span name too long" });
  });

  it("quotes a JSON Status message, or a text body, in a failure", async () => {
    const plans = [
      { status: 400, body: JSON.stringify({ code: 3, message: "bad json" }) },
      { status: 500, headers: { "content-type": "text/html" }, body: "<h1>Internal\n  error</h1>" },
    ];
    let n = 0;
    receiver.respondWith(() => plans[n++]!);
    const t = createOtlpTransport(configFor(receiver.url, { protocol: "http/json" }), recordingDiag().diag);
    expect((await t.send("traces", "{}", 1)).message).toBe("HTTP 400: bad json");
    expect((await t.send("traces", "{}", 1)).message).toBe("HTTP 500: <h1>Internal error</h1>");
    // JSON without a string message (a proxy's error object, say) is quoted as text.
    const other = JSON.stringify({ error: { reason: "quota" } });
    plans.push({ status: 400, body: other });
    expect((await t.send("traces", "{}", 1)).message).toBe(`HTTP 400: ${other}`);
  });

  it("bounds an oversized error body to a short snippet", async () => {
    const big = "E".repeat(1024 * 1024);
    receiver.respondWith(() => ({ status: 400, headers: { "content-type": "text/plain" }, body: big }));
    const result = await createOtlpTransport(configFor(receiver.url), recordingDiag().diag).send("traces", traceRequest(), 1);
    expect(result.status).toBe("failure");
    expect(result.message!.startsWith("HTTP 400: EEEE")).toBe(true);
    expect(result.message!.length).toBeLessThan(300);
  });

  it("stops reading an oversized response body instead of draining it", async () => {
    const total = 64 * 1024 * 1024;
    receiver.respondWith(() => ({ streamBytes: total }));
    const result = await createOtlpTransport(configFor(receiver.url), recordingDiag().diag).send("traces", traceRequest(), 1);
    expect(result).toEqual({ status: "success", httpStatus: 200 });
    const req = receiver.requests[0]!;
    await req.responseClosed;
    expect(req.responseCompleted).toBe(false);
    expect(req.responseBytesWritten).toBeLessThan(total);
  });

  it("readBoundedBody returns at most the limit and cancels the rest", async () => {
    let pulled = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1000;
        controller.enqueue(new Uint8Array(1000).fill(7));
      },
      cancel() {
        cancelled = true;
      },
    });
    const bytes = await readBoundedBody(new Response(stream), 4500);
    expect(bytes.length).toBe(4500);
    expect(bytes.every((b) => b === 7)).toBe(true);
    expect(pulled).toBeLessThan(4500 + 5000); // a few chunks of read-ahead at most, not an endless drain
    await Promise.resolve();
    expect(cancelled).toBe(true);
  });

  it("readBoundedBody reads 64 KiB by default", async () => {
    const data = new Uint8Array(100_000).map((_, i) => i % 251);
    expect(await readBoundedBody(new Response(data))).toEqual(data.subarray(0, 64 * 1024));
  });

  it("readBoundedBody returns a short body whole, and an empty one as empty", async () => {
    const data = new Uint8Array([1, 2, 3, 4, 5]);
    expect(await readBoundedBody(new Response(data), 100)).toEqual(data);
    expect(await readBoundedBody(new Response(null), 100)).toEqual(new Uint8Array(0));
  });
});

describe("OTLP/HTTP transport: which fetch", () => {
  it("bypasses global fetch wrappers marked with markWrappedFetch", async () => {
    const real = globalThis.fetch;
    let calls = 0;
    const inner = markWrappedFetch(((...a: Parameters<typeof fetch>) => (calls++, real(...a))) as typeof fetch, real);
    const outer = markWrappedFetch(((...a: Parameters<typeof fetch>) => (calls++, inner(...a))) as typeof fetch, inner);
    vi.stubGlobal("fetch", outer); // installed after the transport module was imported
    expect(originalFetch()).toBe(real);
    const result = await createOtlpTransport(configFor(receiver.url), recordingDiag().diag).send("traces", traceRequest(), 1);
    expect(result.status).toBe("success");
    expect(receiver.requests).toHaveLength(1);
    expect(calls).toBe(0);
    expect(Object.keys(outer)).not.toContain(String(ORIGINAL_FETCH)); // the mark is not enumerable
    expect((outer as any)[Symbol.for("edge-otel.original-fetch")]).toBe(inner);
  });

  it("looks the global fetch up at call time", async () => {
    const real = globalThis.fetch;
    let calls = 0;
    vi.stubGlobal("fetch", ((...a: Parameters<typeof fetch>) => (calls++, real(...a))) as typeof fetch);
    const result = await createOtlpTransport(configFor(receiver.url), recordingDiag().diag).send("traces", traceRequest(), 1);
    expect(result.status).toBe("success");
    expect(calls).toBe(1);
  });

  it("survives a wrapper marked with itself", () => {
    const selfish = ((() => Promise.reject(new Error("x"))) as unknown) as typeof fetch;
    markWrappedFetch(selfish, selfish);
    vi.stubGlobal("fetch", selfish);
    expect(originalFetch()).toBe(selfish);
  });

  it("uses config.fetch when given, with only method, headers, body and signal", async () => {
    const real = globalThis.fetch;
    const inits: RequestInit[] = [];
    vi.stubGlobal("fetch", () => Promise.reject(new Error("global fetch must not be used")));
    const custom = ((url: RequestInfo | URL, init?: RequestInit) => (inits.push(init!), real(url, init))) as typeof fetch;
    const body = traceRequest();
    const result = await createOtlpTransport(configFor(receiver.url, { fetch: custom }), recordingDiag().diag).send("traces", body, 1);
    expect(result.status).toBe("success");
    expect(inits).toHaveLength(1);
    const init = inits[0]!;
    expect(Object.keys(init).sort()).toEqual(["body", "headers", "method", "signal"]);
    expect(init.method).toBe("POST");
    expect(init.signal).toBeInstanceOf(AbortSignal);
    expect(receiver.requests[0]!.body).toEqual(body);
  });

  it("fails an invalid endpoint without calling fetch or throwing", async () => {
    let calls = 0;
    const custom = (() => (calls++, Promise.reject(new Error("unreachable")))) as typeof fetch;
    const config = configFor(receiver.url, { fetch: custom, endpoints: { traces: "nope", metrics: "nope", logs: "nope" } });
    const { diag, warnings } = recordingDiag();
    const result = await createOtlpTransport(config, diag).send("traces", traceRequest(), 1);
    expect(result.status).toBe("failure");
    expect(result.message).toContain("nope");
    expect(calls).toBe(0);
    expect(warnings).toHaveLength(1);
  });

  it("resolves even when config.fetch throws synchronously", async () => {
    const custom = (() => {
      throw new TypeError("boom");
    }) as typeof fetch;
    const config = configFor(receiver.url, { fetch: custom, retry: { initialMs: 1, maxMs: 1, multiplier: 1, maxAttempts: 2 } });
    const result = await createOtlpTransport(config, recordingDiag().diag).send("traces", traceRequest(), 1);
    expect(result).toEqual({ status: "retryable", message: "boom" });
  });
});

describe("test helper: protobufjs decoder", () => {
  it("decodes metrics with enums as numbers and int64 as strings", () => {
    const bytes = toBinary(
      ExportMetricsServiceRequestSchema,
      create(ExportMetricsServiceRequestSchema, {
        resourceMetrics: [{ scopeMetrics: [{ metrics: [{
          name: "requests",
          data: { case: "sum", value: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ timeUnixNano: 5n, value: { case: "asInt", value: -3n } }] } },
        }] }] }],
      }),
    );
    const sum = decodeMetrics(bytes).resourceMetrics[0].scopeMetrics[0].metrics[0].sum;
    expect(sum).toEqual({ aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ timeUnixNano: "5", asInt: "-3" }] });
  });

  it("decodes logs with ids as lowercase hex", () => {
    const bytes = toBinary(
      ExportLogsServiceRequestSchema,
      create(ExportLogsServiceRequestSchema, {
        resourceLogs: [{ scopeLogs: [{ logRecords: [{
          severityNumber: 9,
          body: { value: { case: "stringValue", value: "hi" } },
          traceId: TRACE_ID,
          spanId: SPAN_ID,
        }] }] }],
      }),
    );
    const record = decodeLogs(bytes).resourceLogs[0].scopeLogs[0].logRecords[0];
    expect(record).toEqual({ severityNumber: 9, body: { stringValue: "hi" }, traceId: hex(TRACE_ID), spanId: hex(SPAN_ID) });
    expect(record.traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});
