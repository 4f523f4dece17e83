import { describe, expect, test } from "vitest";
import { safeCallbackPath } from "./callback-path";

describe("safeCallbackPath", () => {
  test("paths on this site are kept", () => {
    expect(safeCallbackPath("/acme/agents?x=1")).toBe("/acme/agents?x=1");
    expect(safeCallbackPath("/invite/inv_abc")).toBe("/invite/inv_abc");
  });

  test("anything that could leave the site becomes the front door", () => {
    for (const value of [undefined, null, "", "https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "acme"]) {
      expect(safeCallbackPath(value)).toBe("/");
    }
  });
});
