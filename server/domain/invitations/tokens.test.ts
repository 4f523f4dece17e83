import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { hashToken, INVITATION_PREFIX, looksLikeToken, newToken, PASSWORD_RESET_PREFIX } from "./tokens";

describe("single-use tokens", () => {
  test("a new token has its prefix and 256 bits, and only its SHA-256 is kept", () => {
    const { token, hash } = newToken(INVITATION_PREFIX);
    expect(token).toMatch(/^inv_[A-Za-z0-9_-]{43}$/);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashToken(token));
    expect(hash).not.toContain(token.slice(4));
    expect(newToken(INVITATION_PREFIX).token).not.toBe(token);
  });

  test("a token is recognised only under its own prefix", () => {
    const invitation = newToken(INVITATION_PREFIX).token;
    const reset = newToken(PASSWORD_RESET_PREFIX).token;
    expect(looksLikeToken(INVITATION_PREFIX, invitation)).toBe(true);
    expect(looksLikeToken(PASSWORD_RESET_PREFIX, invitation)).toBe(false);
    expect(looksLikeToken(PASSWORD_RESET_PREFIX, reset)).toBe(true);
  });

  test("arbitrary strings are not taken for tokens", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (value) => {
        expect(looksLikeToken(INVITATION_PREFIX, `inv_${value}`)).toBe(/^[A-Za-z0-9_-]{43}$/.test(value));
      }),
    );
  });
});
