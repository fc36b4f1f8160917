// A meter provider for tests: explicit context, warnings recorded, and lookups into what collect() returns.
import { attributesToObject } from "../../src/common/attributes.ts";
import type { DiagLogger } from "../../src/common/types.ts";
import { ExplicitContextManager } from "../../src/context/context-manager.ts";
import { createMeterProvider, type MeterProviderOptions } from "../../src/metrics/meter-provider.ts";
import type { MetricData } from "../../src/metrics/metric-data.ts";

/** A provider over `options`, its meter "test", and the warnings it gave. */
export function testProvider(options: Partial<MeterProviderOptions> = {}) {
  const warnings: string[] = [];
  const diag: DiagLogger = { error: (m) => warnings.push(m), warn: (m) => warnings.push(m), info() {}, debug() {} };
  const contextManager = new ExplicitContextManager();
  const provider = createMeterProvider({ contextManager, diag, enabled: true, ...options });
  return { provider, meter: provider.meter("test"), warnings, contextManager };
}

/** The one metric named `name`; throws when there is none or several. */
export function metric<K extends MetricData["kind"]>(metrics: MetricData[], name: string, kind?: K): Extract<MetricData, { kind: K }> {
  const found = metrics.filter((m) => m.name === name);
  if (found.length !== 1) throw new Error(`${found.length} metrics named ${name} in ${metrics.map((m) => m.name).join(", ")}`);
  if (kind && found[0]!.kind !== kind) throw new Error(`${name} is a ${found[0]!.kind}, not a ${kind}`);
  return found[0] as Extract<MetricData, { kind: K }>;
}

/** Each point's attributes (as an object, JSON) mapped to `pick` of the point. */
export function byAttributes<P extends { attributes: unknown[] }, T>(points: readonly P[], pick: (p: P) => T): Record<string, T> {
  return Object.fromEntries(points.map((p) => [JSON.stringify(attributesToObject(p.attributes)), pick(p)]));
}
