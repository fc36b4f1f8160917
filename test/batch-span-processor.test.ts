import { describe, expect, it } from "vitest";
import type { ExportResult } from "../src/otlp/export-result.ts";
import { BatchSpanProcessor } from "../src/trace/batch-span-processor.ts";
import type { SpanExporter } from "../src/trace/span-exporter.ts";
import type { ReadableSpan } from "../src/trace/span-record.ts";
import { createStats } from "../src/trace/telemetry-stats.ts";
import { memoryTelemetry } from "./helpers/memory-telemetry.ts";

/** An exporter whose answers the test controls; it records every batch. */
class ScriptedExporter implements SpanExporter {
  batches: string[][] = [];
  answers: (ExportResult | Error)[] = [];
  gate: Promise<void> | undefined;
  async export(spans: readonly ReadableSpan[]): Promise<ExportResult> {
    this.batches.push(spans.map((s) => s.name));
    if (this.gate) await this.gate;
    const a = this.answers.shift() ?? { status: "success" };
    if (a instanceof Error) throw a;
    return a;
  }
}

function setup(exporter: SpanExporter, options: ConstructorParameters<typeof BatchSpanProcessor>[1] = {}) {
  const stats = createStats();
  const processor = new BatchSpanProcessor(exporter, { stats, ...options });
  const { telemetry } = memoryTelemetry({ spanProcessors: [processor] });
  const tracer = telemetry.tracer("t");
  const end = (n: number, prefix = "s") => {
    for (let i = 0; i < n; i++) tracer.startSpan(`${prefix}${i}`).end();
  };
  return { processor, stats, end, telemetry };
}

describe("BatchSpanProcessor", () => {
  it("exports nothing until flush, then everything, in batches", async () => {
    const exporter = new ScriptedExporter();
    const { processor, end } = setup(exporter, { maxExportBatchSize: 4 });
    end(3);
    expect(exporter.batches).toHaveLength(0);
    const r = await processor.forceFlush();
    expect(exporter.batches).toEqual([["s0", "s1", "s2"]]);
    expect(r).toEqual({ status: "success", exported: 3, dropped: 0 });
    expect(await processor.forceFlush()).toEqual({ status: "success", exported: 0, dropped: 0 });
    expect(exporter.batches).toHaveLength(1);
  });

  it("exports when a batch fills, without waiting for flush", async () => {
    const exporter = new ScriptedExporter();
    const { processor, end } = setup(exporter, { maxExportBatchSize: 2 });
    end(5);
    expect(exporter.batches).toEqual([["s0", "s1"], ["s2", "s3"]]);
    const r = await processor.forceFlush();
    expect(exporter.batches).toEqual([["s0", "s1"], ["s2", "s3"], ["s4"]]);
    expect(r.exported).toBe(5);
  });

  it("bounds the queue, counting in-flight spans, and counts what it drops", async () => {
    const exporter = new ScriptedExporter();
    let open!: () => void;
    exporter.gate = new Promise((r) => (open = r));
    const warnings: string[] = [];
    const diag = { error() {}, warn: (m: string) => warnings.push(m), info() {}, debug() {} };
    const { processor, end, stats } = setup(exporter, { maxQueueSize: 4, maxExportBatchSize: 2, diag });
    end(10);
    // Two batches of 2 are in flight and hold the bound; the other 6 are dropped.
    expect(exporter.batches).toHaveLength(2);
    expect(stats.droppedSpans).toBe(6);
    expect(warnings.some((w) => w.includes("queue full"))).toBe(true);
    open();
    const r = await processor.forceFlush();
    expect(r.exported).toBe(4);
    expect(r.dropped).toBe(6);
    expect(stats.exportedSpans).toBe(4);
  });

  it("counts failed exports and their spans, and survives a throwing exporter", async () => {
    const exporter = new ScriptedExporter();
    exporter.answers = [{ status: "retryable", message: "503" }, new Error("boom")];
    const { processor, end, stats } = setup(exporter, { maxExportBatchSize: 2 });
    end(4);
    const r = await processor.forceFlush();
    // The worst outcome wins: a thrown export is a failure, worse than a retryable give-up.
    expect(r.status).toBe("failure");
    expect(r.dropped).toBe(4);
    expect(stats.failedExports).toBe(2);
    expect(stats.droppedSpans).toBe(4);
  });

  it("counts spans a receiver rejected in a partial success", async () => {
    const exporter = new ScriptedExporter();
    exporter.answers = [{ status: "success", rejected: 1, message: "one bad span" }];
    const { processor, end } = setup(exporter);
    end(3);
    expect(await processor.forceFlush()).toEqual({ status: "success", exported: 2, dropped: 1, message: "one bad span" });
  });

  it("exports on a timer only when a scheduled delay is set", async () => {
    const exporter = new ScriptedExporter();
    const { end } = setup(exporter, { scheduledDelayMillis: 20 });
    end(2);
    expect(exporter.batches).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 80));
    expect(exporter.batches).toEqual([["s0", "s1"]]);
  });

  it("drops spans that end after shutdown", async () => {
    const exporter = new ScriptedExporter();
    const { processor, end, stats } = setup(exporter);
    end(1);
    expect((await processor.shutdown()).exported).toBe(1);
    end(1, "late");
    expect(stats.droppedSpans).toBe(1);
    expect(exporter.batches).toEqual([["s0"]]);
  });
});
