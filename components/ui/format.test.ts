import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { formatMicroUsd } from "./format";

describe("formatMicroUsd", () => {
  test("shows dollars and cents with thousands separators", () => {
    expect(formatMicroUsd(0n)).toBe("$0.00");
    expect(formatMicroUsd(1_000_000n)).toBe("$1.00");
    expect(formatMicroUsd(999_990_000n)).toBe("$999.99");
    expect(formatMicroUsd(1_000_000_000n)).toBe("$1,000.00");
    expect(formatMicroUsd(1_234_567_890_000n)).toBe("$1,234,567.89");
  });

  test("rounds half up at the shown precision, carrying into the dollars", () => {
    expect(formatMicroUsd(4_999n)).toBe("$0.00");
    expect(formatMicroUsd(5_000n)).toBe("$0.01");
    expect(formatMicroUsd(1_994_999n)).toBe("$1.99");
    expect(formatMicroUsd(1_995_000n)).toBe("$2.00");
    expect(formatMicroUsd(999_995_000n)).toBe("$1,000.00");
  });

  test("precise mode shows four decimals", () => {
    expect(formatMicroUsd(1_234_549n, { precise: true })).toBe("$1.2345");
    expect(formatMicroUsd(1_234_550n, { precise: true })).toBe("$1.2346");
    expect(formatMicroUsd(50n, { precise: true })).toBe("$0.0001");
    expect(formatMicroUsd(49n, { precise: true })).toBe("$0.0000");
  });

  test("negative amounts carry a leading minus and round like positive ones", () => {
    expect(formatMicroUsd(-1_500_000n)).toBe("-$1.50");
    expect(formatMicroUsd(-1_234_567_890_000n)).toBe("-$1,234,567.89");
    expect(formatMicroUsd(-5_000n)).toBe("-$0.01");
  });

  test("an amount that rounds to zero shows no minus sign", () => {
    expect(formatMicroUsd(-4_999n)).toBe("$0.00");
    expect(formatMicroUsd(-49n, { precise: true })).toBe("$0.0000");
  });

  test("takes bigint, integer number and integer string alike, beyond 2^53 exactly", () => {
    expect(formatMicroUsd(12_345_678)).toBe("$12.35");
    expect(formatMicroUsd("12345678")).toBe("$12.35");
    expect(formatMicroUsd("-2500000")).toBe("-$2.50");
    expect(formatMicroUsd("9007199254740993000000")).toBe("$9,007,199,254,740,993.00");
  });

  test("never loses a cent: the shown amount is within half a cent of the value", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (micros) => {
        const shown = formatMicroUsd(micros);
        const cents = BigInt(shown.replace(/[$,.]/g, ""));
        const diff = cents * 10_000n - micros;
        expect(diff >= -5_000n && diff <= 5_000n).toBe(true);
      }),
    );
  });
});
