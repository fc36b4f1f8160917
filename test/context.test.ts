import { AsyncLocalStorage } from "node:async_hooks";
import { describe, expect, it } from "vitest";
import { ROOT_CONTEXT, createContextKey, type Context } from "../src/context/context.ts";
import { AsyncLocalStorageContextManager, ExplicitContextManager } from "../src/context/context-manager.ts";

const A = createContextKey("a");
const B = createContextKey("b");

describe("Context", () => {
  it("is immutable: setValue returns a new context", () => {
    const one = ROOT_CONTEXT.setValue(A, 1);
    const two = one.setValue(B, 2);
    expect(ROOT_CONTEXT.getValue(A)).toBeUndefined();
    expect(one.getValue(A)).toBe(1);
    expect(one.getValue(B)).toBeUndefined();
    expect(two.getValue(A)).toBe(1);
    expect(two.getValue(B)).toBe(2);
  });

  it("shadows and deletes values without touching the parent", () => {
    const one = ROOT_CONTEXT.setValue(A, 1);
    const shadowed = one.setValue(A, 3);
    const deleted = shadowed.deleteValue(A);
    expect(shadowed.getValue(A)).toBe(3);
    expect(deleted.getValue(A)).toBeUndefined();
    expect(one.getValue(A)).toBe(1);
    expect(ROOT_CONTEXT.deleteValue(A)).toBe(ROOT_CONTEXT);
  });

  it("keys with the same description are distinct", () => {
    const k1 = createContextKey("same");
    const k2 = createContextKey("same");
    const ctx = ROOT_CONTEXT.setValue(k1, "x");
    expect(ctx.getValue(k2)).toBeUndefined();
  });
});

describe("ExplicitContextManager", () => {
  it("makes the context active inside with() and restores it after, even on throw", () => {
    const m = new ExplicitContextManager();
    const ctx = ROOT_CONTEXT.setValue(A, "x");
    expect(m.active()).toBe(ROOT_CONTEXT);
    const seen = m.with(ctx, (n: number) => [m.active().getValue(A), n], undefined, 7);
    expect(seen).toEqual(["x", 7]);
    expect(m.active()).toBe(ROOT_CONTEXT);
    expect(() =>
      m.with(ctx, () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(m.active()).toBe(ROOT_CONTEXT);
  });

  it("nests", () => {
    const m = new ExplicitContextManager();
    const outer = ROOT_CONTEXT.setValue(A, "outer");
    const inner = outer.setValue(A, "inner");
    m.with(outer, () => {
      m.with(inner, () => expect(m.active().getValue(A)).toBe("inner"));
      expect(m.active().getValue(A)).toBe("outer");
    });
  });

  it("passes thisArg", () => {
    const m = new ExplicitContextManager();
    const self = { v: 42 };
    expect(m.with(ROOT_CONTEXT, function (this: typeof self) { return this.v; }, self)).toBe(42);
  });
});

describe("AsyncLocalStorageContextManager", () => {
  it("keeps the context across await and separates concurrent tasks", async () => {
    const m = new AsyncLocalStorageContextManager(new AsyncLocalStorage<Context>());
    const run = (label: string, delay: number) =>
      m.with(ROOT_CONTEXT.setValue(A, label), async () => {
        await new Promise((r) => setTimeout(r, delay));
        return m.active().getValue(A);
      });
    const results = await Promise.all([run("first", 20), run("second", 5), run("third", 10)]);
    expect(results).toEqual(["first", "second", "third"]);
    expect(m.active()).toBe(ROOT_CONTEXT);
  });
});
