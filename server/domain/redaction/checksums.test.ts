import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { IBAN_LENGTHS, isValidIban, passesLuhn } from "./checksums";
import { withLuhnDigit } from "./test-data";

describe("passesLuhn", () => {
  test("accepts the networks' published test numbers", () => {
    for (const card of ["4111111111111111", "5500000000000004", "378282246310005", "6011111111111117", "3530111333300000", "4222222222222", "2223003122003222"]) {
      expect(passesLuhn(card), card).toBe(true);
    }
  });

  test("rejects a changed digit and non-digits", () => {
    expect(passesLuhn("4111111111111112")).toBe(false);
    expect(passesLuhn("378282246310006")).toBe(false);
    expect(passesLuhn("4111 1111 1111 1111")).toBe(false);
    expect(passesLuhn("")).toBe(false);
  });

  test("catches every single-digit error", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 18 }), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, at, delta) => {
        const digits = withLuhnDigit(body.join(""));
        const i = at % digits.length;
        const changed = digits.slice(0, i) + String((Number(digits[i]) + delta) % 10) + digits.slice(i + 1);
        expect(passesLuhn(digits)).toBe(true);
        expect(passesLuhn(changed)).toBe(false);
      }),
    );
  });
});

describe("isValidIban", () => {
  test("accepts registry examples", () => {
    for (const iban of ["DE89370400440532013000", "GB82WEST12345698765432", "FR1420041010050500013M02606", "NL91ABNA0417164300", "NO9386011117947", "CH9300762011623852957", "MT84MALT011000012345MTLCAST001S"]) {
      expect(isValidIban(iban), iban).toBe(true);
    }
  });

  test("rejects a wrong check digit, a wrong length, an unknown country and impossible check digits", () => {
    expect(isValidIban("DE88370400440532013000")).toBe(false);
    expect(isValidIban("DE8937040044053201300")).toBe(false);
    expect(isValidIban("XX89370400440532013000")).toBe(false);
    expect(isValidIban("de89370400440532013000")).toBe(false);
    // "00" can satisfy mod-97 for some BBANs but is never issued.
    const bban = "370400440532013000";
    const forged = ["00", "01", "99"].map((check) => `DE${check}${bban}`);
    for (const iban of forged) expect(isValidIban(iban)).toBe(false);
  });

  test("knows the length of every country it lists", () => {
    for (const [country, length] of Object.entries(IBAN_LENGTHS)) {
      expect(country).toMatch(/^[A-Z]{2}$/);
      expect(length).toBeGreaterThanOrEqual(15);
      expect(length).toBeLessThanOrEqual(34);
    }
  });
});
