import type { AttributeLimits } from "../common/attributes.ts";
import type { DiagLogger } from "../common/types.ts";
import { envInt, envList, envNumber, envString, warnInvalidEnv } from "./env.ts";
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

/** The samplers OTEL_TRACES_SAMPLER may name here. */
export type SamplerName =
  | "always_on"
  | "always_off"
  | "traceidratio"
  | "parentbased_always_on"
  | "parentbased_always_off"
  | "parentbased_traceidratio";

/** The sampler the environment asks for; `arg` is the ratio for the traceidratio samplers, else 1. */
export interface SamplerEnv {
  name: SamplerName;
  arg: number;
}

// Defaults from https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/
const DEFAULT_COUNT = 128;

/**
 * Resolves an attribute count and value length limit: explicit, else OTEL_<model>_ATTRIBUTE_*_LIMIT when
 * `model` is given ("SPAN", "LOGRECORD"), else the generic OTEL_ATTRIBUTE_*_LIMIT, else 128 and Infinity.
 * https://opentelemetry.io/docs/specs/otel/common/#attribute-limits
 */
export function resolveAttributeLimits(
  explicit: Partial<Record<keyof AttributeLimits, number | undefined>> | undefined,
  env: Env,
  diag: DiagLogger,
  model?: "SPAN" | "LOGRECORD",
): AttributeLimits {
  return {
    countLimit: limit(explicit?.countLimit, env, diag, "ATTRIBUTE_COUNT_LIMIT", DEFAULT_COUNT, model),
    valueLengthLimit: limit(explicit?.valueLengthLimit, env, diag, "ATTRIBUTE_VALUE_LENGTH_LIMIT", Infinity, model),
  };
}

/** Resolves span limits: explicit options, else the environment, else the spec's defaults. */
export function resolveSpanLimits(
  explicit: Partial<Record<keyof SpanLimits, number | undefined>> | undefined,
  env: Env, diag: DiagLogger): SpanLimits {
  const attrs = resolveAttributeLimits(
    { countLimit: explicit?.attributeCountLimit, valueLengthLimit: explicit?.attributeValueLengthLimit },
    env,
    diag,
    "SPAN",
  );
  return {
    attributeCountLimit: attrs.countLimit,
    attributeValueLengthLimit: attrs.valueLengthLimit,
    eventCountLimit: limit(explicit?.eventCountLimit, env, diag, "SPAN_EVENT_COUNT_LIMIT", DEFAULT_COUNT),
    linkCountLimit: limit(explicit?.linkCountLimit, env, diag, "SPAN_LINK_COUNT_LIMIT", DEFAULT_COUNT),
    attributePerEventCountLimit: limit(explicit?.attributePerEventCountLimit, env, diag, "EVENT_ATTRIBUTE_COUNT_LIMIT", DEFAULT_COUNT),
    attributePerLinkCountLimit: limit(explicit?.attributePerLinkCountLimit, env, diag, "LINK_ATTRIBUTE_COUNT_LIMIT", DEFAULT_COUNT),
  };
}

/**
 * Resolves batch processor settings from explicit options, then `<prefix>_*` variables, then defaults
 * (the log processor's schedule delay defaults to 1000 ms, the span processor's to 5000 ms). A batch
 * larger than the queue is clamped to it, with a warning.
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#batch-span-processor
 */
export function resolveBatchConfig(
  explicit: Partial<Record<keyof BatchConfig, number | undefined>> | undefined,
  env: Env,
  diag: DiagLogger,
  prefix: "OTEL_BSP" | "OTEL_BLRP" = "OTEL_BSP",
): BatchConfig {
  const delay = prefix === "OTEL_BSP" ? 5000 : 1000;
  const config: BatchConfig = {
    scheduledDelayMillis: number(explicit?.scheduledDelayMillis, env, diag, `${prefix}_SCHEDULE_DELAY`, delay, 0),
    exportTimeoutMillis: number(explicit?.exportTimeoutMillis, env, diag, `${prefix}_EXPORT_TIMEOUT`, 30_000, 1),
    maxQueueSize: number(explicit?.maxQueueSize, env, diag, `${prefix}_MAX_QUEUE_SIZE`, 2048, 1),
    maxExportBatchSize: number(explicit?.maxExportBatchSize, env, diag, `${prefix}_MAX_EXPORT_BATCH_SIZE`, 512, 1),
  };
  // The spec requires batch <= queue: https://opentelemetry.io/docs/specs/otel/trace/sdk/#batching-processor
  if (config.maxExportBatchSize > config.maxQueueSize) {
    diag.warn(
      `edge-otel: max export batch size ${config.maxExportBatchSize} exceeds max queue size ${config.maxQueueSize}; using ${config.maxQueueSize}`,
    );
    config.maxExportBatchSize = config.maxQueueSize;
  }
  return config;
}

const SAMPLERS: readonly SamplerName[] = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
];

/**
 * Reads OTEL_TRACES_SAMPLER (default parentbased_always_on) and, for the ratio samplers,
 * OTEL_TRACES_SAMPLER_ARG (a ratio in [0, 1], default 1).
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#general-sdk-configuration
 */
export function resolveSamplerEnv(env: Env, diag: DiagLogger): SamplerEnv {
  const text = envString(env, "OTEL_TRACES_SAMPLER");
  let name: SamplerName = "parentbased_always_on";
  if (text !== undefined) {
    const lower = text.toLowerCase() as SamplerName;
    if (SAMPLERS.includes(lower)) name = lower;
    else warnInvalidEnv(diag, "OTEL_TRACES_SAMPLER", text, `one of ${SAMPLERS.join(", ")}`, name);
  }
  // The argument means nothing to the other samplers, so it is not even checked for them.
  const arg = name.endsWith("traceidratio") ? envNumber(env, "OTEL_TRACES_SAMPLER_ARG", 1, diag, 0, 1) : 1;
  return { name, arg };
}

// The propagators the spec names: https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#general-sdk-configuration
const PROPAGATORS = ["tracecontext", "baggage", "b3", "b3multi", "jaeger", "xray", "ottrace"];

/**
 * Reads OTEL_PROPAGATORS: lowercased, deduplicated names in order; default ["tracecontext", "baggage"];
 * "none" gives []. Names the spec does not know warn and are skipped; which of the known ones exist is
 * for the caller to check.
 */
export function resolvePropagatorNames(env: Env, diag: DiagLogger): string[] {
  const items = envList(env, "OTEL_PROPAGATORS");
  if (items === undefined || items.length === 0) return ["tracecontext", "baggage"];
  const names: string[] = [];
  let none = false;
  for (const item of items) {
    const name = item.toLowerCase();
    if (name === "none") none = true;
    else if (!PROPAGATORS.includes(name)) warnInvalidEnv(diag, "OTEL_PROPAGATORS", item, `one of none, ${PROPAGATORS.join(", ")}`, "the others");
    else if (!names.includes(name)) names.push(name);
  }
  if (none && names.length > 0) {
    diag.warn(`edge-otel: OTEL_PROPAGATORS=${JSON.stringify(envString(env, "OTEL_PROPAGATORS"))} lists "none" with others; using none`);
  }
  return none ? [] : names;
}

/** An explicit limit when valid, else OTEL_<model>_<suffix> falling back to OTEL_<suffix>, else `def`. */
function limit(explicit: number | undefined, env: Env, diag: DiagLogger, suffix: string, def: number, model?: string): number {
  if (validCount(explicit, 0)) return explicit;
  if (explicit !== undefined) warnExplicit(diag, suffix, explicit);
  // An invalid model-specific variable falls back to the generic one, which is the "default" it overrides.
  const generic = envInt(env, `OTEL_${suffix}`, def, diag);
  return model === undefined ? generic : envInt(env, `OTEL_${model}_${suffix}`, generic, diag);
}

function number(explicit: number | undefined, env: Env, diag: DiagLogger, name: string, def: number, min: number): number {
  if (validCount(explicit, min)) return explicit;
  if (explicit !== undefined) warnExplicit(diag, name, explicit);
  return envInt(env, name, def, diag, min);
}

// Infinity counts as valid: it is how "no limit" is written in code.
function validCount(n: number | undefined, min: number): n is number {
  return typeof n === "number" && n >= min && (Number.isInteger(n) || n === Infinity);
}

function warnExplicit(diag: DiagLogger, name: string, value: unknown): void {
  diag.warn(`edge-otel: ignoring the explicit option for ${name} (${String(value)}): expected an integer; using the environment or default`);
}
