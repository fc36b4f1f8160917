/** A key for a value in a Context. */
export type ContextKey = symbol;

/**
 * An immutable propagation context. Setting a value returns a new Context.
 * https://opentelemetry.io/docs/specs/otel/context/
 */
export interface Context {
  getValue(key: ContextKey): unknown;
  setValue(key: ContextKey, value: unknown): Context;
  deleteValue(key: ContextKey): Context;
}

/** Creates a unique context key; the description is for debugging only. */
export function createContextKey(description: string): ContextKey {
  return Symbol(description);
}

// A persistent linked list: contexts hold one to three values in practice, so setValue allocates
// one small node and getValue walks a short chain.
class ContextNode implements Context {
  readonly #parent: ContextNode | undefined;
  readonly #key: ContextKey | undefined;
  readonly #value: unknown;
  constructor(parent: ContextNode | undefined, key: ContextKey | undefined, value: unknown) {
    this.#parent = parent;
    this.#key = key;
    this.#value = value;
  }
  getValue(key: ContextKey): unknown {
    for (let node: ContextNode | undefined = this; node !== undefined; node = node.#parent) {
      if (node.#key === key) return node.#value;
    }
    return undefined;
  }
  setValue(key: ContextKey, value: unknown): Context {
    return new ContextNode(this, key, value);
  }
  deleteValue(key: ContextKey): Context {
    return this.getValue(key) === undefined ? this : new ContextNode(this, key, undefined);
  }
}

/** The empty root context. */
export const ROOT_CONTEXT: Context = /*#__PURE__*/ new ContextNode(undefined, undefined, undefined);
