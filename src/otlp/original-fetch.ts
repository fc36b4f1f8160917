/**
 * Instrumentations that patch `globalThis.fetch` (to trace outgoing requests) must not see the
 * exporter's own requests, or every export would make a span that makes an export. A wrapper
 * therefore records the function it wraps under this registry symbol, and the exporter follows
 * the chain back to the runtime's own fetch. `Symbol.for` lets separate copies of this package
 * (or other libraries) agree on the key.
 */

/** The property a fetch wrapper sets to the fetch it wraps. */
export const ORIGINAL_FETCH: unique symbol = /*#__PURE__*/ Symbol.for("edge-otel.original-fetch");

type MaybeWrapped = typeof fetch & { [ORIGINAL_FETCH]?: typeof fetch | undefined };

/**
 * The unwrapped global fetch, looked up now (never at import, since runtimes and test setups may
 * install or replace `globalThis.fetch` later).
 */
export function originalFetch(): typeof fetch {
  let f = globalThis.fetch as MaybeWrapped;
  // Bounded walk: a wrapper marked with itself, or a cycle, must not hang the exporter.
  for (let i = 0; i < 32 && f?.[ORIGINAL_FETCH]; i++) f = f[ORIGINAL_FETCH] as MaybeWrapped;
  return f;
}

/** Marks `wrapper` as a wrapper of `original`, so the exporter calls `original` instead. Returns `wrapper`. */
export function markWrappedFetch<F extends typeof fetch>(wrapper: F, original: typeof fetch): F {
  // Non-enumerable so the mark doesn't show up when the function is inspected or copied.
  Object.defineProperty(wrapper, ORIGINAL_FETCH, { value: original, configurable: true, writable: true });
  return wrapper;
}
