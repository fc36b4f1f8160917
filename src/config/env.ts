import type { DiagLogger } from "../common/types.ts";

/**
 * Configuration variables as a plain record: Worker env bindings, `process.env`, `Deno.env.toObject()`…
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/
 */
export type Env = Readonly<Record<string, string | undefined>>;

/** Warns, once, that variable `name` holds an unusable `value` and what is used instead. */
export function warnInvalidEnv(diag: DiagLogger, name: string, value: string, expected: string, using: unknown): void {
  diag.warn(`edge-otel: ignoring ${name}=${JSON.stringify(value)}: expected ${expected}; using ${String(using)}`);
}

/**
 * The trimmed value of `name`, or undefined when it is unset or empty (the spec treats empty as unset).
 * Numbers and booleans (Worker `vars` may hold JSON values) are turned into strings; other bindings
 * (KV namespaces, service bindings…) count as unset.
 */
export function envString(env: Env, name: string): string | undefined {
  const raw: unknown = env[name];
  const text = typeof raw === "string" ? raw : typeof raw === "number" || typeof raw === "boolean" ? String(raw) : "";
  const trimmed = text.trim();
  return trimmed === "" ? undefined : trimmed;
}

/**
 * A boolean variable: only "true" or "false", case-insensitive; anything else warns and gives `def`.
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#boolean-value
 */
export function envBoolean(env: Env, name: string, def: boolean, diag: DiagLogger): boolean {
  const text = envString(env, name);
  if (text === undefined) return def;
  const lower = text.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  warnInvalidEnv(diag, name, text, '"true" or "false"', def);
  return def;
}

const INTEGER = /^\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A non-negative integer variable (at least `min`); anything else warns and gives `def`. */
export function envInt(env: Env, name: string, def: number, diag: DiagLogger, min = 0): number {
  const text = envString(env, name);
  if (text === undefined) return def;
  // A strict pattern: Number() would also take "0x10", "1e3" and "Infinity".
  const n = INTEGER.test(text) ? Number(text) : NaN;
  if (Number.isSafeInteger(n) && n >= min) return n;
  warnInvalidEnv(diag, name, text, min > 0 ? `an integer >= ${min}` : "a non-negative integer", def);
  return def;
}

/** A finite decimal number variable within [min, max]; anything else warns and gives `def`. */
export function envNumber(env: Env, name: string, def: number, diag: DiagLogger, min = -Infinity, max = Infinity): number {
  const text = envString(env, name);
  if (text === undefined) return def;
  const n = DECIMAL.test(text) ? Number(text) : NaN;
  if (Number.isFinite(n) && n >= min && n <= max) return n;
  const range = min === -Infinity && max === Infinity ? "" : ` in [${min}, ${max}]`;
  warnInvalidEnv(diag, name, text, `a number${range}`, def);
  return def;
}

/**
 * One of `allowed` (written in lowercase), matched case-insensitively as the spec asks of enum values;
 * anything else warns and gives `def`.
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#enum-value
 */
export function envEnum<T extends string>(env: Env, name: string, allowed: readonly T[], def: T, diag: DiagLogger): T {
  const text = envString(env, name);
  if (text === undefined) return def;
  const lower = text.toLowerCase();
  for (const value of allowed) if (value === lower) return value;
  warnInvalidEnv(diag, name, text, `one of ${allowed.join(", ")}`, def);
  return def;
}

/** A comma-separated list, items trimmed and empty items dropped; undefined when unset. */
export function envList(env: Env, name: string): string[] | undefined {
  const text = envString(env, name);
  if (text === undefined) return undefined;
  const out: string[] = [];
  for (const item of text.split(",")) {
    const trimmed = item.trim();
    if (trimmed !== "") out.push(trimmed);
  }
  return out;
}

/**
 * Parses `k1=v1,k2=v2` as OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS use it (W3C-baggage-like,
 * without `;` metadata): keys and values are trimmed and percent-decoded, a value may contain "=", empty
 * items are skipped, a later duplicate key wins. Returns undefined when any item has no "=", an empty key
 * or a bad percent escape: the spec discards the whole variable then.
 * https://opentelemetry.io/docs/specs/otel/resource/sdk/#specifying-resource-information-via-an-environment-variable
 */
export function parseKeyValueList(text: string): Record<string, string> | undefined {
  // No prototype, so a "__proto__" key is stored like any other.
  const out: Record<string, string> = Object.create(null);
  for (const item of text.split(",")) {
    if (item.trim() === "") continue;
    const eq = item.indexOf("=");
    if (eq < 0) return undefined;
    let key: string;
    let value: string;
    try {
      // decodeURIComponent leaves "+" alone, as baggage wants, and throws on a bad escape.
      key = decodeURIComponent(item.slice(0, eq).trim());
      value = decodeURIComponent(item.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
    if (key === "") return undefined;
    out[key] = value;
  }
  return out;
}
