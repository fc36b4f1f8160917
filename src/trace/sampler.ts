import type { Attributes } from "../common/types.ts";
import type { Context } from "../context/context.ts";
import type { Link } from "./span-api.ts";
import { getSpanContext, isSpanContextValid, type TraceState } from "./span-context.ts";
import type { SpanKind } from "./span-record.ts";

/** What a sampler decided. https://opentelemetry.io/docs/specs/otel/trace/sdk/#samplingresult */
export const SamplingDecision = { NOT_RECORD: 0, RECORD: 1, RECORD_AND_SAMPLED: 2 } as const;
/** One of the SamplingDecision values. */
export type SamplingDecision = (typeof SamplingDecision)[keyof typeof SamplingDecision];

/** A sampler's answer: the decision, attributes to add, and an optional new tracestate. */
export interface SamplingResult {
  decision: SamplingDecision;
  attributes?: Attributes | undefined;
  traceState?: TraceState | undefined;
}

/** Decides whether a new span is recorded and sampled. */
export interface Sampler {
  shouldSample(
    context: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes | undefined,
    links: readonly Link[],
  ): SamplingResult;
  toString(): string;
}

const SAMPLED: SamplingResult = { decision: SamplingDecision.RECORD_AND_SAMPLED };
const DROPPED: SamplingResult = { decision: SamplingDecision.NOT_RECORD };

/** Samples every span. */
export class AlwaysOnSampler implements Sampler {
  shouldSample(): SamplingResult {
    return SAMPLED;
  }
  toString(): string {
    return "AlwaysOnSampler";
  }
}

/** Samples no span. */
export class AlwaysOffSampler implements Sampler {
  shouldSample(): SamplingResult {
    return DROPPED;
  }
  toString(): string {
    return "AlwaysOffSampler";
  }
}

/**
 * Samples a fixed fraction of traces, deterministically from the trace id, so every service that
 * uses the same ratio keeps the same traces. Like the spec's consistent-probability samplers, it
 * reads the trace id's lowest 56 bits (the part W3C Trace Context Level 2 makes random).
 * https://opentelemetry.io/docs/specs/otel/trace/sdk/#traceidratiobased
 */
export class TraceIdRatioBasedSampler implements Sampler {
  readonly #ratio: number;
  readonly #high: number;
  readonly #low: number;
  constructor(ratio: number) {
    const r = (this.#ratio = ratio >= 0 && ratio <= 1 ? ratio : 1);
    // The spec's rejection threshold: keep when R >= (1 - ratio) * 2^56. R has 56 bits, more than a
    // double holds exactly, so compare as two exact 28-bit halves.
    const t = (1 - r) * 2 ** 56;
    this.#low = t - (this.#high = Math.floor(t / 2 ** 28)) * 2 ** 28;
  }
  shouldSample(_c: Context, traceId: string): SamplingResult {
    const high = parseInt(traceId.slice(18, 25), 16);
    return this.#ratio > 0 && (high > this.#high || (high === this.#high && parseInt(traceId.slice(25), 16) >= this.#low))
      ? SAMPLED
      : DROPPED;
  }
  toString(): string {
    return `TraceIdRatioBased{${this.#ratio}}`;
  }
}

/** The delegates of a ParentBasedSampler, by the kind of parent. */
export interface ParentBasedSamplerOptions {
  root: Sampler;
  remoteParentSampled?: Sampler;
  remoteParentNotSampled?: Sampler;
  localParentSampled?: Sampler;
  localParentNotSampled?: Sampler;
}

/**
 * Follows the parent's sampled flag; roots go to the `root` sampler.
 * https://opentelemetry.io/docs/specs/otel/trace/sdk/#parentbased
 */
export class ParentBasedSampler implements Sampler {
  // [root, remote sampled, remote not sampled, local sampled, local not sampled]
  readonly #d: Sampler[];
  constructor(o: ParentBasedSamplerOptions) {
    const on = new AlwaysOnSampler();
    const off = new AlwaysOffSampler();
    this.#d = [o.root, o.remoteParentSampled ?? on, o.remoteParentNotSampled ?? off, o.localParentSampled ?? on, o.localParentNotSampled ?? off];
  }
  shouldSample(
    context: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes | undefined,
    links: readonly Link[],
  ): SamplingResult {
    const p = getSpanContext(context);
    const i = p === undefined || !isSpanContextValid(p) ? 0 : (p.isRemote ? 1 : 3) + (p.traceFlags & 1 ? 0 : 1);
    return this.#d[i]!.shouldSample(context, traceId, name, kind, attributes, links);
  }
  toString(): string {
    return `ParentBased{root=${this.#d[0]}}`;
  }
}

/**
 * The sampler for an OTEL_TRACES_SAMPLER name and its argument, or undefined for an unknown name.
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#general-sdk-configuration
 */
export function samplerFromName(name: string, arg: number): Sampler | undefined {
  const parentBased = name.startsWith("parentbased_");
  const base = parentBased ? name.slice(12) : name;
  const root =
    base === "always_on" ? new AlwaysOnSampler() : base === "always_off" ? new AlwaysOffSampler() : base === "traceidratio" ? new TraceIdRatioBasedSampler(arg) : undefined;
  return root && parentBased ? new ParentBasedSampler({ root }) : root;
}
