import type { Attributes } from "../common/types.ts";
import type { Context } from "../context/context.ts";
import { getSpanContext, isSpanContextValid, type TraceState } from "./span-context.ts";
import type { Link } from "./span-api.ts";
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
  readonly #thresholdHigh: number;
  readonly #thresholdLow: number;
  constructor(ratio: number) {
    this.#ratio = Number.isFinite(ratio) ? Math.min(1, Math.max(0, ratio)) : 1;
    // The spec's rejection threshold: keep when the 56-bit random value R >= (1 - ratio) * 2^56.
    // R has 56 bits, more than a double holds exactly, so compare as two exact 28-bit halves.
    const threshold = (1 - this.#ratio) * 2 ** 56;
    this.#thresholdHigh = Math.floor(threshold / 2 ** 28);
    this.#thresholdLow = threshold - this.#thresholdHigh * 2 ** 28;
  }
  shouldSample(_c: Context, traceId: string): SamplingResult {
    if (this.#ratio <= 0) return DROPPED;
    const high = parseInt(traceId.slice(18, 25), 16);
    const keep = high > this.#thresholdHigh || (high === this.#thresholdHigh && parseInt(traceId.slice(25), 16) >= this.#thresholdLow);
    return keep ? SAMPLED : DROPPED;
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
  readonly #root: Sampler;
  readonly #remoteSampled: Sampler;
  readonly #remoteNotSampled: Sampler;
  readonly #localSampled: Sampler;
  readonly #localNotSampled: Sampler;
  constructor(options: ParentBasedSamplerOptions) {
    const on = new AlwaysOnSampler();
    const off = new AlwaysOffSampler();
    this.#root = options.root;
    this.#remoteSampled = options.remoteParentSampled ?? on;
    this.#remoteNotSampled = options.remoteParentNotSampled ?? off;
    this.#localSampled = options.localParentSampled ?? on;
    this.#localNotSampled = options.localParentNotSampled ?? off;
  }
  shouldSample(
    context: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes | undefined,
    links: readonly Link[],
  ): SamplingResult {
    const parent = getSpanContext(context);
    let delegate: Sampler;
    if (parent === undefined || !isSpanContextValid(parent)) delegate = this.#root;
    else if (parent.isRemote) delegate = parent.traceFlags & 1 ? this.#remoteSampled : this.#remoteNotSampled;
    else delegate = parent.traceFlags & 1 ? this.#localSampled : this.#localNotSampled;
    return delegate.shouldSample(context, traceId, name, kind, attributes, links);
  }
  toString(): string {
    return `ParentBased{root=${this.#root},remoteParentSampled=${this.#remoteSampled},remoteParentNotSampled=${this.#remoteNotSampled},localParentSampled=${this.#localSampled},localParentNotSampled=${this.#localNotSampled}}`;
  }
}

/**
 * The sampler for an OTEL_TRACES_SAMPLER name and its argument.
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#general-sdk-configuration
 */
export function samplerFromName(name: string, arg: number): Sampler | undefined {
  switch (name) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return new TraceIdRatioBasedSampler(arg);
    case "parentbased_always_on":
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(arg) });
  }
  return undefined;
}
