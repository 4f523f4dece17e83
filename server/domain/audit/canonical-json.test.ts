import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { canonicalJson, type JsonValue } from "./canonical-json";

/** The same value with every object's keys inserted in a different order (rotated by `shift`). */
function reorderKeys(value: JsonValue, shift: number): JsonValue {
  if (Array.isArray(value)) return value.map((item) => reorderKeys(item, shift));
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).reverse();
  const k = entries.length === 0 ? 0 : shift % entries.length;
  const rotated = [...entries.slice(k), ...entries.slice(0, k)];
  // fromEntries defines own properties, so a "__proto__" key stays a key.
  return Object.fromEntries(rotated.map(([key, item]) => [key, reorderKeys(item, shift)]));
}

describe("canonicalJson", () => {
  test("sorts keys at every depth and writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: "x" } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  test("orders keys by UTF-16 code units, as RFC 8785 does", () => {
    // "B" (0x42) < "a" (0x61) < "é" (0xE9) < "😀" (0xD83D…) < "ｆ" (0xFF46)
    expect(canonicalJson({ ｆ: 5, "😀": 4, é: 3, a: 2, B: 1 })).toBe('{"B":1,"a":2,"é":3,"😀":4,"ｆ":5}');
  });

  test("drops undefined members and writes undefined array items as null", () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson([1, undefined, 2])).toBe("[1,null,2]");
  });

  test("writes dates as ISO-8601 strings", () => {
    expect(canonicalJson({ at: new Date("2026-01-02T03:04:05.678Z") })).toBe('{"at":"2026-01-02T03:04:05.678Z"}');
  });

  test("escapes strings as JSON does", () => {
    expect(canonicalJson({ 'k"\n': 'v"\\\u0001' })).toBe(JSON.stringify({ 'k"\n': 'v"\\\u0001' }));
  });

  test("refuses values JSON cannot carry faithfully", () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ a: Number.POSITIVE_INFINITY })).toThrow(TypeError);
    expect(() => canonicalJson([Number.NEGATIVE_INFINITY])).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
  });

  test("is the same for any order of keys", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, shift) => {
        const json = value as JsonValue;
        expect(canonicalJson(reorderKeys(json, shift))).toBe(canonicalJson(json));
      }),
    );
  });

  test("parses back to the same value JSON itself would give (JSON has no -0)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toStrictEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
