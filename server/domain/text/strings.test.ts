import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { displayName, identifierText, isDisplaySafe, isWellFormedText, safeText, TEXT_MESSAGES, toDisplaySafe } from "./strings";

const LONE_SURROGATES = ["\uD800", "\uDBFF", "\uDC00", "\uDFFF", "a\uD83D", "\uDE00b", "\uDE00\uD83D"];
const BIDI = ["\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069", "\u200E", "\u200F", "\u061C"];
const INVISIBLE = ["\u0000", "\u0007", "\t", "\n", "\u007F", "\u0085", "\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD", "\u2028", "\u2029", "\u3164", "\u{E0041}"];

/** What PostgreSQL would store after Node's UTF-8 encoding. */
const roundTrip = (value: string) => Buffer.from(value, "utf8").toString("utf8");

describe("isWellFormedText", () => {
  test("a string is well-formed exactly when UTF-8 round-trips it unchanged", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (value) => {
        expect(isWellFormedText(value)).toBe(roundTrip(value) === value);
      }),
    );
  });

  test("paired surrogates (emoji) are fine, lone ones are not", () => {
    expect(isWellFormedText("agent 🤖 ok")).toBe(true);
    for (const value of LONE_SURROGATES) expect(isWellFormedText(value), JSON.stringify(value)).toBe(false);
  });
});

describe("isDisplaySafe and toDisplaySafe", () => {
  test("bidirectional controls and invisible characters are refused", () => {
    for (const value of [...BIDI, ...INVISIBLE]) {
      expect(isDisplaySafe(`pay${value}roll`), JSON.stringify(value)).toBe(false);
    }
  });

  test("ordinary names in any script are fine", () => {
    for (const name of ["content-writer", "Équipe Données", "מחלקת כספים", "財務チーム", "Команда", "agent 🤖", "A&B (EMEA)"]) {
      expect(isDisplaySafe(name), name).toBe(true);
    }
  });

  test("toDisplaySafe always returns a well-formed, display-safe string and keeps safe strings as they are", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (value) => {
        const safe = toDisplaySafe(value);
        expect(isWellFormedText(safe)).toBe(true);
        expect(isDisplaySafe(safe)).toBe(true);
        if (isWellFormedText(value) && isDisplaySafe(value)) expect(safe).toBe(value);
      }),
    );
    expect(toDisplaySafe("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
  });
});

describe("the zod helpers", () => {
  test("identifierText refuses lone surrogates and NUL with a clear message, and accepts the rest", () => {
    const schema = identifierText(50);
    expect(schema.safeParse("evt-1 🤖").success).toBe(true);
    const surrogate = schema.safeParse("evt-\uD800");
    expect(surrogate.success).toBe(false);
    expect(surrogate.error?.issues.map((issue) => issue.message)).toEqual([TEXT_MESSAGES.wellFormed]);
    expect(schema.safeParse("evt\u0000").error?.issues.map((issue) => issue.message)).toEqual([TEXT_MESSAGES.nul]);
    expect(schema.safeParse("").success).toBe(false);
    expect(schema.safeParse("x".repeat(51)).success).toBe(false);
  });

  test("safeText keeps newlines but not NUL or lone surrogates", () => {
    expect(safeText().safeParse("line 1\nline 2").success).toBe(true);
    expect(safeText().safeParse("a\u0000").success).toBe(false);
    expect(safeText().safeParse("\uDC00").success).toBe(false);
  });

  test("displayName trims, and refuses bidi overrides and invisible characters", () => {
    const schema = displayName({ max: 20 });
    expect(schema.parse("  Finance  ")).toBe("Finance");
    const spoofed = schema.safeParse("Finance\u202Eecnanif");
    expect(spoofed.error?.issues.map((issue) => issue.message)).toEqual([TEXT_MESSAGES.displaySafe]);
    expect(schema.safeParse("Fin\u200Bance").success).toBe(false);
    expect(schema.safeParse("   ").error?.issues[0]?.message).toBe("Enter a name");
  });

  test("every string either passes identifierText or is refused, and what passes is stored unchanged", () => {
    const schema = identifierText(200);
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 1, maxLength: 50 }), (value) => {
        const parsed = schema.safeParse(value);
        if (parsed.success) expect(roundTrip(parsed.data)).toBe(parsed.data);
        expect(parsed.success).toBe(isWellFormedText(value) && !value.includes("\u0000"));
      }),
    );
  });
});
