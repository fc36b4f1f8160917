import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addAttributes,
  attributesToObject,
  getAttribute,
  INVALID,
  sanitizeValue,
  setAttribute,
  type AttributeLimits,
} from "../src/common/attributes.ts";
import type { AttributeList, Attributes, DiagLogger } from "../src/common/types.ts";

function recordingDiag(): DiagLogger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = (): void => {};
  return { warnings, warn: (m: string) => void warnings.push(m), error: ignore, info: ignore, debug: ignore };
}

const NO_LIMITS: AttributeLimits = { countLimit: Infinity, valueLengthLimit: Infinity };
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

describe("sanitizeValue", () => {
  it.each([["text"], [""], [0], [-1.5], [NaN], [Infinity], [true], [false], [0n], [INT64_MAX], [INT64_MIN]])(
    "keeps the primitive %s",
    (value) => {
      expect(sanitizeValue(value, Infinity)).toBe(value);
    },
  );

  it.each([[INT64_MAX + 1n], [INT64_MIN - 1n], [2n ** 100n]])("rejects the out-of-range bigint %s", (value) => {
    expect(sanitizeValue(value, Infinity)).toBe(INVALID);
  });

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["object", { a: 1 }],
    ["date", new Date(0)],
    ["function", () => 1],
    ["symbol", Symbol("s")],
    ["typed array", new Uint8Array(2)],
    ["map", new Map()],
  ])("rejects %s", (_name, value) => {
    expect(sanitizeValue(value, Infinity)).toBe(INVALID);
  });

  it.each([
    ["strings", ["a", "b", null, undefined]],
    ["numbers", [1, 2.5, null]],
    ["booleans", [true, undefined, false]],
    ["bigints", [1n, null, INT64_MIN]],
    ["nulls only", [null, undefined]],
    ["nothing", []],
  ])("copies a homogeneous array of %s", (_name, value) => {
    const out = sanitizeValue(value, Infinity);
    expect(out).toEqual(value);
    expect(out).not.toBe(value);
  });

  it("turns holes of a sparse array into undefined", () => {
    const out = sanitizeValue([1, , 3], Infinity) as unknown[];
    expect(out).toHaveLength(3);
    expect(1 in out).toBe(true);
    expect(out[1]).toBeUndefined();
  });

  it.each([
    ["mixed string and number", ["a", 1]],
    ["mixed number and bigint", [1, 2n]],
    ["mixed after nulls", [null, true, "x"]],
    ["nested arrays", [[1], [2]]],
    ["objects", [{ a: 1 }]],
    ["functions", [() => 1]],
    ["symbols", [Symbol("s")]],
    ["an out-of-range bigint", [1n, INT64_MAX + 1n]],
  ])("rejects an array of %s", (_name, value) => {
    expect(sanitizeValue(value, Infinity)).toBe(INVALID);
  });

  it("truncates long strings to the limit in UTF-16 code units", () => {
    expect(sanitizeValue("abcdef", 3)).toBe("abc");
    expect(sanitizeValue("abc", 3)).toBe("abc");
    expect(sanitizeValue("abc", 0)).toBe("");
    expect(sanitizeValue("é€x", 2)).toBe("é€");
  });

  it("cuts before a surrogate pair rather than splitting it", () => {
    const emoji = "😀"; // two code units
    expect(emoji.length).toBe(2);
    expect(sanitizeValue(`ab${emoji}`, 3)).toBe("ab");
    expect(sanitizeValue(`ab${emoji}`, 4)).toBe(`ab${emoji}`);
    expect(sanitizeValue(`a${emoji}b`, 3)).toBe(`a${emoji}`);
    expect(sanitizeValue(`${emoji}${emoji}`, 1)).toBe("");
  });

  it("truncates strings inside arrays and leaves other types alone", () => {
    const input = ["abcdef", null, "xy"];
    expect(sanitizeValue(input, 3)).toEqual(["abc", null, "xy"]);
    expect(input[0]).toBe("abcdef");
    expect(sanitizeValue([123456], 3)).toEqual([123456]);
    expect(sanitizeValue(123456, 3)).toBe(123456);
  });

  it("always returns a prefix within the limit with no split pair at the end", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.nat(40), (s, limit) => {
        const out = sanitizeValue(s, limit) as string;
        expect(s.startsWith(out)).toBe(true);
        expect(out.length).toBeLessThanOrEqual(limit);
        // At most one unit shorter than asked, and only to keep a pair whole.
        expect(out.length).toBeGreaterThanOrEqual(Math.min(s.length, limit) - 1);
        const last = out.charCodeAt(out.length - 1);
        expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
      }),
    );
  });
});

describe("setAttribute", () => {
  it("appends new keys as flat pairs", () => {
    const list: AttributeList = [];
    const diag = recordingDiag();
    expect(setAttribute(list, "a", 1, NO_LIMITS, diag)).toBe(0);
    expect(setAttribute(list, "b", "x", NO_LIMITS, diag)).toBe(0);
    expect(list).toEqual(["a", 1, "b", "x"]);
    expect(diag.warnings).toEqual([]);
  });

  it("stores the sanitized value", () => {
    const list: AttributeList = [];
    const array = ["long value", "ok"];
    setAttribute(list, "s", "long value", { countLimit: 10, valueLengthLimit: 4 }, recordingDiag());
    setAttribute(list, "arr", array, { countLimit: 10, valueLengthLimit: 4 }, recordingDiag());
    expect(attributesToObject(list)).toEqual({ s: "long", arr: ["long", "ok"] });
    expect(getAttribute(list, "arr")).not.toBe(array);
  });

  it("overwrites an existing key in place, keeping the count", () => {
    const list: AttributeList = [];
    const limits = { countLimit: 2, valueLengthLimit: Infinity };
    const diag = recordingDiag();
    setAttribute(list, "a", 1, limits, diag);
    setAttribute(list, "b", 2, limits, diag);
    expect(setAttribute(list, "a", 3, limits, diag)).toBe(0);
    expect(list).toEqual(["a", 3, "b", 2]);
  });

  it("drops new keys past the count limit and reports each drop", () => {
    const list: AttributeList = [];
    const limits = { countLimit: 2, valueLengthLimit: Infinity };
    const diag = recordingDiag();
    const results = ["a", "b", "c", "d"].map((k) => setAttribute(list, k, k, limits, diag));
    expect(results).toEqual([0, 0, 1, 1]);
    expect(attributesToObject(list)).toEqual({ a: "a", b: "b" });
    // Overwriting still works on a full list.
    expect(setAttribute(list, "b", "B", limits, diag)).toBe(0);
    expect(getAttribute(list, "b")).toBe("B");
    expect(diag.warnings).toEqual([]);
  });

  it("drops everything with a count limit of 0", () => {
    const list: AttributeList = [];
    expect(setAttribute(list, "a", 1, { countLimit: 0, valueLengthLimit: Infinity }, recordingDiag())).toBe(1);
    expect(list).toEqual([]);
  });

  it("ignores undefined and null silently, keeping any earlier value", () => {
    const list: AttributeList = ["a", 1];
    const diag = recordingDiag();
    expect(setAttribute(list, "a", undefined, NO_LIMITS, diag)).toBe(0);
    expect(setAttribute(list, "a", null, NO_LIMITS, diag)).toBe(0);
    expect(setAttribute(list, "b", undefined, NO_LIMITS, diag)).toBe(0);
    expect(list).toEqual(["a", 1]);
    expect(diag.warnings).toEqual([]);
  });

  it("drops an empty key with a warning and does not count it", () => {
    const list: AttributeList = [];
    const diag = recordingDiag();
    expect(setAttribute(list, "", 1, NO_LIMITS, diag)).toBe(0);
    expect(setAttribute(list, 5 as unknown as string, 1, NO_LIMITS, diag)).toBe(0);
    expect(list).toEqual([]);
    expect(diag.warnings).toHaveLength(1);
    expect(diag.warnings[0]).toMatch(/key is empty/);
  });

  it("drops an invalid value with a warning naming the key, keeping an earlier value", () => {
    const list: AttributeList = ["a", 1];
    const diag = recordingDiag();
    expect(setAttribute(list, "a", { nested: true }, NO_LIMITS, diag)).toBe(0);
    expect(list).toEqual(["a", 1]);
    expect(diag.warnings).toHaveLength(1);
    expect(diag.warnings[0]).toContain('"a"');
  });

  it("warns once per reason per logger", () => {
    const diag = recordingDiag();
    const list: AttributeList = [];
    const invalid: [string, unknown][] = [
      ["o1", {}],
      ["o2", () => 1],
      ["m1", [1, "a"]],
      ["m2", [[1]]],
      ["b1", INT64_MAX + 1n],
      ["b2", [INT64_MIN - 1n]],
      ["", 1],
      ["", 2],
    ];
    for (const [key, value] of invalid) setAttribute(list, key, value, NO_LIMITS, diag);
    expect(list).toEqual([]);
    // Four reasons: bad type, bad array, bigint range, empty key; each reported by the first key that hit it.
    expect(diag.warnings).toHaveLength(4);
    expect(diag.warnings.map((w) => /"(\w*)"/.exec(w)?.[1])).toEqual(["o1", "m1", "b1", ""]);
    // Another logger hears about them afresh.
    const other = recordingDiag();
    setAttribute(list, "o3", {}, NO_LIMITS, other);
    expect(other.warnings).toHaveLength(1);
  });

  it("does not count an invalid value against the limit", () => {
    const list: AttributeList = [];
    const limits = { countLimit: 1, valueLengthLimit: Infinity };
    const diag = recordingDiag();
    expect(setAttribute(list, "bad", {}, limits, diag)).toBe(0);
    expect(setAttribute(list, "good", 1, limits, diag)).toBe(0);
    expect(list).toEqual(["good", 1]);
  });
});

describe("addAttributes", () => {
  it("adds a record and returns how many keys the limit dropped", () => {
    const list: AttributeList = [];
    const diag = recordingDiag();
    const record: Attributes = { a: 1, b: 2, c: 3, d: 4, e: 5 };
    expect(addAttributes(list, record, { countLimit: 3, valueLengthLimit: Infinity }, diag)).toBe(2);
    expect(attributesToObject(list)).toEqual({ a: 1, b: 2, c: 3 });
  });

  it("merges into an existing list: overwrites do not count, new keys do", () => {
    const list: AttributeList = ["a", 0, "b", 0];
    const dropped = addAttributes(list, { b: 1, a: 2, z: 3 }, { countLimit: 2, valueLengthLimit: Infinity }, recordingDiag());
    expect(dropped).toBe(1);
    expect(list).toEqual(["a", 2, "b", 1]);
  });

  it("skips undefined values, empty keys and invalid values without counting them", () => {
    const list: AttributeList = [];
    const diag = recordingDiag();
    const record = { a: undefined, "": 1, bad: { x: 1 }, ok: "y" } as unknown as Attributes;
    expect(addAttributes(list, record, NO_LIMITS, diag)).toBe(0);
    expect(list).toEqual(["ok", "y"]);
    expect(diag.warnings).toHaveLength(2);
  });

  it("applies the length limit", () => {
    const list: AttributeList = [];
    addAttributes(list, { s: "abcdef", arr: ["abcdef"] }, { countLimit: 10, valueLengthLimit: 2 }, recordingDiag());
    expect(attributesToObject(list)).toEqual({ s: "ab", arr: ["ab"] });
  });

  it("accepts undefined", () => {
    const list: AttributeList = [];
    expect(addAttributes(list, undefined, NO_LIMITS, recordingDiag())).toBe(0);
    expect(list).toEqual([]);
  });

  it("matches setAttribute one by one for any record", () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(undefined), fc.array(fc.string()));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 3 }), value)),
        fc.dictionary(fc.string({ maxLength: 3 }), value),
        fc.nat(6),
        (initial, record, countLimit) => {
          const limits = { countLimit, valueLengthLimit: 4 };
          const a: AttributeList = [];
          const b: AttributeList = [];
          for (const [k, v] of initial) {
            setAttribute(a, k, v, limits, recordingDiag());
            setAttribute(b, k, v, limits, recordingDiag());
          }
          const dropped = addAttributes(a, record as Attributes, limits, recordingDiag());
          let expected = 0;
          for (const k of Object.keys(record)) expected += setAttribute(b, k, record[k], limits, recordingDiag());
          expect(a).toEqual(b);
          expect(dropped).toBe(expected);
          expect(a.length / 2).toBeLessThanOrEqual(countLimit);
        },
      ),
    );
  });
});

describe("attributesToObject and getAttribute", () => {
  it("read a flat list", () => {
    const list: AttributeList = ["a", 1, "__proto__", "p"];
    const obj = attributesToObject(list);
    expect(Object.keys(obj)).toEqual(["a", "__proto__"]);
    expect(obj["a"]).toBe(1);
    expect(getAttribute(list, "__proto__")).toBe("p");
    expect(getAttribute(list, "missing")).toBeUndefined();
  });
});
