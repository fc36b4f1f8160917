import type { ExportResult } from "../otlp/export-result.ts";
import type { ReadableSpan } from "./span-record.ts";

/** Sends finished spans somewhere. `export` never rejects. */
export interface SpanExporter {
  export(spans: readonly ReadableSpan[]): Promise<ExportResult>;
  shutdown?(): Promise<void>;
}
