import type { ExportResult } from "../otlp/export-result.ts";

/** Keeps what it is given in memory, for tests: the base of the in-memory exporters of each signal. */
export class InMemoryExporter<T> {
  #items: T[] = [];
  #stopped = false;

  export(items: readonly T[]): Promise<ExportResult> {
    if (this.#stopped) return Promise.resolve({ status: "failure", message: "exporter is shut down" });
    this.#items.push(...items);
    return Promise.resolve({ status: "success" });
  }

  /** Everything exported so far, in order. */
  getExported(): T[] {
    return this.#items.slice();
  }

  /** Forgets what was exported so far. */
  reset(): void {
    this.#items = [];
  }

  shutdown(): Promise<void> {
    this.#stopped = true;
    return Promise.resolve();
  }
}
