// Sign-in throttling under concurrency (docs/security.md). Sequential guesses were always slowed
// down; these fire guesses all at once, from one app process and from two, and hold the limit to
// what PostgreSQL counted: an answer "invalid" means the password was checked, "locked" that it
// was not. Ten checks per address per window, whatever the concurrency.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, test } from "vitest";
import { checkCredentials, type CredentialCheck } from "../../server/auth/credentials";
import { hashPassword } from "../../server/auth/password";
import { createDb } from "../../server/db";
import { LOCKOUT_AFTER } from "../../server/domain/access/sign-in-throttle";
import { databaseUrl, testDb } from "./helpers";

const PASSWORD = "the-right-password";

async function userWithPassword(): Promise<string> {
  const email = `throttle-${randomUUID()}@test.invalid`;
  await testDb().user.create({ data: { email, name: "Throttle test", passwordHash: await hashPassword(PASSWORD) } });
  return email;
}

const checked = (answers: CredentialCheck[]) => answers.filter((answer) => !answer.ok && answer.reason === "invalid").length;
const locked = (answers: CredentialCheck[]) => answers.filter((answer) => !answer.ok && answer.reason === "locked").length;

// A second app process: its own pool and Prisma client on the same database.
const otherProcess = createDb(databaseUrl, 5);
afterAll(() => otherProcess.$disconnect());

describe.concurrent("sign-in throttling holds under concurrency", () => {
  test("100 concurrent wrong passwords: at most the limit are checked, the rest are refused unchecked", async () => {
    const email = await userWithPassword();
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => checkCredentials(testDb(), email, `wrong-${i}`)));
    expect(checked(answers)).toBe(LOCKOUT_AFTER);
    expect(locked(answers)).toBe(100 - LOCKOUT_AFTER);
    expect((await testDb().signInThrottle.findUniqueOrThrow({ where: { email } })).attempts).toHaveLength(LOCKOUT_AFTER);
  }, 60_000);

  test("40 concurrent attempts with the right password last do not sign in", async () => {
    const email = await userWithPassword();
    const attempts = Array.from({ length: 40 }, (_, i) => (i === 39 ? PASSWORD : `wrong-${i}`));
    const answers = await Promise.all(attempts.map((password) => checkCredentials(testDb(), email, password)));
    expect(answers.some((answer) => answer.ok)).toBe(false);
    expect(answers[39]).toMatchObject({ ok: false, reason: "locked" });
    expect(checked(answers)).toBe(LOCKOUT_AFTER);
  }, 60_000);

  test("two app processes racing share one limit", async () => {
    const email = await userWithPassword();
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => checkCredentials(i % 2 === 0 ? testDb() : otherProcess, email, `wrong-${i}`)));
    expect(checked(answers)).toBe(LOCKOUT_AFTER);
    expect(locked(answers)).toBe(60 - LOCKOUT_AFTER);
  }, 60_000);

  test("an address without an account is answered the same way", async () => {
    const known = await userWithPassword();
    const unknown = `nobody-${randomUUID()}@test.invalid`;
    const thirtyGuesses = (email: string) => Promise.all(Array.from({ length: 30 }, (_, i) => checkCredentials(testDb(), email, `wrong-${i}`)));
    const [forKnown, forUnknown] = await Promise.all([thirtyGuesses(known), thirtyGuesses(unknown)]);
    expect({ checked: checked(forUnknown), locked: locked(forUnknown) }).toEqual({ checked: checked(forKnown), locked: locked(forKnown) });
    expect(checked(forUnknown)).toBe(LOCKOUT_AFTER);
  }, 60_000);
});
