import { describe, expect, it } from "vitest";
import type { DiagLogger } from "../src/common/types.ts";
import {
  envBoolean,
  envEnum,
  envInt,
  envList,
  envNumber,
  envString,
  parseKeyValueList,
  type Env,
} from "../src/config/env.ts";
import { mergeExporterConfig, resolveExporterEnv } from "../src/config/exporter-config.ts";
import {
  resolveAttributeLimits,
  resolveBatchConfig,
  resolvePropagatorNames,
  resolveSamplerEnv,
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

describe("envInt", () => {
  it("reads non-negative integers", () => {
    const diag = recordingDiag();
    expect(envInt({ X: "0" }, "X", 7, diag)).toBe(0);
    expect(envInt({ X: " 250 " }, "X", 7, diag)).toBe(250);
    expect(envInt({}, "X", 7, diag)).toBe(7);
    expect(diag.warnings).toEqual([]);
  });
  it.each(["-1", "1.5", "abc", "0x10", "1e3", "Infinity", "12abc", "9007199254740993"])(
    "warns once on %j and gives the default",
    (text) => {
      const diag = recordingDiag();
      expect(envInt({ X: text }, "X", 7, diag)).toBe(7);
      expectOneWarning(diag, "X", text);
    },
  );
  it("enforces a minimum", () => {
    const diag = recordingDiag();
    expect(envInt({ X: "0" }, "X", 7, diag, 1)).toBe(7);
    expectOneWarning(diag, "X", "0");
    expect(envInt({ X: "1" }, "X", 7, recordingDiag(), 1)).toBe(1);
  });
});

describe("envNumber", () => {
  it("reads decimals", () => {
    const diag = recordingDiag();
    for (const [text, n] of [["0.25", 0.25], [".5", 0.5], ["1", 1], ["-2.5e-1", -0.25], ["+3.", 3]] as const) {
      expect(envNumber({ X: text }, "X", 9, diag)).toBe(n);
    }
    expect(diag.warnings).toEqual([]);
  });
  it.each(["abc", "0x1", "NaN", "Infinity", "1,5", "."])("warns once on %j", (text) => {
    const diag = recordingDiag();
    expect(envNumber({ X: text }, "X", 9, diag)).toBe(9);
    expectOneWarning(diag, "X", text);
  });
  it("enforces the range", () => {
    const diag = recordingDiag();
    expect(envNumber({ X: "1.01" }, "X", 0.5, diag, 0, 1)).toBe(0.5);
    expectOneWarning(diag, "X", "1.01");
    expect(envNumber({ X: "1" }, "X", 0.5, recordingDiag(), 0, 1)).toBe(1);
    expect(envNumber({ X: "0" }, "X", 0.5, recordingDiag(), 0, 1)).toBe(0);
  });
});

describe("envEnum", () => {
  const allowed = ["gzip", "none"] as const;
  it("matches case-insensitively and returns the canonical value", () => {
    const diag = recordingDiag();
    expect(envEnum({ C: "GZip" }, "C", allowed, "none", diag)).toBe("gzip");
    expect(envEnum({}, "C", allowed, "none", diag)).toBe("none");
    expect(diag.warnings).toEqual([]);
  });
  it("warns once on an unknown value", () => {
    const diag = recordingDiag();
    expect(envEnum({ C: "brotli" }, "C", allowed, "none", diag)).toBe("none");
    expectOneWarning(diag, "C", "brotli");
  });
});

describe("envList", () => {
  it("splits, trims and drops empty items", () => {
    expect(envList({ L: " a, b ,,c , " }, "L")).toEqual(["a", "b", "c"]);
    expect(envList({ L: "" }, "L")).toBeUndefined();
    expect(envList({}, "L")).toBeUndefined();
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
    const resolved = resolveExporterEnv({}, diag);
    for (const signal of SIGNALS) {
      expect(resolved[signal]).toEqual({ headers: {}, protocol: "http/protobuf", compression: "none", timeoutMs: 10000 });
    }
    expect(diag.warnings).toEqual([]);
  });

  it("applies the generic variables to every signal; the endpoint stays a base url", () => {
    const diag = recordingDiag();
    const resolved = resolveExporterEnv(
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: "https://collector:4318",
        OTEL_EXPORTER_OTLP_HEADERS: "Authorization=Bearer%20t0k,x-a=1",
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_EXPORTER_OTLP_COMPRESSION: "gzip",
        OTEL_EXPORTER_OTLP_TIMEOUT: "2500",
      },
      diag,
    );
    for (const signal of SIGNALS) {
      expect(resolved[signal]).toEqual({
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
    const resolved = resolveExporterEnv(env, diag);
    for (const signal of SIGNALS) {
      expect(resolved[signal]).toEqual({
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
    const resolved = resolveExporterEnv(
      { OTEL_EXPORTER_OTLP_PROTOCOL: "http/json", OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: "http/protobuf" },
      recordingDiag(),
    );
    expect([resolved.traces.protocol, resolved.metrics.protocol, resolved.logs.protocol]).toEqual([
      "http/json",
      "http/protobuf",
      "http/json",
    ]);
    expect(resolved.traces.tracesUrl).toBeUndefined();
  });

  it("returns separate header objects per signal", () => {
    const resolved = resolveExporterEnv({ OTEL_EXPORTER_OTLP_HEADERS: "a=1" }, recordingDiag());
    expect(resolved.traces.headers).not.toBe(resolved.logs.headers);
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
  ])("warns once on %s=%j and uses the default for every signal", (name, value) => {
    const diag = recordingDiag();
    const resolved = resolveExporterEnv({ [name]: value }, diag);
    expectOneWarning(diag, name, value);
    expect(resolved).toEqual(resolveExporterEnv({}, recordingDiag()));
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
    );
    expectOneWarning(diag, "OTEL_EXPORTER_OTLP_LOGS_TIMEOUT", "soon");
    expect(resolved.logs.timeoutMs).toBe(1234);
    expect(resolved.logs.compression).toBe("gzip");
  });

  it("discards malformed headers whole with one warning that hides the value", () => {
    const diag = recordingDiag();
    const secret = "s3cr3t";
    const resolved = resolveExporterEnv(
      { OTEL_EXPORTER_OTLP_HEADERS: `x-ok=1,Authorization ${secret}`, OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-t=2" },
      diag,
    );
    expectOneWarning(diag, "OTEL_EXPORTER_OTLP_HEADERS");
    expect(diag.warnings[0]).not.toContain(secret);
    expect(resolved.traces.headers).toEqual({ "x-t": "2" });
    expect(resolved.metrics.headers).toEqual({});
  });

  it("accepts enum values case-insensitively", () => {
    const diag = recordingDiag();
    const resolved = resolveExporterEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: "HTTP/JSON", OTEL_EXPORTER_OTLP_COMPRESSION: "GZIP" }, diag);
    expect(resolved.traces.protocol).toBe("http/json");
    expect(resolved.traces.compression).toBe("gzip");
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
  ).traces;

  it("returns the environment config when nothing is explicit", () => {
    expect(mergeExporterConfig(undefined, fromEnv)).toEqual(fromEnv);
    expect(mergeExporterConfig({}, fromEnv)).toEqual(fromEnv);
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

describe("resolveSamplerEnv", () => {
  it("defaults to parentbased_always_on", () => {
    expect(resolveSamplerEnv({}, recordingDiag())).toEqual({ name: "parentbased_always_on", arg: 1 });
  });

  it.each([
    "always_on",
    "always_off",
    "traceidratio",
    "parentbased_always_on",
    "parentbased_always_off",
    "parentbased_traceidratio",
  ] as const)("reads %s", (name) => {
    const diag = recordingDiag();
    expect(resolveSamplerEnv({ OTEL_TRACES_SAMPLER: name.toUpperCase() }, diag).name).toBe(name);
    expect(diag.warnings).toEqual([]);
  });

  it.each(["jaeger_remote", "xray", "sometimes"])("warns once on %j and uses the default", (text) => {
    const diag = recordingDiag();
    expect(resolveSamplerEnv({ OTEL_TRACES_SAMPLER: text }, diag)).toEqual({ name: "parentbased_always_on", arg: 1 });
    expectOneWarning(diag, "OTEL_TRACES_SAMPLER", text);
  });

  it("reads the ratio for the ratio samplers", () => {
    for (const name of ["traceidratio", "parentbased_traceidratio"]) {
      expect(resolveSamplerEnv({ OTEL_TRACES_SAMPLER: name, OTEL_TRACES_SAMPLER_ARG: "0.25" }, recordingDiag())).toEqual({ name, arg: 0.25 });
      expect(resolveSamplerEnv({ OTEL_TRACES_SAMPLER: name }, recordingDiag()).arg).toBe(1);
    }
  });

  it.each(["1.5", "-0.1", "half", "NaN"])("warns once on ratio %j and uses 1", (text) => {
    const diag = recordingDiag();
    expect(resolveSamplerEnv({ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: text }, diag)).toEqual({
      name: "traceidratio",
      arg: 1,
    });
    expectOneWarning(diag, "OTEL_TRACES_SAMPLER_ARG", text);
  });

  it("ignores the argument of samplers that take none", () => {
    const diag = recordingDiag();
    expect(resolveSamplerEnv({ OTEL_TRACES_SAMPLER: "always_on", OTEL_TRACES_SAMPLER_ARG: "junk" }, diag).arg).toBe(1);
    expect(diag.warnings).toEqual([]);
  });
});

describe("resolvePropagatorNames", () => {
  it("defaults to tracecontext and baggage", () => {
    expect(resolvePropagatorNames({}, recordingDiag())).toEqual(["tracecontext", "baggage"]);
    expect(resolvePropagatorNames({ OTEL_PROPAGATORS: " , " }, recordingDiag())).toEqual(["tracecontext", "baggage"]);
  });

  it("reads, lowercases and dedupes in order", () => {
    const diag = recordingDiag();
    expect(resolvePropagatorNames({ OTEL_PROPAGATORS: "B3, tracecontext ,b3,baggage,TraceContext" }, diag)).toEqual([
      "b3",
      "tracecontext",
      "baggage",
    ]);
    expect(diag.warnings).toEqual([]);
  });

  it("gives [] for none", () => {
    const diag = recordingDiag();
    expect(resolvePropagatorNames({ OTEL_PROPAGATORS: "none" }, diag)).toEqual([]);
    expect(diag.warnings).toEqual([]);
  });

  it("warns when none is combined with others, and uses none", () => {
    const diag = recordingDiag();
    expect(resolvePropagatorNames({ OTEL_PROPAGATORS: "none,baggage" }, diag)).toEqual([]);
    expectOneWarning(diag, "OTEL_PROPAGATORS", "none,baggage");
  });

  it("warns once on an unknown name and keeps the others", () => {
    const diag = recordingDiag();
    expect(resolvePropagatorNames({ OTEL_PROPAGATORS: "tracecontext,zipkin" }, diag)).toEqual(["tracecontext"]);
    expectOneWarning(diag, "OTEL_PROPAGATORS", "zipkin");
  });
});
