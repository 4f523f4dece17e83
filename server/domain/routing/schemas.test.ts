import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { modelInput } from "./schemas";

const price = modelInput.shape.inputUsdPerMTok;

describe("a model's price per million tokens", () => {
  test("is a decimal of dollars up to $10,000, refused in words a person can act on otherwise", () => {
    expect(price.parse(" 2.50 ")).toBe("2.50");
    expect(price.parse("10000")).toBe("10000");
    expect(price.safeParse("10000.000001").error?.issues[0]?.message).toBe("At most $10,000 per million tokens");
    expect(price.safeParse("abc").error?.issues.map((issue) => issue.message)).toEqual(["A price in dollars per million tokens, such as 2.50"]);
    expect(price.safeParse("-1").success).toBe(false);
  });

  test("any text is answered, never thrown on (the form checks as the person types; the server would answer a 500)", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(() => price.safeParse(text)).not.toThrow();
      }),
    );
  });
});
