import { describe, expect, it } from "vitest";
import { pgSafeJson, pgSafeText } from "./pg-json";

describe("pgSafeText", () => {
  it("replaces NUL and lone surrogates, keeps real surrogate pairs", () => {
    expect(pgSafeText("a\u0000b")).toBe("a\uFFFDb");
    expect(pgSafeText("x\uD800y")).toBe("x\uFFFDy");
    expect(pgSafeText("x\uDC00")).toBe("x\uFFFD");
    expect(pgSafeText("emoji 😀 stays")).toBe("emoji 😀 stays");
    expect(pgSafeText("plain")).toBe("plain");
  });

  it("gives the same answer when called repeatedly (no regex state leaks between calls)", () => {
    expect(pgSafeText("\u0000")).toBe("\uFFFD");
    expect(pgSafeText("\u0000")).toBe("\uFFFD");
  });
});

describe("pgSafeJson", () => {
  it("cleans strings and keys at any depth and leaves other values alone", () => {
    const input = JSON.parse('{"k\\u0000":["\\ud800",1,true,null,{"__proto__":"v\\u0000"}]}') as unknown;
    const out = pgSafeJson(input);
    expect(JSON.stringify(out)).toBe('{"k\uFFFD":["\uFFFD",1,true,null,{"__proto__":"v\uFFFD"}]}');
  });
});
