import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { microsToUsdString, tokenCostMicros, usdToMicros } from "./money";

describe("usdToMicros", () => {
  it("converts numbers and decimal strings exactly", () => {
    expect(usdToMicros(0.1)).toBe(100_000n);
    expect(usdToMicros("0.1")).toBe(100_000n);
    expect(usdToMicros(12.34)).toBe(12_340_000n);
    expect(usdToMicros("1000000")).toBe(1_000_000_000_000n);
    expect(usdToMicros(1e-7)).toBe(0n);
    expect(usdToMicros(5e-7)).toBe(1n);
    expect(usdToMicros("0.0000005")).toBe(1n);
    expect(usdToMicros("0.0000004999")).toBe(0n);
  });

  it("refuses what is not a decimal amount", () => {
    expect(() => usdToMicros("1,5")).toThrow(RangeError);
    expect(() => usdToMicros(Number.NaN)).toThrow(RangeError);
  });

  it("round-trips through its decimal text for any amount of micro-dollars", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (micros) => {
        expect(usdToMicros(microsToUsdString(micros))).toBe(micros);
      }),
    );
  });
});

describe("microsToUsdString", () => {
  it("writes six decimals and a sign", () => {
    expect(microsToUsdString(12_340_000n)).toBe("12.340000");
    expect(microsToUsdString(-5n)).toBe("-0.000005");
    expect(microsToUsdString(0n)).toBe("0.000000");
  });
});

describe("tokenCostMicros", () => {
  it("prices tokens from per-million list prices, rounding half up to the micro-dollar", () => {
    // gpt-5-mini: $0.25 in, $2 out per million tokens.
    expect(tokenCostMicros({ inputTokens: 1200, outputTokens: 300, inputMicrosPerMTok: 250_000n, outputMicrosPerMTok: 2_000_000n })).toBe(900n);
    expect(tokenCostMicros({ inputTokens: 1, outputTokens: 0, inputMicrosPerMTok: 500_000n, outputMicrosPerMTok: 0n })).toBe(1n);
    expect(tokenCostMicros({ inputTokens: 1, outputTokens: 0, inputMicrosPerMTok: 499_999n, outputMicrosPerMTok: 0n })).toBe(0n);
  });

  it("is additive in tokens up to rounding", () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), fc.bigInt({ min: 0n, max: 100_000_000n }), (a, b, price) => {
        const split =
          tokenCostMicros({ inputTokens: a, outputTokens: 0, inputMicrosPerMTok: price, outputMicrosPerMTok: 0n }) +
          tokenCostMicros({ inputTokens: b, outputTokens: 0, inputMicrosPerMTok: price, outputMicrosPerMTok: 0n });
        const whole = tokenCostMicros({ inputTokens: a + b, outputTokens: 0, inputMicrosPerMTok: price, outputMicrosPerMTok: 0n });
        expect(whole - split >= -1n && whole - split <= 1n).toBe(true);
      }),
    );
  });
});
