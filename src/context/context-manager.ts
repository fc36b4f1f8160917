import { ROOT_CONTEXT, type Context } from "./context.ts";

/**
 * Tracks the active Context.
 * https://opentelemetry.io/docs/specs/otel/context/#optional-global-operations
 */
export interface ContextManager {
  /** The active context. */
  active(): Context;
  /** Runs `fn` with `ctx` active and returns what it returns. */
  with<A extends unknown[], R>(ctx: Context, fn: (...args: A) => R, thisArg?: unknown, ...args: A): R;
}

/**
 * The context manager for runtimes without AsyncLocalStorage: `ctx` is active for the synchronous
 * part of `fn` only. Across an `await`, pass the parent context explicitly.
 */
export class ExplicitContextManager implements ContextManager {
  #current: Context = ROOT_CONTEXT;
  active(): Context {
    return this.#current;
  }
  with<A extends unknown[], R>(ctx: Context, fn: (...args: A) => R, thisArg?: unknown, ...args: A): R {
    const previous = this.#current;
    // A missing context (from plain JS callers) must not make every later active() unusable.
    this.#current = ctx ?? ROOT_CONTEXT;
    try {
      return fn.apply(thisArg, args);
    } finally {
      this.#current = previous;
    }
  }
}

/** The slice of AsyncLocalStorage this SDK uses; any runtime's implementation fits. */
export interface AsyncLocalStorageLike<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
}

/** A context manager over an AsyncLocalStorage handed to it, so the context follows `await`. */
export class AsyncLocalStorageContextManager implements ContextManager {
  readonly #storage: AsyncLocalStorageLike<Context>;
  constructor(storage: AsyncLocalStorageLike<Context>) {
    this.#storage = storage;
  }
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], R>(ctx: Context, fn: (...args: A) => R, thisArg?: unknown, ...args: A): R {
    return this.#storage.run(ctx, () => fn.apply(thisArg, args));
  }
}
