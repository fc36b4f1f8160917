// Regression tests from a correctness review: explicit configuration that is null, empty or partly
// undefined (as plain JS callers write it) never throws and never defeats the environment or the defaults.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDiag } from "../src/common/diag.ts";
import { resolveEndpoints } from "../src/otlp/endpoint.ts";
import { createOtlpTransport } from "../src/otlp/http-transport.ts";
import { createTelemetry } from "../src/telemetry.ts";

const quiet = { error() {}, warn() {}, info() {}, debug() {} };

/** A fetch that records each call and answers `status` a moment later, honouring the abort signal. */
function fakeFetch(status = 200) {
  const calls: { url: string }[] = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url) });
    await new Promise((r) => setTimeout(r, 5));
    if (init?.signal?.aborted) throw new DOMException("aborted", "AbortError");
    return new Response(null, { status });
  }) as typeof globalThis.fetch;
  return { calls, fetch };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("explicit configuration that is null or empty", () => {
  it("diag: null falls back to the default console logger instead of throwing", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(() => createTelemetry({ diag: null as never, exporters: [], env: { OTEL_SDK_DISABLED: "maybe" } })).not.toThrow();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(createDiag(null as never)).not.toBeNull();
  });

  it("exporter: null and exporters: [null] are like no explicit exporter", () => {
    expect(() => createTelemetry({ diag: quiet, exporter: null as never })).not.toThrow();
    expect(() => createTelemetry({ diag: quiet, exporters: [null as never] })).not.toThrow();
  });

  it("an empty explicit url counts as unset: the environment's endpoint is used", async () => {
    const { calls, fetch } = fakeFetch();
    const telemetry = createTelemetry({
      diag: quiet,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector.example:4318" },
      exporter: { url: "", fetch },
    });
    telemetry.tracer("t").startSpan("x").end();
    expect((await telemetry.flush()).ok).toBe(true);
    expect(calls.map((c) => c.url)).toEqual(["http://collector.example:4318/v1/traces"]);
  });

  it("a null timeoutMs keeps the default timeout rather than timing out every export", async () => {
    const { calls, fetch } = fakeFetch();
    const telemetry = createTelemetry({ diag: quiet, exporter: { url: "http://h.example", fetch, timeoutMs: null as never } });
    telemetry.tracer("t").startSpan("x").end();
    const r = await telemetry.flush();
    expect(r.traces.message).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(calls).toHaveLength(1);
  });
});

describe("retry policy overrides", () => {
  it("undefined fields keep their defaults: no burst of immediate retries", async () => {
    const { calls, fetch } = fakeFetch(503);
    const transport = createOtlpTransport(
      {
        endpoints: resolveEndpoints({ url: "http://h.example" }),
        headers: {},
        protocol: "http/protobuf",
        compression: "none",
        // Shorter than the default first backoff (1 s ± 20%): one attempt only.
        timeoutMs: 300,
        fetch,
        retry: { initialMs: undefined, maxAttempts: undefined } as never,
      },
      quiet,
    );
    const r = await transport.send("traces", new Uint8Array([1]), 1);
    expect(r.status).toBe("retryable");
    expect(calls).toHaveLength(1);
  });

  it("invalid numbers (NaN, negative) keep their defaults too", async () => {
    const { calls, fetch } = fakeFetch(503);
    const transport = createOtlpTransport(
      {
        endpoints: resolveEndpoints({ url: "http://h.example" }),
        headers: {},
        protocol: "http/protobuf",
        compression: "none",
        timeoutMs: 300,
        fetch,
        retry: { initialMs: Number.NaN, multiplier: -1 },
      },
      quiet,
    );
    await transport.send("traces", new Uint8Array([1]), 1);
    expect(calls).toHaveLength(1);
  });
});
