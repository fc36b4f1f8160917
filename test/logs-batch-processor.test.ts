import { describe, expect, it } from "vitest";
import type { DiagLogger } from "../src/common/types.ts";
import { ROOT_CONTEXT } from "../src/context/context.ts";
import { ExplicitContextManager } from "../src/context/context-manager.ts";
import type { ExportResult } from "../src/otlp/export-result.ts";
import { BatchLogRecordProcessor, type BatchLogRecordProcessorOptions } from "../src/logs/batch-log-record-processor.ts";
import { createLoggerProvider } from "../src/logs/logger.ts";
import type { ReadableLogRecord } from "../src/logs/log-record.ts";
import { MultiLogRecordProcessor, type LogRecordExporter, type LogRecordProcessor } from "../src/logs/log-record-processor.ts";
import { SimpleLogRecordProcessor } from "../src/logs/simple-log-record-processor.ts";
import { createStats } from "../src/trace/telemetry-stats.ts";

/** An exporter whose answers the test controls; it records every batch's bodies. */
class ScriptedExporter implements LogRecordExporter {
  batches: unknown[][] = [];
  answers: (ExportResult | Error)[] = [];
  gate: Promise<void> | undefined;
  shutdowns = 0;
  async export(records: readonly ReadableLogRecord[]): Promise<ExportResult> {
    this.batches.push(records.map((r) => r.body));
    if (this.gate) await this.gate;
    const a = this.answers.shift() ?? { status: "success" };
    if (a instanceof Error) throw a;
    return a;
  }
  async shutdown(): Promise<void> {
    this.shutdowns++;
  }
}

function recordingDiag() {
  const warnings: string[] = [];
  const diag: DiagLogger = { error: (m) => warnings.push(m), warn: (m) => warnings.push(m), info() {}, debug() {} };
  return { warnings, diag };
}

function setup(processor: LogRecordProcessor) {
  const logger = createLoggerProvider({
    processor,
    limits: { countLimit: 128, valueLengthLimit: Infinity },
    contextManager: new ExplicitContextManager(),
    diag: recordingDiag().diag,
  }).logger("t");
  const emit = (n: number, prefix = "r") => {
    for (let i = 0; i < n; i++) logger.emit({ body: `${prefix}${i}` });
  };
  return { emit };
}

function batchSetup(exporter: LogRecordExporter, options: BatchLogRecordProcessorOptions = {}) {
  const stats = createStats();
  const processor = new BatchLogRecordProcessor(exporter, { stats, ...options });
  return { processor, stats, ...setup(processor) };
}

describe("BatchLogRecordProcessor", () => {
  it("exports nothing until flush, then everything, in batches, and counts it", async () => {
    const exporter = new ScriptedExporter();
    const { processor, emit, stats } = batchSetup(exporter, { maxExportBatchSize: 4 });
    emit(3);
    expect(exporter.batches).toHaveLength(0);
    expect(await processor.forceFlush()).toEqual({ status: "success", exported: 3, dropped: 0 });
    expect(exporter.batches).toEqual([["r0", "r1", "r2"]]);
    expect(stats.exportedLogRecords).toBe(3);
    // Spans' counters are untouched by log records.
    expect(stats.exportedSpans).toBe(0);
    expect(await processor.forceFlush()).toEqual({ status: "success", exported: 0, dropped: 0 });
    expect(exporter.batches).toHaveLength(1);
  });

  it("exports when a batch fills, without waiting for flush", async () => {
    const exporter = new ScriptedExporter();
    const { processor, emit } = batchSetup(exporter, { maxExportBatchSize: 2 });
    emit(5);
    expect(exporter.batches).toEqual([["r0", "r1"], ["r2", "r3"]]);
    expect((await processor.forceFlush()).exported).toBe(5);
    expect(exporter.batches).toEqual([["r0", "r1"], ["r2", "r3"], ["r4"]]);
  });

  it("bounds the queue, counting records in flight, counts what it drops and warns once per flush cycle", async () => {
    const exporter = new ScriptedExporter();
    let open!: () => void;
    exporter.gate = new Promise((r) => (open = r));
    const { warnings, diag } = recordingDiag();
    const { processor, emit, stats } = batchSetup(exporter, { maxQueueSize: 4, maxExportBatchSize: 2, diag });
    emit(10);
    // Two batches of 2 are in flight and hold the bound; the other 6 are dropped.
    expect(exporter.batches).toHaveLength(2);
    expect(stats.droppedLogRecords).toBe(6);
    expect(warnings.filter((w) => w.includes("queue full"))).toHaveLength(1);
    open();
    expect(await processor.forceFlush()).toEqual({ status: "success", exported: 4, dropped: 6 });
    expect(stats.exportedLogRecords).toBe(4);
    expect(stats.droppedSpans).toBe(0);
    exporter.gate = new Promise((r) => (open = r));
    emit(10);
    expect(warnings.filter((w) => w.includes("queue full"))).toHaveLength(2);
    open();
    expect(await processor.forceFlush()).toEqual({ status: "success", exported: 4, dropped: 6 });
  });

  it("counts failed exports and their records, and survives a throwing exporter", async () => {
    const exporter = new ScriptedExporter();
    exporter.answers = [{ status: "retryable", message: "503" }, new Error("boom")];
    const { processor, emit, stats } = batchSetup(exporter, { maxExportBatchSize: 2 });
    emit(4);
    const r = await processor.forceFlush();
    expect(r.status).toBe("failure");
    expect(r.dropped).toBe(4);
    expect(stats.failedExports).toBe(2);
    expect(stats.droppedLogRecords).toBe(4);
  });

  it("counts records a receiver rejected in a partial success", async () => {
    const exporter = new ScriptedExporter();
    exporter.answers = [{ status: "success", rejected: 1, message: "one bad record" }];
    const { processor, emit, stats } = batchSetup(exporter);
    emit(3);
    expect(await processor.forceFlush()).toEqual({ status: "success", exported: 2, dropped: 1, message: "one bad record" });
    expect(stats).toMatchObject({ exportedLogRecords: 2, droppedLogRecords: 1 });
  });

  it("fails an export that never settles after the export timeout", async () => {
    const { processor, emit } = batchSetup({ export: () => new Promise(() => {}) }, { exportTimeoutMillis: 30 });
    emit(2);
    const r = await processor.forceFlush();
    expect(r).toMatchObject({ status: "failure", exported: 0, dropped: 2 });
    expect(r.message).toContain("timed out");
  });

  it("shuts the exporter down, and drops records emitted after shutdown", async () => {
    const exporter = new ScriptedExporter();
    const { warnings, diag } = recordingDiag();
    const { processor, emit, stats } = batchSetup(exporter, { diag });
    emit(2);
    expect((await processor.shutdown()).exported).toBe(2);
    expect(exporter.shutdowns).toBe(1);
    emit(3, "late");
    expect(stats.droppedLogRecords).toBe(3);
    expect(exporter.batches).toEqual([["r0", "r1"]]);
    expect(warnings.some((w) => w.includes("after shutdown"))).toBe(true);
  });

  it("exports on a timer only when a scheduled delay is set", async () => {
    const exporter = new ScriptedExporter();
    const { emit } = batchSetup(exporter, { scheduledDelayMillis: 20 });
    emit(2);
    expect(exporter.batches).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 80));
    expect(exporter.batches).toEqual([["r0", "r1"]]);
  });
});

describe("SimpleLogRecordProcessor", () => {
  it("exports each record as it is emitted, and reports them at flush", async () => {
    const exporter = new ScriptedExporter();
    const processor = new SimpleLogRecordProcessor(exporter);
    const { emit } = setup(processor);
    emit(3);
    expect(exporter.batches).toEqual([["r0"], ["r1"], ["r2"]]);
    expect(await processor.forceFlush()).toEqual({ status: "success", exported: 3, dropped: 0 });
  });
});

describe("MultiLogRecordProcessor", () => {
  it("keeps a throwing processor away from the caller and from the other processors", async () => {
    const exporter = new ScriptedExporter();
    const good = new SimpleLogRecordProcessor(exporter);
    const bad: LogRecordProcessor = {
      onEmit() {
        throw new Error("onEmit");
      },
      forceFlush: () => Promise.reject(new Error("flush")),
      shutdown() {
        throw new Error("shutdown");
      },
    };
    const multi = new MultiLogRecordProcessor([bad, good]);
    const { emit } = setup(multi);
    expect(() => emit(2)).not.toThrow();
    expect(exporter.batches).toEqual([["r0"], ["r1"]]);
    const flushed = await multi.forceFlush();
    expect(flushed).toMatchObject({ status: "failure", exported: 2, dropped: 0 });
    expect(flushed.message).toContain("flush");
    expect((await multi.shutdown()).message).toContain("shutdown");
  });

  it("passes each record and its context to every processor", () => {
    const seen: unknown[] = [];
    const spy = (name: string): LogRecordProcessor => ({
      onEmit: (r, c) => void seen.push([name, r.body, c]),
      forceFlush: () => Promise.resolve({ status: "success", exported: 0, dropped: 0 }),
      shutdown: () => Promise.resolve({ status: "success", exported: 0, dropped: 0 }),
    });
    const { emit } = setup(new MultiLogRecordProcessor([spy("a"), spy("b")]));
    emit(1);
    expect(seen).toEqual([
      ["a", "r0", ROOT_CONTEXT],
      ["b", "r0", ROOT_CONTEXT],
    ]);
  });
});
