// Password sign-in against the real database: wrong guesses lock an address, and an address
// without an account is answered exactly like one with an account.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { checkCredentials, type CredentialCheck } from "../../server/auth/credentials";
import { hashPassword } from "../../server/auth/password";
import { THROTTLE_WINDOW_MS } from "../../server/domain/access/sign-in-throttle";
import { testDb } from "./helpers";

const PASSWORD = "the-right-password";

async function userWithPassword(): Promise<{ id: string; email: string }> {
  const email = `signin-${randomUUID()}@test.invalid`;
  const user = await testDb().user.create({ data: { email, name: "Sign-in test", passwordHash: await hashPassword(PASSWORD) } });
  return { id: user.id, email };
}

/** Earlier failed attempts, as replicas would have recorded them. */
async function recordFailures(email: string, times: Date[]): Promise<void> {
  const row = await testDb().signInThrottle.findUnique({ where: { email } });
  const attempts = [...(row?.attempts ?? []), ...times].sort((a, b) => a.getTime() - b.getTime());
  await testDb().signInThrottle.upsert({ where: { email }, create: { email, attempts }, update: { attempts } });
}

/** Attempts the address has on record (in any window). */
async function attemptsOf(email: string): Promise<number> {
  return (await testDb().signInThrottle.findUnique({ where: { email } }))?.attempts.length ?? 0;
}

/** Three free wrong guesses, then seven earlier ones recorded ten minutes ago: the address is now at the lockout threshold. */
async function driveToLockout(email: string): Promise<CredentialCheck[]> {
  const answers: CredentialCheck[] = [];
  for (let attempt = 0; attempt < 3; attempt++) answers.push(await checkCredentials(testDb(), email, `wrong-${attempt}`));
  const now = new Date();
  await recordFailures(
    email,
    Array.from({ length: 7 }, () => new Date(now.getTime() - 10 * 60_000)),
  );
  answers.push(await checkCredentials(testDb(), email, "wrong-again", now));
  answers.push(await checkCredentials(testDb(), email, PASSWORD, now));
  return answers;
}

describe("checkCredentials", () => {
  test("the right password signs in, in any letter case of the email, and clears earlier failures", async () => {
    const user = await userWithPassword();
    expect(await checkCredentials(testDb(), user.email, "wrong")).toEqual({ ok: false, reason: "invalid" });
    expect(await attemptsOf(user.email)).toBe(1);
    expect(await checkCredentials(testDb(), `  ${user.email.toUpperCase()} `, PASSWORD)).toEqual({ ok: true, userId: user.id });
    expect(await attemptsOf(user.email)).toBe(0);
    expect((await testDb().user.findUniqueOrThrow({ where: { id: user.id } })).lastSignInAt).not.toBeNull();
  });

  test("wrong passwords lock the address, even against the right password, until the window passes", async () => {
    const user = await userWithPassword();
    const answers = await driveToLockout(user.email);
    expect(answers).toEqual([
      { ok: false, reason: "invalid" },
      { ok: false, reason: "invalid" },
      { ok: false, reason: "invalid" },
      // The oldest counted failures are ten minutes old: five minutes left.
      { ok: false, reason: "locked", retryAfterMs: THROTTLE_WINDOW_MS - 10 * 60_000 },
      { ok: false, reason: "locked", retryAfterMs: THROTTLE_WINDOW_MS - 10 * 60_000 },
    ]);
    // A locked attempt is not counted again (the lock does not extend itself).
    expect(await attemptsOf(user.email)).toBe(10);

    const afterWindow = new Date(Date.now() + THROTTLE_WINDOW_MS + 1000);
    expect(await checkCredentials(testDb(), user.email, PASSWORD, afterWindow)).toEqual({ ok: true, userId: user.id });
  });

  test("an unknown email gets the same answers as a known one", async () => {
    const known = await userWithPassword();
    const unknown = `nobody-${randomUUID()}@test.invalid`;
    const [forKnown, forUnknown] = await Promise.all([driveToLockout(known.email), driveToLockout(unknown)]);
    expect(forUnknown).toEqual(forKnown);
    expect(await attemptsOf(unknown)).toBe(10);
  });

  test("a user without a password (single sign-on only) cannot sign in with any password", async () => {
    const email = `sso-${randomUUID()}@test.invalid`;
    await testDb().user.create({ data: { email, name: "SSO user" } });
    expect(await checkCredentials(testDb(), email, "")).toEqual({ ok: false, reason: "invalid" });
    expect(await checkCredentials(testDb(), email, PASSWORD)).toEqual({ ok: false, reason: "invalid" });
  });
});
