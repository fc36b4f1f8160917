import { createTelemetry, type TelemetryConfig } from "../../src/telemetry.ts";
import { InMemorySpanExporter } from "../../src/testing/in-memory-span-exporter.ts";
import { SimpleSpanProcessor } from "../../src/trace/simple-span-processor.ts";
import type { DiagLogger } from "../../src/common/types.ts";

/** A telemetry that exports nothing over the network and keeps ended spans in memory; diag is recorded. */
export function memoryTelemetry(config: TelemetryConfig = {}) {
  const exporter = new InMemorySpanExporter();
  const warnings: string[] = [];
  const diag: DiagLogger = {
    error: (m) => warnings.push(m),
    warn: (m) => warnings.push(m),
    info() {},
    debug() {},
  };
  const telemetry = createTelemetry({ exporters: [], diag, spanProcessors: [new SimpleSpanProcessor(exporter)], ...config });
  return { telemetry, exporter, warnings, spans: () => exporter.getFinishedSpans() };
}
