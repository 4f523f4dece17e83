// Changing your own password: the current one is checked, the change is recorded in the audit
// chain of every org you belong to, and no secret ends up in that chain.
import { TRPCError } from "@trpc/server";
import { describe, expect, test } from "vitest";
import { checkCredentials } from "../../server/auth/credentials";
import { hashPassword, verifyPassword } from "../../server/auth/password";
import { callerFor, createTestOrg, testDb } from "./helpers";

async function errorOf(promise: Promise<unknown>): Promise<TRPCError | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
}

const CURRENT = "the-current-password";

async function userWithPassword() {
  const first = await createTestOrg();
  const second = await createTestOrg();
  const person = first.users.viewer;
  await testDb().user.update({ where: { id: person.userId }, data: { passwordHash: await hashPassword(CURRENT) } });
  // The same person is also a compliance officer in a second org.
  await testDb().membership.create({ data: { orgId: second.id, userId: person.userId, role: "compliance" } });
  return { person, orgIds: [first.id, second.id] };
}

const storedHash = async (userId: string) => (await testDb().user.findUniqueOrThrow({ where: { id: userId } })).passwordHash ?? "";
const entriesFor = (orgId: string, userId: string) => testDb().auditEntry.findMany({ where: { orgId, action: "account.password_changed", targetId: userId } });

describe("account.changePassword", () => {
  test("with the right current password, the new one signs in and every org's chain records it without secrets", async () => {
    const { person, orgIds } = await userWithPassword();
    await callerFor(person.userId).account.changePassword({ currentPassword: CURRENT, newPassword: "a brand new passphrase" });

    expect(await verifyPassword("a brand new passphrase", await storedHash(person.userId))).toBe(true);
    expect(await checkCredentials(testDb(), person.email, CURRENT)).toEqual({ ok: false, reason: "invalid" });
    expect(await checkCredentials(testDb(), person.email, "a brand new passphrase")).toMatchObject({ ok: true, userId: person.userId });
    for (const orgId of orgIds) {
      const entries = await entriesFor(orgId, person.userId);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actorType: "user", actorId: person.userId, actorLabel: person.email, targetType: "user", before: null, after: null });
      expect(JSON.stringify(entries[0])).not.toContain("passphrase");
    }
  });

  test("a wrong current password is refused with BAD_REQUEST and changes nothing", async () => {
    const { person, orgIds } = await userWithPassword();
    const before = await storedHash(person.userId);
    const error = await errorOf(callerFor(person.userId).account.changePassword({ currentPassword: "not-the-password", newPassword: "a brand new passphrase" }));
    expect(error?.code).toBe("BAD_REQUEST");
    expect(error?.message).toBe("Your current password is not correct.");
    expect(await storedHash(person.userId)).toBe(before);
    for (const orgId of orgIds) expect(await entriesFor(orgId, person.userId)).toHaveLength(0);
  });

  test("a new password that is too short, or the same as the current one, is refused on the new-password field", async () => {
    const { person } = await userWithPassword();
    const caller = callerFor(person.userId);
    for (const newPassword of ["short-pass", CURRENT]) {
      const error = await errorOf(caller.account.changePassword({ currentPassword: CURRENT, newPassword }));
      expect(error?.code).toBe("BAD_REQUEST");
      expect(error?.cause?.name).toBe("ZodError");
    }
    expect(await verifyPassword(CURRENT, await storedHash(person.userId))).toBe(true);
  });

  test("guessing the current password is throttled like sign-in", async () => {
    const { person } = await userWithPassword();
    await testDb().signInThrottle.create({ data: { email: person.email, attempts: Array.from({ length: 10 }, () => new Date()) } });
    const error = await errorOf(callerFor(person.userId).account.changePassword({ currentPassword: CURRENT, newPassword: "a brand new passphrase" }));
    expect(error?.code).toBe("TOO_MANY_REQUESTS");
    expect(await verifyPassword(CURRENT, await storedHash(person.userId))).toBe(true);
  });

  test("signed out, the call is refused", async () => {
    expect((await errorOf(callerFor(null).account.changePassword({ currentPassword: CURRENT, newPassword: "a brand new passphrase" })))?.code).toBe("UNAUTHORIZED");
  });
});
