import { describe, expect, test } from "vitest";
import { limitText, parseThresholds } from "./form-values";

describe("the budget form's values", () => {
  test("thresholds: commas, spaces and % signs; duplicates dropped; sorted", () => {
    expect(parseThresholds("80, 50 100%, 50")).toEqual({ ok: true, thresholds: [50, 80, 100] });
    expect(parseThresholds("  ")).toEqual({ ok: true, thresholds: [] });
    expect(parseThresholds("50, abc")).toEqual({ ok: false, message: '"abc" is not a whole percentage' });
    expect(parseThresholds("0")).toEqual({ ok: false, message: "Thresholds are between 1 and 100 %" });
    expect(parseThresholds("150")).toEqual({ ok: false, message: "Thresholds are between 1 and 100 %" });
    expect(parseThresholds("10 20 30 40 50 60")).toEqual({ ok: false, message: "At most five thresholds" });
  });

  test("a stored limit shown for editing, exactly", () => {
    expect(limitText(250_000_000n)).toBe("250");
    expect(limitText(99_500_000n)).toBe("99.5");
    expect(limitText(1n)).toBe("0.000001");
  });
});
