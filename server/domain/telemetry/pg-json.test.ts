import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pgSafeJson, pgSafeText } from "./pg-json";

describe("pgSafeText", () => {
  it("drops NUL, replaces lone surrogates, keeps real surrogate pairs", () => {
    expect(pgSafeText("a\u0000b")).toBe("ab");
    expect(pgSafeText("x\uD800y")).toBe("x\uFFFDy");
    expect(pgSafeText("x\uDC00")).toBe("x\uFFFD");
    expect(pgSafeText("emoji 😀 stays")).toBe("emoji 😀 stays");
    expect(pgSafeText("plain")).toBe("plain");
  });

  it("gives the same answer when called repeatedly", () => {
    expect(pgSafeText("\u0000")).toBe("");
    expect(pgSafeText("\u0000")).toBe("");
  });

  it("what it returns survives UTF-8 unchanged and has no NUL, and safe text is left as it is", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (value) => {
        const safe = pgSafeText(value);
        expect(Buffer.from(safe, "utf8").toString("utf8")).toBe(safe);
        expect(safe.includes("\u0000")).toBe(false);
        if (value.isWellFormed() && !value.includes("\u0000")) expect(safe).toBe(value);
      }),
    );
  });
});

describe("pgSafeJson", () => {
  it("cleans strings and keys at any depth and leaves other values alone", () => {
    const input = JSON.parse('{"k\\u0000":["\\ud800",1,true,null,{"__proto__":"v\\u0000"}]}') as unknown;
    const out = pgSafeJson(input);
    expect(JSON.stringify(out)).toBe('{"k":["\uFFFD",1,true,null,{"__proto__":"v"}]}');
  });
});
