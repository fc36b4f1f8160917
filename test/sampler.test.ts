import { describe, expect, it } from "vitest";
import { ROOT_CONTEXT } from "../src/context/context.ts";
import { randomTraceId } from "../src/common/ids.ts";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  samplerFromName,
  type Sampler,
} from "../src/trace/sampler.ts";
import { setSpanContext } from "../src/trace/span-context.ts";
import { SpanKind } from "../src/trace/span-record.ts";

const sample = (s: Sampler, traceId = randomTraceId(), ctx = ROOT_CONTEXT) =>
  s.shouldSample(ctx, traceId, "n", SpanKind.INTERNAL, undefined, []).decision;

const parent = (sampled: boolean, isRemote: boolean) =>
  setSpanContext(ROOT_CONTEXT, { traceId: randomTraceId(), spanId: "00f067aa0ba902b7", traceFlags: sampled ? 1 : 0, isRemote });

describe("samplers", () => {
  it("always_on and always_off", () => {
    expect(sample(new AlwaysOnSampler())).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(sample(new AlwaysOffSampler())).toBe(SamplingDecision.NOT_RECORD);
  });

  it("traceidratio keeps about the ratio, deterministically per trace id", () => {
    const s = new TraceIdRatioBasedSampler(0.25);
    const ids = Array.from({ length: 20_000 }, () => randomTraceId());
    const kept = ids.filter((id) => sample(s, id) === SamplingDecision.RECORD_AND_SAMPLED);
    expect(kept.length / ids.length).toBeGreaterThan(0.22);
    expect(kept.length / ids.length).toBeLessThan(0.28);
    for (const id of ids.slice(0, 100)) expect(sample(s, id)).toBe(sample(new TraceIdRatioBasedSampler(0.25), id));
    expect(s.toString()).toBe("TraceIdRatioBased{0.25}");
  });

  it("traceidratio uses the spec threshold on the lowest 56 bits", () => {
    const s = new TraceIdRatioBasedSampler(0.5);
    // R >= (1 - 0.5) * 2^56 is kept: the top bit of the 56-bit random part decides.
    expect(sample(s, "ffffffffffffffff" + "80000000000000".padStart(16, "0"))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(sample(s, "ffffffffffffffff" + "7fffffffffffff".padStart(16, "0"))).toBe(SamplingDecision.NOT_RECORD);
    expect(sample(new TraceIdRatioBasedSampler(0), "ffffffffffffffffffffffffffffffff")).toBe(SamplingDecision.NOT_RECORD);
    expect(sample(new TraceIdRatioBasedSampler(1), "00000000000000000000000000000001")).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it("parentbased follows the parent, and the root sampler for roots", () => {
    const s = new ParentBasedSampler({ root: new AlwaysOffSampler() });
    expect(sample(s)).toBe(SamplingDecision.NOT_RECORD);
    expect(sample(s, randomTraceId(), parent(true, true))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(sample(s, randomTraceId(), parent(false, true))).toBe(SamplingDecision.NOT_RECORD);
    expect(sample(s, randomTraceId(), parent(true, false))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(sample(s, randomTraceId(), parent(false, false))).toBe(SamplingDecision.NOT_RECORD);
    const custom = new ParentBasedSampler({ root: new AlwaysOnSampler(), remoteParentNotSampled: new AlwaysOnSampler() });
    expect(sample(custom, randomTraceId(), parent(false, true))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(sample(custom, randomTraceId(), parent(false, false))).toBe(SamplingDecision.NOT_RECORD);
  });

  it("builds every OTEL_TRACES_SAMPLER name", () => {
    expect(sample(samplerFromName("always_on", 1)!)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(sample(samplerFromName("always_off", 1)!)).toBe(SamplingDecision.NOT_RECORD);
    expect(sample(samplerFromName("traceidratio", 0)!)).toBe(SamplingDecision.NOT_RECORD);
    expect(sample(samplerFromName("parentbased_always_on", 1)!)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(sample(samplerFromName("parentbased_always_off", 1)!)).toBe(SamplingDecision.NOT_RECORD);
    expect(sample(samplerFromName("parentbased_traceidratio", 0)!, randomTraceId(), parent(true, true))).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
    expect(samplerFromName("jaeger_remote", 1)).toBeUndefined();
  });
});
