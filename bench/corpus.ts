// The shared span corpus: the same spans, built once through each SDK's public API.
// 10,000 spans in 5-span traces; each span has 8 attributes and 1 event.

/** How many spans the corpus holds. */
export const CORPUS_SPANS = 10_000;
/** Spans per trace. */
export const SPANS_PER_TRACE = 5;

/** The 8 attributes of span `i`: the mix a typical HTTP service records. */
export function spanAttributes(i: number): Record<string, string | number | boolean> {
  return {
    "http.request.method": i % 3 ? "GET" : "POST",
    "url.path": `/api/items/${i % 100}`,
    "http.route": "/api/items/:id",
    "http.response.status_code": 200 + (i % 5),
    "server.address": "api.example.com",
    "user_agent.original": "Mozilla/5.0 (bench)",
    "app.cache_hit": i % 2 === 0,
    "app.latency_ratio": (i % 7) / 7,
  };
}

/** A minimal tracer shape both SDKs satisfy. */
export interface BenchSpan {
  setAttributes(a: Record<string, string | number | boolean>): unknown;
  addEvent(name: string, a?: Record<string, string | number>): unknown;
  end(): void;
}

/** Builds the corpus with `start(name, parent?)` → span, where parent is the trace's root. */
export function buildCorpus<S extends BenchSpan>(start: (name: string, parentIndex: number | undefined, all: S[]) => S): S[] {
  const all: S[] = [];
  for (let i = 0; i < CORPUS_SPANS; i++) {
    const root = i % SPANS_PER_TRACE === 0 ? undefined : i - (i % SPANS_PER_TRACE);
    const span = start(root === undefined ? "GET /api/items/:id" : `child ${i % SPANS_PER_TRACE}`, root, all);
    span.setAttributes(spanAttributes(i));
    span.addEvent("cache.lookup", { "cache.key": `k${i % 50}` });
    all.push(span);
  }
  // End children before roots, as a real trace does.
  for (let i = all.length - 1; i >= 0; i--) all[i]!.end();
  return all;
}
