// What each SDK adapter offers the Node benchmarks. One adapter per SDK (bench/sdks/*.ts, and the
// peers whose packages live in workspaces: bench/peers/*/adapter.ts); a task loads only the one it measures.
import type { BenchSpan } from "./corpus.ts";

/** One SDK's tracing pipeline: a batch processor and OTLP protobuf encoding, nothing on a network. */
export interface TraceSubject {
  /** Starts a span, as a child of `parent` (a span this subject started) when given. */
  start(name: string, parent: BenchSpan | undefined): BenchSpan;
  /** Encodes and hands off everything buffered; resolves when done. */
  flush(): Promise<void>;
}

/** One encoder run over batches of finished spans. */
export interface Encoder {
  name: string;
  /** The batches, made through this SDK from the shared corpus. */
  batches: unknown[][];
  encode(batch: unknown[]): Uint8Array | string;
}

/** The metrics and logs hot paths of one SDK. */
export interface SignalsSubject {
  /** counter.add(value, 3 attributes). */
  add(value: number, attributes: Record<string, string | number>): void;
  /** histogram.record(value, 3 attributes). */
  record(value: number, attributes: Record<string, string | number>): void;
  /** logger.emit of an INFO record with a string body and 3 attributes. */
  emit(body: string, attributes: Record<string, string | number>): void;
  /** Collects every metric series and encodes it as one OTLP protobuf request. */
  collect(): Promise<void>;
  /** Exports (or drops) buffered log records, so the next run starts empty. */
  drainLogs(): Promise<void>;
}

/** An SDK adapter: whatever of the three it supports. */
export interface Adapter {
  /**
   * A batch processor holding up to `queue` finished spans without dropping, exporting `batch` at a
   * time (as soon as that many are waiting, or at flush).
   */
  traces?(queue: number, batch: number): TraceSubject | Promise<TraceSubject>;
  encoders?(): Encoder[] | Promise<Encoder[]>;
  /** "pending" while the SDK has no metrics and logs API yet. */
  signals?(): SignalsSubject | "pending" | Promise<SignalsSubject | "pending">;
}

/** The SDKs the Node tasks know, by the name given on their command line. */
export const ADAPTERS: Record<string, string> = {
  ours: "./sdks/ours.ts",
  official: "./sdks/official.ts",
  "vercel-otel": "./peers/vercel-otel/adapter.ts",
  "otel-cf-workers": "./peers/otel-cf-workers/adapter.ts",
};

/** Loads the adapter named on the command line. */
export async function loadAdapter(name: string | undefined): Promise<Adapter> {
  const path = ADAPTERS[name ?? ""];
  if (!path) throw new Error(`unknown SDK ${name}; one of ${Object.keys(ADAPTERS).join(", ")}`);
  return (await import(new URL(path, import.meta.url).href)) as Adapter;
}
