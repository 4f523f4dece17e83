import { describe, expect, test } from "vitest";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./password";

describe("password hashing", () => {
  test("a hash verifies its password and no other", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(stored).not.toContain("correct horse");
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", stored)).toBe(false);
    expect(await verifyPassword("Correct horse battery staple", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  test("the same password hashes differently each time (salted)", async () => {
    const [a, b] = await Promise.all([hashPassword("same"), hashPassword("same")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same", b)).toBe(true);
  });

  test("passwords are compared after NFKC normalisation", async () => {
    const stored = await hashPassword("Cafe\u0301 ﬁne"); // decomposed accents, "fi" ligature
    expect(await verifyPassword("Café fine", stored)).toBe(true);
  });

  test("a malformed stored hash matches nothing and does not throw", async () => {
    const good = await hashPassword("pw");
    const [, , , , salt, key] = good.split("$");
    const malformed = [
      "",
      "plain-text-password",
      `bcrypt$32768$8$1$${salt}$${key}`,
      `scrypt$32768$8$1$${salt}`,
      `scrypt$32768$8$1$$${key}`,
      `scrypt$abc$8$1$${salt}$${key}`,
      `scrypt$3$8$1$${salt}$${key}`, // N must be a power of two
      `scrypt$32768$8$1$${salt}$${key?.slice(0, 10)}`, // truncated key
    ];
    for (const stored of malformed) expect(await verifyPassword("pw", stored), stored).toBe(false);
  });

  test("the dummy hash for unknown emails is a real hash that matches no typed password", async () => {
    const dummy = await dummyPasswordHash();
    expect(dummy).toMatch(/^scrypt\$/);
    expect(await dummyPasswordHash()).toBe(dummy);
    expect(await verifyPassword("password", dummy)).toBe(false);
  });
});
