import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { findUnsafeString } from "./scan";
import { TEXT_MESSAGES } from "./strings";

describe("findUnsafeString", () => {
  test("finds a lone surrogate or NUL anywhere, in values and keys, and says where", () => {
    expect(findUnsafeString({ orgId: "x", fields: { tags: ["ok", "b\uD800"] } })).toEqual({ path: "fields.tags[1]", message: TEXT_MESSAGES.wellFormed });
    expect(findUnsafeString({ name: "a\u0000" })).toEqual({ path: "name", message: TEXT_MESSAGES.nul });
    expect(findUnsafeString({ arguments: { "k\uDC00": 1 } })).toEqual({ path: "arguments.k\uDC00", message: TEXT_MESSAGES.wellFormed });
    expect(findUnsafeString("\uD800")).toEqual({ path: "input", message: TEXT_MESSAGES.wellFormed });
  });

  test("it finds something exactly when the input holds such a string somewhere", () => {
    // JSON.stringify escapes exactly these: NUL as \u0000 and lone surrogates as \udXXX.
    const unsafeInJson = /\\u0000|\\ud[89a-f][0-9a-f]{2}/;
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: fc.oneof(fc.constantFrom("\uD800", "\uDFFF", "\u0000"), fc.string({ unit: "grapheme", maxLength: 1 })) }), (value) => {
        expect(findUnsafeString(value) !== null).toBe(unsafeInJson.test(JSON.stringify(value)));
      }),
    );
  });

  test("deep nesting does not exhaust the stack", () => {
    let deep: unknown = "\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnsafeString(deep)?.message).toBe(TEXT_MESSAGES.nul);
  });
});
