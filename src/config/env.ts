import type { DiagLogger } from "../common/types.ts";

/**
 * Configuration variables as a plain record: Worker env bindings, `process.env`, `Deno.env.toObject()`…
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/
 */
export type Env = Readonly<Record<string, string | undefined>>;

/** Turns a variable's trimmed text into a value, or undefined when the text is invalid. */
export type EnvParser<T> = (text: string) => T | undefined;

/** Warns that `name` holds the unusable `value` (already quoted or masked) and what is used instead. */
export function warnInvalidEnv(diag: DiagLogger, name: string, value: unknown, using: unknown): void {
  diag.warn(`edge-otel: invalid ${name}=${value}, using ${using ?? "default"}`);
}

/**
 * The trimmed value of `name`, or undefined when it is unset or empty (the spec treats empty as unset).
 * Number and boolean bindings (Worker `vars` may hold JSON values) become strings; other bindings
 * (KV namespaces, service bindings…) count as unset.
 */
export function envString(env: Env, name: string): string | undefined {
  const raw: unknown = env[name];
  // typeof is "string", "number" or "boolean"
  return (/^(st|n|bo)/.test(typeof raw) && String(raw).trim()) || undefined;
}

/**
 * Variable `name` through `parse`: unset gives `def`; a value `parse` rejects warns once, shown by `show`
 * (default: quoted), and gives `def`. Never throws.
 */
export function envValue<T>(
  env: Env,
  name: string,
  def: T,
  diag: DiagLogger,
  parse: EnvParser<T>,
  show: (text: string) => string = JSON.stringify,
): T {
  const text = envString(env, name);
  if (text === undefined) return def;
  const value = parse(text);
  if (value === undefined) warnInvalidEnv(diag, name, show(text), def);
  return value ?? def;
}

/** Parses a number that matches `pattern` and lies within [min, max]. */
export const numberParser =
  (pattern: RegExp, min: number, max: number): EnvParser<number> =>
  (t) =>
    pattern.test(t) && +t >= min && +t <= max ? +t : undefined;

/**
 * Parses a non-negative safe integer, at least `min`. The pattern is strict: Number() alone would also
 * take "0x10", "1e3" and "Infinity".
 */
export const intParser = (min: number): EnvParser<number> => numberParser(/^\d+$/, min, 2 ** 53 - 1);

/** Parses a decimal number within [min, max]: Number() parses, the pattern keeps out "0x1", "Infinity" and such. */
export const decimalParser = (min: number, max: number): EnvParser<number> => numberParser(/^[\d.e+-]+$/i, min, max);

/** Parses one of `allowed` (written in lowercase), case-insensitively, as the spec asks of enum values. */
export const enumParser =
  <T extends string>(allowed: readonly T[]): EnvParser<T> =>
  (t) =>
    allowed.find((a) => a === t.toLowerCase());

/**
 * A boolean variable: only "true" or "false", case-insensitive.
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#boolean-value
 */
export function envBoolean(env: Env, name: string, def: boolean, diag: DiagLogger): boolean {
  // Of the two accepted words, only "true" has four letters.
  return envValue(env, name, def, diag, (t) => (/^(true|false)$/i.test(t) ? t.length < 5 : undefined));
}

/**
 * Parses `k1=v1,k2=v2` as OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS use it: keys and values
 * trimmed, then percent-decoded; a value may hold "="; empty items are skipped; a later duplicate wins.
 * Undefined when an item has no "=", an empty key or a bad escape: the spec discards the whole variable.
 * https://opentelemetry.io/docs/specs/otel/resource/sdk/#specifying-resource-information-via-an-environment-variable
 */
export function parseKeyValueList(text: string): Record<string, string> | undefined {
  // No prototype, so a "__proto__" key is stored like any other.
  const out: Record<string, string> = Object.create(null);
  try {
    for (const item of text.split(","))
      if (item.trim()) {
        const eq = item.indexOf("=");
        // decodeURIComponent leaves "+" alone, as baggage wants, and throws on a bad escape.
        const key = decodeURIComponent(item.slice(0, eq).trim());
        if (eq < 0 || !key) return;
        out[key] = decodeURIComponent(item.slice(eq + 1).trim());
      }
  } catch {
    return;
  }
  return out;
}
