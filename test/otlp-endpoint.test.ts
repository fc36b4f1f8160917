import { describe, expect, it } from "vitest";
import type { DiagLogger } from "../src/common/types.ts";
import { DEFAULT_OTLP_BASE_URL, endpointProblem, resolveEndpoints } from "../src/otlp/endpoint.ts";

function recordingDiag(): { diag: DiagLogger; warnings: unknown[][] } {
  const warnings: unknown[][] = [];
  const noop = (): void => {};
  return { warnings, diag: { error: noop, info: noop, debug: noop, warn: (...a: unknown[]) => void warnings.push(a) } };
}

describe("resolveEndpoints", () => {
  const bases: Array<[string, string]> = [
    ["http://h:4318", "http://h:4318"],
    ["http://h:4318/", "http://h:4318"],
    ["http://h:4318//", "http://h:4318"],
    ["http://h/otlp", "http://h/otlp"],
    ["http://h/otlp/", "http://h/otlp"],
    ["https://collector.example.com:443/a/b", "https://collector.example.com/a/b"],
    // A signal path on the base is accepted and its base used for every signal.
    ["http://h:4318/v1/traces", "http://h:4318"],
    ["http://h:4318/v1/metrics/", "http://h:4318"],
    ["http://h/otlp/v1/logs", "http://h/otlp"],
  ];
  for (const [url, base] of bases) {
    it(`appends v1/<signal> to ${url}`, () => {
      const { diag, warnings } = recordingDiag();
      expect(resolveEndpoints({ url }, diag)).toEqual({
        traces: `${base}/v1/traces`,
        metrics: `${base}/v1/metrics`,
        logs: `${base}/v1/logs`,
      });
      expect(warnings).toEqual([]);
    });
  }

  it("keeps a query string on the base", () => {
    expect(resolveEndpoints({ url: "http://h:4318/x?tenant=a" }).logs).toBe("http://h:4318/x/v1/logs?tenant=a");
  });

  it("defaults to localhost:4318", () => {
    const r = resolveEndpoints({});
    expect(r.traces).toBe(`${DEFAULT_OTLP_BASE_URL}/v1/traces`);
    expect(r.metrics).toBe(`${DEFAULT_OTLP_BASE_URL}/v1/metrics`);
    expect(r.logs).toBe(`${DEFAULT_OTLP_BASE_URL}/v1/logs`);
    // Empty strings (an empty environment variable) count as unset.
    expect(resolveEndpoints({ url: "", tracesUrl: "" })).toEqual(r);
  });

  it("uses per-signal urls exactly as given, the base for the rest", () => {
    const tracesUrl = "https://t.example/custom/path/"; // no signal path appended, trailing slash kept
    const r = resolveEndpoints({ url: "http://base:4318", tracesUrl, logsUrl: "http://l.example/ingest" });
    expect(r).toEqual({
      traces: tracesUrl,
      metrics: "http://base:4318/v1/metrics",
      logs: "http://l.example/ingest",
    });
  });

  it("reports invalid urls through diag, once each, without throwing", () => {
    const { diag, warnings } = recordingDiag();
    const r = resolveEndpoints({ url: "not a url", metricsUrl: "localhost:4318/v1/metrics" }, diag);
    expect(r.traces).toBe("not a url/v1/traces");
    expect(r.metrics).toBe("localhost:4318/v1/metrics");
    expect(warnings).toHaveLength(2);
    expect(String(warnings[0]![0])).toContain("not a url");
    expect(String(warnings[1]![0])).toContain("localhost:4318/v1/metrics");
  });
});

describe("endpointProblem", () => {
  it("accepts http and https urls", () => {
    expect(endpointProblem("http://127.0.0.1:4318/v1/traces")).toBeUndefined();
    expect(endpointProblem("https://h/v1/logs")).toBeUndefined();
  });
  it("names unparsable and non-http urls", () => {
    expect(endpointProblem("://x")).toMatch(/not an http/);
    expect(endpointProblem("localhost:4318")).toMatch(/not an http/);
    expect(endpointProblem("ftp://h/v1/traces")).toMatch(/not an http/);
  });
});
