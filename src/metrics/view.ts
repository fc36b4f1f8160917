import type { DiagLogger, InstrumentationScope } from "../common/types.ts";

/** Instrument kinds, with the names of `@opentelemetry/sdk-metrics`' InstrumentType. */
export type InstrumentType =
  | "COUNTER"
  | "UP_DOWN_COUNTER"
  | "HISTOGRAM"
  | "GAUGE"
  | "OBSERVABLE_COUNTER"
  | "OBSERVABLE_UP_DOWN_COUNTER"
  | "OBSERVABLE_GAUGE";

/**
 * How a stream aggregates measurements; a bare name means its defaults.
 * https://opentelemetry.io/docs/specs/otel/metrics/sdk/#aggregation
 */
export type Aggregation =
  | "drop"
  | "default"
  | "sum"
  | "last_value"
  | "explicit_bucket_histogram"
  | "base2_exponential_bucket_histogram"
  | { type: "drop" | "default" | "sum" | "last_value" }
  | { type: "explicit_bucket_histogram"; boundaries?: number[] | undefined; recordMinMax?: boolean | undefined }
  | { type: "base2_exponential_bucket_histogram"; maxSize?: number | undefined; maxScale?: number | undefined; recordMinMax?: boolean | undefined };

/**
 * Selects instruments (every given criterion must match) and configures the stream made for each.
 * https://opentelemetry.io/docs/specs/otel/metrics/sdk/#view
 */
export interface View {
  /** Instrument name, case-insensitive; `*` matches any run of characters, `?` any one. */
  instrumentName?: string | undefined;
  instrumentType?: InstrumentType | undefined;
  meterName?: string | undefined;
  meterVersion?: string | undefined;
  meterSchemaUrl?: string | undefined;
  /** The stream's name; only with an instrumentName that selects one instrument (no wildcards). */
  name?: string | undefined;
  description?: string | undefined;
  /** Allow-list of attribute keys: others are dropped (and kept on exemplars). */
  attributeKeys?: string[] | undefined;
  aggregation?: Aggregation | undefined;
  /** At most this many points per collection, the overflow point included. */
  cardinalityLimit?: number | undefined;
}

/** A view with its name pattern compiled. */
export type CompiledView = View & { readonly re: RegExp | undefined };

/**
 * The usable views, name patterns compiled. A view without criteria, or one that names its stream but could
 * select several instruments, is skipped with a warning, as the spec asks.
 */
export function compileViews(views: readonly View[] | undefined, diag: DiagLogger): CompiledView[] {
  const out: CompiledView[] = [];
  for (const v of views ?? []) {
    const n = v.instrumentName;
    const wild = n == null || /[*?]/.test(n);
    if ((n == null && v.instrumentType == null && v.meterName == null && v.meterVersion == null && v.meterSchemaUrl == null) || (v.name != null && wild)) {
      diag.warn("edge-otel: invalid view " + JSON.stringify(v));
      continue;
    }
    // Escape every regex character, then turn the wildcards back into their regex forms.
    const re = n == null ? undefined : new RegExp("^" + n.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c == "*" ? ".*" : c == "?" ? "." : "\\" + c)) + "$", "i");
    out.push({ ...v, re });
  }
  return out;
}

/** Whether `v` selects the instrument `name` of `type` made by the meter of `scope`. */
export function viewMatches(v: CompiledView, name: string, type: InstrumentType, scope: InstrumentationScope): boolean {
  return (
    (!v.re || v.re.test(name)) &&
    (v.instrumentType == null || v.instrumentType == type) &&
    (v.meterName == null || v.meterName == scope.name) &&
    (v.meterVersion == null || v.meterVersion == scope.version) &&
    (v.meterSchemaUrl == null || v.meterSchemaUrl == scope.schemaUrl)
  );
}
