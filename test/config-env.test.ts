import { describe, expect, it } from "vitest";
import type { DiagLogger } from "../src/common/types.ts";
import {
  decimalParser,
  enumParser,
  envBoolean,
  envString,
  envValue,
  intParser,
  parseKeyValueList,
  type Env,
} from "../src/config/env.ts";
import { mergeExporterConfig, resolveExporterEnv } from "../src/config/exporter-config.ts";
import { W3CBaggagePropagator } from "../src/propagation/baggage-propagator.ts";
import { propagatorByName } from "../src/propagation/names.ts";
import { W3CTraceContextPropagator } from "../src/propagation/trace-context-propagator.ts";
import { samplerFromName } from "../src/trace/sampler.ts";
import {
  resolveAttributeLimits,
  resolveBatchConfig,
  resolvePropagators,
  resolveSampler,
  resolveSpanLimits,
} from "../src/config/span-limits.ts";

function recordingDiag(): DiagLogger & { warnings: string[]; others: string[] } {
  const warnings: string[] = [];
  const others: string[] = [];
  return {
    warnings,
    others,
    warn: (m: string) => void warnings.push(m),
    error: (m: string) => void others.push(m),
    info: (m: string) => void others.push(m),
    debug: (m: string) => void others.push(m),
  };
}

/** Expects exactly one warning, naming the variable and (unless hidden) the bad value. */
function expectOneWarning(diag: ReturnType<typeof recordingDiag>, name: string, value?: string): void {
  expect(diag.warnings).toHaveLength(1);
  expect(diag.warnings[0]).toContain(name);
  if (value !== undefined) expect(diag.warnings[0]).toContain(JSON.stringify(value));
  expect(diag.others).toEqual([]);
}

describe("envString", () => {
  it("returns the trimmed value", () => {
    expect(envString({ A: "  x y  " }, "A")).toBe("x y");
  });
  it("treats unset, empty and blank as unset", () => {
    expect(envString({}, "A")).toBeUndefined();
    expect(envString({ A: undefined }, "A")).toBeUndefined();
    expect(envString({ A: "" }, "A")).toBeUndefined();
    expect(envString({ A: "   " }, "A")).toBeUndefined();
  });
  it("stringifies number and boolean bindings and ignores other bindings", () => {
    const env = { N: 42, B: true, O: { get() {} } } as unknown as Env;
    expect(envString(env, "N")).toBe("42");
    expect(envString(env, "B")).toBe("true");
    expect(envString(env, "O")).toBeUndefined();
  });
});

describe("envBoolean", () => {
  it.each([
    ["true", true],
    ["TRUE", true],
    [" True ", true],
    ["false", false],
    ["FaLsE", false],
  ])("reads %j", (text, expected) => {
    const diag = recordingDiag();
    expect(envBoolean({ OTEL_SDK_DISABLED: text }, "OTEL_SDK_DISABLED", !expected, diag)).toBe(expected);
    expect(diag.warnings).toEqual([]);
  });
  it("gives the default silently when unset or empty", () => {
    const diag = recordingDiag();
    expect(envBoolean({}, "OTEL_SDK_DISABLED", true, diag)).toBe(true);
    expect(envBoolean({ OTEL_SDK_DISABLED: "" }, "OTEL_SDK_DISABLED", false, diag)).toBe(false);
    expect(diag.warnings).toEqual([]);
  });
  it.each(["1", "yes", "on", "t"])("warns once on %j and gives the default", (text) => {
    for (const def of [true, false]) {
      const diag = recordingDiag();
      expect(envBoolean({ OTEL_SDK_DISABLED: text }, "OTEL_SDK_DISABLED", def, diag)).toBe(def);
      expectOneWarning(diag, "OTEL_SDK_DISABLED", text);
    }
  });
});

describe("envValue", () => {
  it("gives the default silently when unset or blank", () => {
    const diag = recordingDiag();
    const parse = (t: string) => t.length;
    expect(envValue({}, "X", 7, diag, parse)).toBe(7);
    expect(envValue({ X: "  " }, "X", 7, diag, parse)).toBe(7);
    expect(envValue({ X: " abc " }, "X", 7, diag, parse)).toBe(3);
    expect(diag.warnings).toEqual([]);
  });
  it("warns once, naming the variable, the quoted value and the default, when the parser rejects", () => {
    const diag = recordingDiag();
    expect(envValue({ X: "bad" }, "X", 7, diag, () => undefined)).toBe(7);
    expectOneWarning(diag, "X", "bad");
    expect(diag.warnings[0]).toContain("7");
  });
  it("shows the value through `show`, so secrets can be masked", () => {
    const diag = recordingDiag();
    envValue({ X: "secret" }, "X", 7, diag, () => undefined, () => "(hidden)");
    expectOneWarning(diag, "X");
    expect(diag.warnings[0]).toContain("(hidden)");
    expect(diag.warnings[0]).not.toContain("secret");
  });
});

describe("intParser", () => {
  it("reads non-negative integers", () => {
    const diag = recordingDiag();
    expect(envValue({ X: "0" }, "X", 7, diag, intParser(0))).toBe(0);
    expect(envValue({ X: " 250 " }, "X", 7, diag, intParser(0))).toBe(250);
    expect(envValue({ X: String(Number.MAX_SAFE_INTEGER) }, "X", 7, diag, intParser(0))).toBe(Number.MAX_SAFE_INTEGER);
    expect(diag.warnings).toEqual([]);
  });
  it.each(["-1", "1.5", "abc", "0x10", "1e3", "Infinity", "12abc", "9007199254740992", "9007199254740993"])(
    "warns once on %j and gives the default",
    (text) => {
      const diag = recordingDiag();
      expect(envValue({ X: text }, "X", 7, diag, intParser(0))).toBe(7);
      expectOneWarning(diag, "X", text);
    },
  );
  it("enforces a minimum", () => {
    const diag = recordingDiag();
    expect(envValue({ X: "0" }, "X", 7, diag, intParser(1))).toBe(7);
    expectOneWarning(diag, "X", "0");
    expect(envValue({ X: "1" }, "X", 7, recordingDiag(), intParser(1))).toBe(1);
  });
});

describe("decimalParser", () => {
  const any = decimalParser(-Number.MAX_VALUE, Number.MAX_VALUE);
  it("reads decimals", () => {
    const diag = recordingDiag();
    for (const [text, n] of [["0.25", 0.25], [".5", 0.5], ["1", 1], ["-2.5e-1", -0.25], ["+3.", 3], ["1E2", 100]] as const) {
      expect(envValue({ X: text }, "X", 9, diag, any)).toBe(n);
    }
    expect(diag.warnings).toEqual([]);
  });
  it.each(["abc", "0x1", "0b1", "NaN", "Infinity", "-Infinity", "1e999", "1,5", ".", "1.2.3", "e", "+-1"])("warns once on %j", (text) => {
    const diag = recordingDiag();
    expect(envValue({ X: text }, "X", 9, diag, any)).toBe(9);
    expectOneWarning(diag, "X", text);
  });
  it("enforces the range", () => {
    const diag = recordingDiag();
    expect(envValue({ X: "1.01" }, "X", 0.5, diag, decimalParser(0, 1))).toBe(0.5);
    expectOneWarning(diag, "X", "1.01");
    expect(envValue({ X: "1" }, "X", 0.5, recordingDiag(), decimalParser(0, 1))).toBe(1);
    expect(envValue({ X: "0" }, "X", 0.5, recordingDiag(), decimalParser(0, 1))).toBe(0);
  });
});

describe("enumParser", () => {
  const allowed = enumParser(["gzip", "none"] as const);
  it("matches case-insensitively and returns the canonical value", () => {
    const diag = recordingDiag();
    expect(envValue({ C: "GZip" }, "C", "none", diag, allowed)).toBe("gzip");
    expect(envValue({}, "C", "none", diag, allowed)).toBe("none");
    expect(diag.warnings).toEqual([]);
  });
  it("warns once on an unknown value", () => {
    const diag = recordingDiag();
    expect(envValue({ C: "brotli" }, "C", "none", diag, allowed)).toBe("none");
    expectOneWarning(diag, "C", "brotli");
  });
});

describe("parseKeyValueList", () => {
  it("parses trimmed pairs", () => {
    expect(parseKeyValueList(" a = 1 , b=2")).toEqual({ a: "1", b: "2" });
  });
  it("keeps '=' inside values and allows empty values", () => {
    expect(parseKeyValueList("token=abc==,empty=")).toEqual({ token: "abc==", empty: "" });
  });
  it("percent-decodes keys and values after trimming, leaving '+' alone", () => {
    const key = "my key";
    const value = "a,b=c ü +";
    const text = `${encodeURIComponent(key)}=${encodeURIComponent(value)},plus=a+b, sp=%20x%20 `;
    expect(parseKeyValueList(text)).toEqual({ [key]: value, plus: "a+b", sp: " x " });
  });
  it("skips empty items and lets a later duplicate win", () => {
    expect(parseKeyValueList("a=1,,a=2, ,")).toEqual({ a: "2" });
  });
  it("stores a __proto__ key as data", () => {
    const parsed = parseKeyValueList("__proto__=x")!;
    expect(Object.keys(parsed)).toEqual(["__proto__"]);
    expect(parsed["__proto__"]).toBe("x");
  });
  it.each(["a=1,b", "=1", " =1", "a=%E0%A4%A", "a=%zz", "%ZZ=1", "a=1,%=2"])("rejects %j as a whole", (text) => {
    expect(parseKeyValueList(text)).toBeUndefined();
  });
});

describe("resolveExporterEnv", () => {
  const SIGNALS = ["traces", "metrics", "logs"] as const;

  it("gives the defaults for an empty environment", () => {
    const diag = recordingDiag();
    for (const signal of SIGNALS) {
      expect(resolveExporterEnv({}, diag, signal)).toEqual({ headers: {}, protocol: "http/protobuf", compression: "none", timeoutMs: 10000 });
    }
    expect(resolveExporterEnv({}, diag)).toEqual(resolveExporterEnv({}, diag, "traces"));
    expect(diag.warnings).toEqual([]);
  });

  it("applies the generic variables to every signal; the endpoint stays a base url", () => {
    const diag = recordingDiag();
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: "https://collector:4318",
      OTEL_EXPORTER_OTLP_HEADERS: "Authorization=Bearer%20t0k,x-a=1",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_EXPORTER_OTLP_COMPRESSION: "gzip",
      OTEL_EXPORTER_OTLP_TIMEOUT: "2500",
    };
    for (const signal of SIGNALS) {
      expect(resolveExporterEnv(env, diag, signal)).toEqual({
        url: "https://collector:4318",
        headers: { Authorization: "Bearer t0k", "x-a": "1" },
        protocol: "http/json",
        compression: "gzip",
        timeoutMs: 2500,
      });
    }
    expect(diag.warnings).toEqual([]);
  });

  it("lets each per-signal variable win for its own signal only", () => {
    const diag = recordingDiag();
    const env: Env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: "https://base",
      OTEL_EXPORTER_OTLP_HEADERS: "a=generic,b=generic",
      OTEL_EXPORTER_OTLP_TIMEOUT: "1000",
    };
    const overrides = {
      traces: { protocol: "http/json", compression: "gzip", timeout: 111 },
      metrics: { protocol: "http/protobuf", compression: "none", timeout: 222 },
      logs: { protocol: "http/json", compression: "gzip", timeout: 333 },
    } as const;
    for (const signal of SIGNALS) {
      const p = `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_`;
      Object.assign(env, {
        [p + "ENDPOINT"]: `https://${signal}.example/custom/path`,
        [p + "HEADERS"]: `B=${signal}`,
        [p + "PROTOCOL"]: overrides[signal].protocol,
        [p + "COMPRESSION"]: overrides[signal].compression,
        [p + "TIMEOUT"]: String(overrides[signal].timeout),
      });
    }
    for (const signal of SIGNALS) {
      expect(resolveExporterEnv(env, diag, signal)).toEqual({
        url: "https://base",
        [`${signal}Url`]: `https://${signal}.example/custom/path`,
        // Per-signal headers merge into the generic ones; names compare case-insensitively.
        headers: { a: "generic", B: signal },
        protocol: overrides[signal].protocol,
        compression: overrides[signal].compression,
        timeoutMs: overrides[signal].timeout,
      });
    }
    expect(diag.warnings).toEqual([]);
  });

  it("keeps signals independent: one per-signal variable leaves the others on the generic value", () => {
    const env = { OTEL_EXPORTER_OTLP_PROTOCOL: "http/json", OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: "http/protobuf" };
    expect(SIGNALS.map((signal) => resolveExporterEnv(env, recordingDiag(), signal).protocol)).toEqual([
      "http/json",
      "http/protobuf",
      "http/json",
    ]);
    const traces = resolveExporterEnv({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: "https://m.example/v1/metrics" }, recordingDiag());
    expect(traces.tracesUrl).toBeUndefined();
    expect(traces.metricsUrl).toBeUndefined();
  });

  it("returns a fresh headers object each time", () => {
    const env = { OTEL_EXPORTER_OTLP_HEADERS: "a=1" };
    expect(resolveExporterEnv(env, recordingDiag(), "traces").headers).not.toBe(resolveExporterEnv(env, recordingDiag(), "logs").headers);
  });

  it.each([
    ["OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"],
    ["OTEL_EXPORTER_OTLP_PROTOCOL", "http/xml"],
    ["OTEL_EXPORTER_OTLP_COMPRESSION", "brotli"],
    ["OTEL_EXPORTER_OTLP_TIMEOUT", "-5"],
    ["OTEL_EXPORTER_OTLP_TIMEOUT", "0"],
    ["OTEL_EXPORTER_OTLP_TIMEOUT", "10s"],
    ["OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"],
    ["OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://collector"],
    ["OTEL_EXPORTER_OTLP_ENDPOINT", "http://exa mple.com"],
    ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "collector:4318/v1/traces"],
  ])("warns once on %s=%j and uses the default for every signal", (name, value) => {
    for (const signal of SIGNALS) {
      const diag = recordingDiag();
      const resolved = resolveExporterEnv({ [name]: value }, diag, signal);
      if (name.includes("TRACES") && signal !== "traces") {
        expect(diag.warnings).toEqual([]);
      } else {
        expectOneWarning(diag, name, value);
      }
      expect(resolved).toEqual(resolveExporterEnv({}, recordingDiag(), signal));
    }
  });

  it("says that grpc is unsupported", () => {
    const diag = recordingDiag();
    resolveExporterEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }, diag);
    expect(diag.warnings[0]).toMatch(/grpc is not supported/);
  });

  it("falls back from an invalid per-signal value to the generic one, with one warning", () => {
    const diag = recordingDiag();
    const resolved = resolveExporterEnv(
      {
        OTEL_EXPORTER_OTLP_TIMEOUT: "1234",
        OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: "soon",
        OTEL_EXPORTER_OTLP_COMPRESSION: "gzip",
      },
      diag,
      "logs",
    );
    expectOneWarning(diag, "OTEL_EXPORTER_OTLP_LOGS_TIMEOUT", "soon");
    expect(resolved.timeoutMs).toBe(1234);
    expect(resolved.compression).toBe("gzip");
  });

  it("discards malformed headers whole with one warning that hides the value", () => {
    const secret = "s3cr3t";
    const env = { OTEL_EXPORTER_OTLP_HEADERS: `x-ok=1,Authorization ${secret}`, OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-t=2" };
    const diag = recordingDiag();
    expect(resolveExporterEnv(env, diag, "traces").headers).toEqual({ "x-t": "2" });
    expectOneWarning(diag, "OTEL_EXPORTER_OTLP_HEADERS");
    expect(diag.warnings[0]).not.toContain(secret);
    const metricsDiag = recordingDiag();
    expect(resolveExporterEnv(env, metricsDiag, "metrics").headers).toEqual({});
    expectOneWarning(metricsDiag, "OTEL_EXPORTER_OTLP_HEADERS");
    expect(metricsDiag.warnings[0]).not.toContain(secret);
  });

  it("hides per-signal header values too", () => {
    const diag = recordingDiag();
    const resolved = resolveExporterEnv({ OTEL_EXPORTER_OTLP_HEADERS: "a=1", OTEL_EXPORTER_OTLP_TRACES_HEADERS: "key=%zz-secret" }, diag);
    expect(resolved.headers).toEqual({ a: "1" });
    expectOneWarning(diag, "OTEL_EXPORTER_OTLP_TRACES_HEADERS");
    expect(diag.warnings[0]).not.toContain("secret");
  });

  it("accepts enum values case-insensitively", () => {
    const diag = recordingDiag();
    const resolved = resolveExporterEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: "HTTP/JSON", OTEL_EXPORTER_OTLP_COMPRESSION: "GZIP" }, diag);
    expect(resolved.protocol).toBe("http/json");
    expect(resolved.compression).toBe("gzip");
    expect(diag.warnings).toEqual([]);
  });
});

describe("mergeExporterConfig", () => {
  const fromEnv = resolveExporterEnv(
    {
      OTEL_EXPORTER_OTLP_ENDPOINT: "https://env-base",
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://env-traces/v1/traces",
      OTEL_EXPORTER_OTLP_HEADERS: "authorization=env,x-env=1",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_EXPORTER_OTLP_COMPRESSION: "gzip",
      OTEL_EXPORTER_OTLP_TIMEOUT: "3000",
    },
    recordingDiag(),
  );

  it("returns the environment config when nothing is explicit", () => {
    expect(mergeExporterConfig(undefined, fromEnv)).toEqual(fromEnv);
    expect(mergeExporterConfig({}, fromEnv)).toEqual(fromEnv);
    expect(mergeExporterConfig({ url: undefined, protocol: undefined }, fromEnv)).toEqual(fromEnv);
  });

  it("lets explicit fields win one by one", () => {
    const merged = mergeExporterConfig({ protocol: "http/protobuf", timeoutMs: 50 }, fromEnv);
    expect(merged.protocol).toBe("http/protobuf");
    expect(merged.timeoutMs).toBe(50);
    expect(merged.compression).toBe(fromEnv.compression);
    expect(merged.url).toBe(fromEnv.url);
    expect(merged.tracesUrl).toBe(fromEnv.tracesUrl);
  });

  it("merges headers by case-insensitive name, explicit winning", () => {
    const merged = mergeExporterConfig({ headers: { Authorization: "explicit", "x-own": "2" } }, fromEnv);
    expect(merged.headers).toEqual({ "x-env": "1", Authorization: "explicit", "x-own": "2" });
    expect(fromEnv.headers).toEqual({ authorization: "env", "x-env": "1" });
  });

  it("lets an explicit base url beat every endpoint from the environment", () => {
    const merged = mergeExporterConfig({ url: "https://explicit" }, fromEnv);
    expect(merged.url).toBe("https://explicit");
    expect(merged.tracesUrl).toBeUndefined();
  });

  it("lets an explicit per-signal url win and keeps the environment base", () => {
    const merged = mergeExporterConfig({ tracesUrl: "https://explicit/t" }, fromEnv);
    expect(merged.tracesUrl).toBe("https://explicit/t");
    expect(merged.url).toBe(fromEnv.url);
  });

  it("passes an explicit fetch through", () => {
    const f = (() => Promise.resolve(new Response())) as typeof fetch;
    expect(mergeExporterConfig({ fetch: f }, fromEnv).fetch).toBe(f);
  });
});

describe("resolveSpanLimits", () => {
  const DEFAULTS = {
    attributeCountLimit: 128,
    attributeValueLengthLimit: Infinity,
    eventCountLimit: 128,
    linkCountLimit: 128,
    attributePerEventCountLimit: 128,
    attributePerLinkCountLimit: 128,
  };
  const VARS = {
    attributeCountLimit: "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT",
    attributeValueLengthLimit: "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT",
    eventCountLimit: "OTEL_SPAN_EVENT_COUNT_LIMIT",
    linkCountLimit: "OTEL_SPAN_LINK_COUNT_LIMIT",
    attributePerEventCountLimit: "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT",
    attributePerLinkCountLimit: "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT",
  } as const;

  it("uses the spec defaults", () => {
    const diag = recordingDiag();
    expect(resolveSpanLimits(undefined, {}, diag)).toEqual(DEFAULTS);
    expect(diag.warnings).toEqual([]);
  });

  it.each(Object.entries(VARS))("reads %s from %s", (field, name) => {
    const diag = recordingDiag();
    expect(resolveSpanLimits(undefined, { [name]: "7" }, diag)).toEqual({ ...DEFAULTS, [field]: 7 });
    expect(diag.warnings).toEqual([]);
  });

  it.each(Object.entries(VARS))("warns once on an invalid %s variable", (_field, name) => {
    const diag = recordingDiag();
    expect(resolveSpanLimits(undefined, { [name]: "-3" }, diag)).toEqual(DEFAULTS);
    expectOneWarning(diag, name, "-3");
  });

  it("applies the generic attribute limits to spans", () => {
    const limits = resolveSpanLimits(undefined, { OTEL_ATTRIBUTE_COUNT_LIMIT: "5", OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: "9" }, recordingDiag());
    expect(limits.attributeCountLimit).toBe(5);
    expect(limits.attributeValueLengthLimit).toBe(9);
    // The per-event and per-link limits have their own variables and defaults.
    expect(limits.attributePerEventCountLimit).toBe(128);
  });

  it("lets the span-specific attribute variables override the generic ones", () => {
    const limits = resolveSpanLimits(
      undefined,
      {
        OTEL_ATTRIBUTE_COUNT_LIMIT: "5",
        OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: "9",
        OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: "6",
        OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: "10",
      },
      recordingDiag(),
    );
    expect([limits.attributeCountLimit, limits.attributeValueLengthLimit]).toEqual([6, 10]);
  });

  it("falls back from an invalid span-specific variable to the generic one", () => {
    const diag = recordingDiag();
    const limits = resolveSpanLimits(undefined, { OTEL_ATTRIBUTE_COUNT_LIMIT: "5", OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: "x" }, diag);
    expect(limits.attributeCountLimit).toBe(5);
    expectOneWarning(diag, "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "x");
  });

  it("lets explicit options win over the environment", () => {
    const env = Object.fromEntries(Object.values(VARS).map((name) => [name, "3"]));
    const explicit = {
      attributeCountLimit: 1,
      attributeValueLengthLimit: Infinity,
      eventCountLimit: 0,
      linkCountLimit: 2,
      attributePerEventCountLimit: 4,
      attributePerLinkCountLimit: 5,
    };
    expect(resolveSpanLimits(explicit, env, recordingDiag())).toEqual(explicit);
    expect(resolveSpanLimits({ eventCountLimit: 9 }, env, recordingDiag()).linkCountLimit).toBe(3);
  });

  it("ignores an invalid explicit option with one warning", () => {
    const diag = recordingDiag();
    const limits = resolveSpanLimits({ eventCountLimit: -1 }, { OTEL_SPAN_EVENT_COUNT_LIMIT: "4" }, diag);
    expect(limits.eventCountLimit).toBe(4);
    expect(diag.warnings).toHaveLength(1);
    expect(diag.warnings[0]).toContain("SPAN_EVENT_COUNT_LIMIT");
  });
});

describe("resolveAttributeLimits", () => {
  it("reads the generic pair, with model-specific overrides", () => {
    const env = { OTEL_ATTRIBUTE_COUNT_LIMIT: "10", OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT: "20" };
    expect(resolveAttributeLimits(undefined, {}, recordingDiag())).toEqual({ countLimit: 128, valueLengthLimit: Infinity });
    expect(resolveAttributeLimits(undefined, env, recordingDiag())).toEqual({ countLimit: 10, valueLengthLimit: Infinity });
    expect(resolveAttributeLimits(undefined, env, recordingDiag(), "LOGRECORD")).toEqual({ countLimit: 10, valueLengthLimit: 20 });
    expect(resolveAttributeLimits({ countLimit: 1 }, env, recordingDiag(), "LOGRECORD")).toEqual({ countLimit: 1, valueLengthLimit: 20 });
  });
});

describe("resolveBatchConfig", () => {
  const BSP = {
    scheduledDelayMillis: ["OTEL_BSP_SCHEDULE_DELAY", 5000],
    exportTimeoutMillis: ["OTEL_BSP_EXPORT_TIMEOUT", 30000],
    maxQueueSize: ["OTEL_BSP_MAX_QUEUE_SIZE", 2048],
    maxExportBatchSize: ["OTEL_BSP_MAX_EXPORT_BATCH_SIZE", 512],
  } as const;
  const defaults = Object.fromEntries(Object.entries(BSP).map(([field, [, def]]) => [field, def]));

  it("uses the spec defaults", () => {
    expect(resolveBatchConfig(undefined, {}, recordingDiag())).toEqual(defaults);
  });

  it.each(Object.entries(BSP))("reads %s", (field, [name]) => {
    const diag = recordingDiag();
    expect(resolveBatchConfig(undefined, { [name]: "600" }, diag)).toEqual({ ...defaults, [field]: 600 });
    expect(diag.warnings).toEqual([]);
  });

  it.each(Object.entries(BSP))("warns once on an invalid %s", (_field, [name]) => {
    const diag = recordingDiag();
    expect(resolveBatchConfig(undefined, { [name]: "lots" }, diag)).toEqual(defaults);
    expectOneWarning(diag, name, "lots");
  });

  it("lets explicit options win", () => {
    const config = resolveBatchConfig({ maxQueueSize: 10, maxExportBatchSize: 5 }, { OTEL_BSP_MAX_QUEUE_SIZE: "99" }, recordingDiag());
    expect(config).toEqual({ ...defaults, maxQueueSize: 10, maxExportBatchSize: 5 });
  });

  it("clamps a batch larger than the queue, with one warning", () => {
    const diag = recordingDiag();
    const config = resolveBatchConfig(undefined, { OTEL_BSP_MAX_QUEUE_SIZE: "100", OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "200" }, diag);
    expect(config.maxExportBatchSize).toBe(100);
    expect(diag.warnings).toHaveLength(1);
    expect(diag.warnings[0]).toContain("200");
  });

  it("reads OTEL_BLRP_* for log records, with their 1000 ms delay default", () => {
    expect(resolveBatchConfig(undefined, {}, recordingDiag(), "OTEL_BLRP").scheduledDelayMillis).toBe(1000);
    expect(resolveBatchConfig(undefined, { OTEL_BLRP_MAX_QUEUE_SIZE: "7", OTEL_BSP_MAX_QUEUE_SIZE: "9" }, recordingDiag(), "OTEL_BLRP").maxQueueSize).toBe(7);
  });
});

describe("resolveSampler", () => {
  const NAMES = [
    "always_on",
    "always_off",
    "traceidratio",
    "parentbased_always_on",
    "parentbased_always_off",
    "parentbased_traceidratio",
  ] as const;
  // A stand-in factory that knows the spec's names and "builds" each as its name and argument.
  const fromName = (name: string, arg: number) => ((NAMES as readonly string[]).includes(name) ? { name, arg } : undefined);

  it("defaults to parentbased_always_on", () => {
    expect(resolveSampler({}, recordingDiag(), fromName)).toEqual({ name: "parentbased_always_on", arg: 1 });
  });

  it.each(NAMES)("reads %s", (name) => {
    const diag = recordingDiag();
    expect(resolveSampler({ OTEL_TRACES_SAMPLER: name.toUpperCase() }, diag, fromName).name).toBe(name);
    expect(diag.warnings).toEqual([]);
  });

  it.each(["jaeger_remote", "xray", "sometimes"])("warns once on %j and uses the default", (text) => {
    const diag = recordingDiag();
    expect(resolveSampler({ OTEL_TRACES_SAMPLER: text }, diag, fromName)).toEqual({ name: "parentbased_always_on", arg: 1 });
    expectOneWarning(diag, "OTEL_TRACES_SAMPLER", text);
  });

  it("reads the ratio for the ratio samplers", () => {
    for (const name of ["traceidratio", "parentbased_traceidratio"]) {
      expect(resolveSampler({ OTEL_TRACES_SAMPLER: name, OTEL_TRACES_SAMPLER_ARG: "0.25" }, recordingDiag(), fromName)).toEqual({ name, arg: 0.25 });
      expect(resolveSampler({ OTEL_TRACES_SAMPLER: name }, recordingDiag(), fromName).arg).toBe(1);
    }
  });

  it.each(["1.5", "-0.1", "half", "NaN"])("warns once on ratio %j and uses 1", (text) => {
    const diag = recordingDiag();
    expect(resolveSampler({ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: text }, diag, fromName)).toEqual({
      name: "traceidratio",
      arg: 1,
    });
    expectOneWarning(diag, "OTEL_TRACES_SAMPLER_ARG", text);
  });

  it("ignores the argument of samplers that take none", () => {
    const diag = recordingDiag();
    expect(resolveSampler({ OTEL_TRACES_SAMPLER: "always_on", OTEL_TRACES_SAMPLER_ARG: "junk" }, diag, fromName).arg).toBe(1);
    expect(diag.warnings).toEqual([]);
  });

  it("builds the real samplers with samplerFromName", () => {
    const diag = recordingDiag();
    const env = { OTEL_TRACES_SAMPLER: "ParentBased_TraceIdRatio", OTEL_TRACES_SAMPLER_ARG: "0.5" };
    const sampler = resolveSampler(env, diag, samplerFromName);
    expect(sampler.toString()).toBe(samplerFromName("parentbased_traceidratio", 0.5)!.toString());
    expect(sampler.toString()).not.toBe(samplerFromName("parentbased_traceidratio", 1)!.toString());
    expect(resolveSampler({}, diag, samplerFromName).toString()).toBe(samplerFromName("parentbased_always_on", 1)!.toString());
    expect(diag.warnings).toEqual([]);
  });
});

describe("resolvePropagators", () => {
  // A stand-in factory that knows the names edge-otel implements and "builds" each as its name.
  const byName = (name: string): string | undefined => (["tracecontext", "baggage", "b3", "b3multi"].includes(name) ? name : undefined);

  it("defaults to tracecontext and baggage", () => {
    expect(resolvePropagators({}, recordingDiag(), byName)).toEqual(["tracecontext", "baggage"]);
    expect(resolvePropagators({ OTEL_PROPAGATORS: " , " }, recordingDiag(), byName)).toEqual(["tracecontext", "baggage"]);
  });

  it("reads, lowercases and dedupes in order", () => {
    const diag = recordingDiag();
    expect(resolvePropagators({ OTEL_PROPAGATORS: "B3, tracecontext ,b3,baggage,TraceContext" }, diag, byName)).toEqual([
      "b3",
      "tracecontext",
      "baggage",
    ]);
    expect(diag.warnings).toEqual([]);
  });

  it("gives [] for none", () => {
    const diag = recordingDiag();
    expect(resolvePropagators({ OTEL_PROPAGATORS: "none" }, diag, byName)).toEqual([]);
    expect(resolvePropagators({ OTEL_PROPAGATORS: "NONE" }, diag, byName)).toEqual([]);
    expect(diag.warnings).toEqual([]);
  });

  it("warns when none is combined with others, and uses none", () => {
    const diag = recordingDiag();
    expect(resolvePropagators({ OTEL_PROPAGATORS: "none,baggage" }, diag, byName)).toEqual([]);
    expectOneWarning(diag, "OTEL_PROPAGATORS", "none,baggage");
  });

  it.each(["zipkin", "jaeger"])("warns once on the unknown or unsupported name %j and keeps the others", (name) => {
    const diag = recordingDiag();
    expect(resolvePropagators({ OTEL_PROPAGATORS: `tracecontext,${name}` }, diag, byName)).toEqual(["tracecontext"]);
    expectOneWarning(diag, "OTEL_PROPAGATORS", name);
  });

  it("builds the real propagators with propagatorByName", () => {
    const diag = recordingDiag();
    const built = resolvePropagators({ OTEL_PROPAGATORS: "b3multi,tracecontext" }, diag, propagatorByName);
    expect(built.map((p) => p.fields())).toEqual([propagatorByName("b3multi")!.fields(), propagatorByName("tracecontext")!.fields()]);
    expect(resolvePropagators({}, diag, propagatorByName).map((p) => p.constructor)).toEqual([
      W3CTraceContextPropagator,
      W3CBaggagePropagator,
    ]);
    expect(diag.warnings).toEqual([]);
  });
});
