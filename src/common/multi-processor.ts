import type { ExportResult } from "../otlp/export-result.ts";

/** What a flush achieved for one processor: the export results and the items (spans, log records) sent and lost. */
export interface ProcessorFlushResult {
  /** success when every export succeeded (or there was nothing to send). */
  status: ExportResult["status"];
  /** Items delivered (accepted by the receiver, less any it rejected). */
  exported: number;
  /** Items lost since the last flush: queue overflow, failed exports, rejected by the receiver. */
  dropped: number;
  /** The last error or partial-success message, if any. */
  message?: string | undefined;
}

/** What every processor, of any signal, can do. */
export interface FlushableProcessor {
  /** Exports everything finished so far; never rejects. */
  forceFlush(): Promise<ProcessorFlushResult>;
  shutdown(): Promise<ProcessorFlushResult>;
}

const EMPTY: ProcessorFlushResult = { status: "success", exported: 0, dropped: 0 };

/**
 * The flushing half of a processor that fans out to several: flushes them concurrently so a slow one delays
 * no other, and a throw or rejection in one loses no other's result. Each signal adds its own hooks, each
 * calling every processor in a try/catch.
 */
export class MultiProcessor<P extends FlushableProcessor> implements FlushableProcessor {
  readonly processors: P[];
  constructor(processors: P[]) {
    this.processors = processors;
  }
  forceFlush(): Promise<ProcessorFlushResult> {
    return Promise.all(this.processors.map((p) => settle(() => p.forceFlush()))).then(combineFlushResults);
  }
  shutdown(): Promise<ProcessorFlushResult> {
    return Promise.all(this.processors.map((p) => settle(() => p.shutdown()))).then(combineFlushResults);
  }
}

/** `run()`'s result, with a throw or a rejection turned into a failure, so one processor loses no other's result. */
const settle = (run: () => Promise<ProcessorFlushResult>): Promise<ProcessorFlushResult> =>
  new Promise<ProcessorFlushResult>((resolve) => resolve(run())).catch((e: unknown) => ({ ...EMPTY, status: "failure", message: String(e) }));

/** Adds up several flush results; the worst status wins. */
export function combineFlushResults(results: ProcessorFlushResult[]): ProcessorFlushResult {
  if (results.length === 1) return results[0]!;
  const out: ProcessorFlushResult = { ...EMPTY };
  for (const r of results) {
    out.exported += r.exported;
    out.dropped += r.dropped;
    if (r.status === "failure" || (r.status === "retryable" && out.status === "success")) out.status = r.status;
    if (r.message !== undefined) out.message = r.message;
  }
  return out;
}
