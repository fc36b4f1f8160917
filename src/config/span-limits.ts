import type { AttributeLimits } from "../common/attributes.ts";
import type { DiagLogger } from "../common/types.ts";
import { decimalParser, envString, envValue, intParser, warnInvalidEnv } from "./env.ts";
import type { Env } from "./env.ts";

/**
 * Limits on what one span keeps.
 * https://opentelemetry.io/docs/specs/otel/trace/sdk/#span-limits
 */
export interface SpanLimits {
  attributeCountLimit: number;
  /** Strings (also inside arrays) are cut to this many UTF-16 code units. */
  attributeValueLengthLimit: number;
  eventCountLimit: number;
  linkCountLimit: number;
  attributePerEventCountLimit: number;
  attributePerLinkCountLimit: number;
}

/** The two attribute limits, as every signal applies them (defined next to the code that applies them). */
export type { AttributeLimits } from "../common/attributes.ts";

/** Batch processor settings (OTEL_BSP_* for spans, OTEL_BLRP_* for log records). */
export interface BatchConfig {
  scheduledDelayMillis: number;
  exportTimeoutMillis: number;
  maxQueueSize: number;
  maxExportBatchSize: number;
}

/**
 * How one limit is resolved: its field; its variables, space-separated, most specific first, each without
 * the prefix and suffix `resolveLimits` adds; its default (128) and minimum (0).
 */
export type LimitSpec = readonly [field: string, variables: string, def?: number, min?: number];

/**
 * Resolves integer limits: each field is the explicit option when valid (an integer, or Infinity, at
 * least `min`), else the first valid of its variables, each named `prefix + variable + suffix` (an
 * invalid one warns and falls back to the next), else its default.
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/
 */
export function resolveLimits<T>(
  explicit: object | undefined,
  env: Env,
  diag: DiagLogger,
  specs: readonly LimitSpec[],
  prefix: string,
  suffix: string,
): T {
  const out: Record<string, number> = {};
  for (const [field, names, def = 128, min = 0] of specs) {
    const vars = names.split(" ").map((n) => prefix + n + suffix);
    let v = (explicit as Record<string, number> | undefined)?.[field];
    // Infinity counts as an integer: it is how "no limit" is written in code.
    if (v != null && !(v >= min && !(v % 1))) {
      warnInvalidEnv(diag, field, v, vars[0] + " or default");
      v = undefined;
    }
    out[field] = v ?? vars.reduceRight((d, name) => envValue(env, name, d, diag, intParser(min)), def);
  }
  return out as T;
}

/**
 * Resolves an attribute count and value length limit: explicit, else OTEL_<model>_ATTRIBUTE_*_LIMIT when
 * `model` is given ("SPAN", "LOGRECORD"), else OTEL_ATTRIBUTE_*_LIMIT, else 128 and Infinity.
 * https://opentelemetry.io/docs/specs/otel/common/#attribute-limits
 */
export function resolveAttributeLimits(
  explicit: Partial<Record<keyof AttributeLimits, number | undefined>> | undefined,
  env: Env,
  diag: DiagLogger,
  model?: "SPAN" | "LOGRECORD",
): AttributeLimits {
  const m = model ? `${model}_ATTRIBUTE_` : "";
  return resolveLimits(
    explicit,
    env,
    diag,
    [
      ["countLimit", `${m}COUNT ATTRIBUTE_COUNT`],
      ["valueLengthLimit", `${m}VALUE_LENGTH ATTRIBUTE_VALUE_LENGTH`, Infinity],
    ],
    "OTEL_",
    "_LIMIT",
  );
}

/** Resolves span limits: explicit options, else the environment, else the spec's defaults. */
export function resolveSpanLimits(explicit: Partial<Record<keyof SpanLimits, number | undefined>> | undefined, env: Env, diag: DiagLogger): SpanLimits {
  return resolveLimits(
    explicit,
    env,
    diag,
    [
      ["attributeCountLimit", "SPAN_ATTRIBUTE_COUNT ATTRIBUTE_COUNT"],
      ["attributeValueLengthLimit", "SPAN_ATTRIBUTE_VALUE_LENGTH ATTRIBUTE_VALUE_LENGTH", Infinity],
      ["eventCountLimit", "SPAN_EVENT_COUNT"],
      ["linkCountLimit", "SPAN_LINK_COUNT"],
      ["attributePerEventCountLimit", "EVENT_ATTRIBUTE_COUNT"],
      ["attributePerLinkCountLimit", "LINK_ATTRIBUTE_COUNT"],
    ],
    "OTEL_",
    "_LIMIT",
  );
}

/**
 * Resolves batch processor settings from explicit options, then `<prefix>_*` variables, then defaults
 * (the log processor's schedule delay defaults to 1000 ms, the span processor's to 5000 ms). A batch
 * larger than the queue is clamped to it, with a warning.
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#batch-span-processor
 */
export function resolveBatchConfig(
  explicit: Partial<BatchConfig> | undefined,
  env: Env,
  diag: DiagLogger,
  prefix: "OTEL_BSP" | "OTEL_BLRP" = "OTEL_BSP",
): BatchConfig {
  const c = resolveLimits<BatchConfig>(
    explicit,
    env,
    diag,
    [
      ["scheduledDelayMillis", "SCHEDULE_DELAY", prefix === "OTEL_BSP" ? 5000 : 1000],
      ["exportTimeoutMillis", "EXPORT_TIMEOUT", 30_000, 1],
      ["maxQueueSize", "MAX_QUEUE_SIZE", 2048, 1],
      ["maxExportBatchSize", "MAX_EXPORT_BATCH_SIZE", 512, 1],
    ],
    prefix + "_",
    "",
  );
  // The spec requires batch <= queue: https://opentelemetry.io/docs/specs/otel/trace/sdk/#batching-processor
  const { maxQueueSize: queue, maxExportBatchSize: batch } = c;
  if (batch > queue) warnInvalidEnv(diag, "maxExportBatchSize", batch + " > maxQueueSize", (c.maxExportBatchSize = queue));
  return c;
}

/**
 * The sampler OTEL_TRACES_SAMPLER names (case-insensitive; default parentbased_always_on), made by
 * `fromName`, which also decides which names exist; for the ratio samplers with OTEL_TRACES_SAMPLER_ARG
 * (a ratio in [0, 1], default 1) as `arg`, else 1.
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#general-sdk-configuration
 */
export function resolveSampler<T>(env: Env, diag: DiagLogger, fromName: (name: string, arg: number) => T | undefined): T {
  const v = "OTEL_TRACES_SAMPLER";
  const name = envValue(env, v, "parentbased_always_on", diag, (t) => (fromName((t = t.toLowerCase()), 1) ? t : undefined));
  // The argument means nothing to the other samplers, so it is not even checked for them.
  return fromName(name, name.endsWith("ratio") ? envValue(env, v + "_ARG", 1, diag, decimalParser(0, 1)) : 1)!;
}

/**
 * The propagators OTEL_PROPAGATORS names (case-insensitive, duplicates once, in order), each made by
 * `byName`; default tracecontext and baggage; "none" gives [] (with a warning when listed with others).
 * A name `byName` does not know warns and is skipped.
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#general-sdk-configuration
 */
export function resolvePropagators<T>(env: Env, diag: DiagLogger, byName: (name: string) => T | undefined): T[] {
  const name = "OTEL_PROPAGATORS";
  const text = envString(env, name);
  const out = new Map<string, T>();
  let none = false;
  for (let item of text?.split(",") ?? []) {
    const n = (item = item.trim()).toLowerCase();
    const p = n && byName(n);
    if (p) out.set(n, p);
    else if (n === "none") none = true;
    else if (n) warnInvalidEnv(diag, name, `"${item}"`, "the others");
  }
  if (none && out.size) warnInvalidEnv(diag, name, `"${text}"`, "none");
  return none ? [] : out.size ? [...out.values()] : [byName("tracecontext")!, byName("baggage")!];
}
