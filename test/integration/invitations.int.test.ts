// Invitations and password resets (docs/security.md). Users are global, so an invitation must
// never hand the inviting org a credential that opens another org, nor tell it whether an address
// has an account anywhere. The first test is the takeover the issue describes, tried with
// everything org A's owner is ever shown; the rest pin down how invitations behave.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { checkCredentials } from "../../server/auth/credentials";
import { hashPassword } from "../../server/auth/password";
import { acceptInvitationAsUser, acceptInvitationWithNewAccount, findInvitationByToken } from "../../server/data/invitations";
import { requestPasswordReset, resetLinkIsUsable, resetPassword, MAX_RESETS_PER_WINDOW } from "../../server/data/password-resets";
import { INVITATION_TTL_MS } from "../../server/domain/invitations/tokens";
import { sessionIsCurrent } from "../../server/domain/invitations/status";
import { auditCount, callerFor, createTestOrg, createTestUser, errorCode, testDb } from "./helpers";

type Caller = ReturnType<typeof callerFor>;
type InviteInput = Parameters<Caller["members"]["invite"]>[0];

/** Invites as the console does (the name is what the old form also sent; today's input ignores it). */
function invite(caller: Caller, orgId: string, email: string, role: InviteInput["role"], teamIds: string[] = []) {
  return caller.members.invite({ orgId, email, name: "Pat Person", role, teamIds } as InviteInput);
}

/** Every string in an answer, at any depth: what its reader could try as a password. */
function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}

const email = () => `person-${randomUUID()}@test.invalid`;
const PASSWORD = "a long enough password";

describe("the cross-organisation takeover through invitations is closed", () => {
  test("nothing org A's owner is shown when inviting an address opens org B, where the same address was invited as admin", async () => {
    const [orgA, orgB] = await Promise.all([createTestOrg(), createTestOrg()]);
    const address = email();
    const shownToA = await invite(callerFor(orgA.users.owner.userId), orgA.id, address, "viewer");
    await invite(callerFor(orgB.users.owner.userId), orgB.id, address, "admin");

    for (const secret of stringsIn(shownToA)) {
      const signedIn = await checkCredentials(testDb(), address, secret);
      if (!signedIn.ok) continue;
      // Whoever holds A's answer and got in must still be a stranger to org B.
      const holder = callerFor(signedIn.userId);
      expect(await errorCode(holder.members.list({ orgId: orgB.id }))).toBe("FORBIDDEN");
      expect(await errorCode(holder.audit.list({ orgId: orgB.id }))).toBe("FORBIDDEN");
    }
    // And no account was made for the address by being invited.
    expect(await testDb().user.count({ where: { email: address } })).toBe(0);
  });

  test("the answer to an invitation is the same whether or not the address has an account anywhere", async () => {
    const org = await createTestOrg();
    const elsewhere = await createTestOrg();
    const existing = elsewhere.users.viewer.email;
    const owner = callerFor(org.users.owner.userId);
    const forExisting = await invite(owner, org.id, existing, "viewer");
    const forNew = await invite(owner, org.id, email(), "viewer");
    const shape = (answer: object) => Object.fromEntries(Object.entries(answer).map(([key, value]) => [key, value instanceof Date ? "date" : typeof value]));
    expect(shape(forExisting)).toEqual(shape(forNew));
    expect(forExisting.token).toMatch(/^inv_[A-Za-z0-9_-]{43}$/);
    // The existing account is untouched: same password, no new membership until accepted.
    expect(await testDb().membership.count({ where: { userId: elsewhere.users.viewer.userId } })).toBe(1);
  });

  test("org A's owner accepting their own link for a new address gains an account in org A only; B's invitation still needs B's link", async () => {
    const [orgA, orgB] = await Promise.all([createTestOrg(), createTestOrg()]);
    const address = email();
    const fromA = await invite(callerFor(orgA.users.owner.userId), orgA.id, address, "viewer");
    const squat = await acceptInvitationWithNewAccount(testDb(), fromA.token, { name: "Squatter", password: PASSWORD });
    expect(squat).toMatchObject({ ok: true });
    if (!squat.ok) return;
    await invite(callerFor(orgB.users.owner.userId), orgB.id, address, "admin");
    expect(await errorCode(callerFor(squat.userId).members.list({ orgId: orgB.id }))).toBe("FORBIDDEN");
    // A's link is spent: it cannot be used to accept anything again.
    expect(await acceptInvitationAsUser(testDb(), fromA.token, squat.userId)).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("invitations", () => {
  test("a new person accepts with their own name and password, joins with the invited role and teams, and the org's chain records it", async () => {
    const org = await createTestOrg();
    const address = email();
    const issued = await invite(callerFor(org.users.admin.userId), org.id, address.toUpperCase(), "team_lead", [org.otherTeamId]);
    expect(issued).toMatchObject({ email: address, role: "team_lead", teamIds: [org.otherTeamId] });
    expect(issued.expiresAt.getTime() - Date.now()).toBeGreaterThan(INVITATION_TTL_MS - 60_000);

    const view = await findInvitationByToken(testDb(), issued.token);
    expect(view).toMatchObject({ status: "pending", email: address, role: "team_lead", invitedByLabel: org.users.admin.email });

    const accepted = await acceptInvitationWithNewAccount(testDb(), issued.token, { name: "Nina Newlead", password: PASSWORD });
    expect(accepted).toMatchObject({ ok: true, orgSlug: org.slug });
    const user = await testDb().user.findUniqueOrThrow({ where: { email: address } });
    expect(user.name).toBe("Nina Newlead");
    expect(await checkCredentials(testDb(), address, PASSWORD)).toEqual({ ok: true, userId: user.id });
    expect((await callerFor(user.id).teams.list({ orgId: org.id })).map((team) => team.id)).toEqual([org.otherTeamId]);

    const entries = await testDb().auditEntry.findMany({ where: { orgId: org.id }, orderBy: { seq: "asc" } });
    expect(entries.map((entry) => [entry.action, entry.actorId])).toEqual([
      ["member.invited", org.users.admin.userId],
      ["member.joined", user.id],
    ]);
    expect(JSON.stringify(entries)).not.toContain(issued.token);
    expect(JSON.stringify(entries)).not.toContain(PASSWORD);
    // Only the token's hash is stored.
    expect(JSON.stringify(await testDb().invitation.findMany({ where: { orgId: org.id } }))).not.toContain(issued.token);
  });

  test("someone with an account must be signed in as it: accepting adds only the membership and leaves the password alone", async () => {
    const [org, home] = await Promise.all([createTestOrg(), createTestOrg()]);
    const person = home.users.compliance;
    const hash = await hashPassword(PASSWORD);
    await testDb().user.update({ where: { id: person.userId }, data: { passwordHash: hash } });
    const issued = await invite(callerFor(org.users.owner.userId), org.id, person.email, "viewer");

    // Creating an account for an address that has one is refused; nothing changes.
    expect(await acceptInvitationWithNewAccount(testDb(), issued.token, { name: "Impostor", password: "another password here" })).toEqual({ ok: false, reason: "account_exists" });
    // Another signed-in account cannot take it.
    expect(await acceptInvitationAsUser(testDb(), issued.token, org.users.viewer.userId)).toEqual({ ok: false, reason: "wrong_account" });
    expect((await testDb().user.findUniqueOrThrow({ where: { id: person.userId } })).passwordHash).toBe(hash);

    expect(await acceptInvitationAsUser(testDb(), issued.token, person.userId)).toMatchObject({ ok: true, orgSlug: org.slug });
    expect((await callerFor(person.userId).org.mine()).map((row) => row.id).sort()).toEqual([org.id, home.id].sort());
    expect((await testDb().user.findUniqueOrThrow({ where: { id: person.userId } })).passwordHash).toBe(hash);
  });

  test("a link works once, even when accepted twice at the same moment", async () => {
    const org = await createTestOrg();
    const issued = await invite(callerFor(org.users.owner.userId), org.id, email(), "viewer");
    const results = await Promise.all([
      acceptInvitationWithNewAccount(testDb(), issued.token, { name: "First", password: PASSWORD }),
      acceptInvitationWithNewAccount(testDb(), issued.token, { name: "Second", password: PASSWORD }),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(await testDb().membership.count({ where: { orgId: org.id, user: { email: issued.email } } })).toBe(1);
    expect(await testDb().auditEntry.count({ where: { orgId: org.id, action: "member.joined" } })).toBe(1);
  });

  test("pending invitations are listed with role, teams and expiry; a revoked, expired or re-issued one cannot be accepted", async () => {
    const org = await createTestOrg();
    const owner = callerFor(org.users.owner.userId);
    const first = await invite(owner, org.id, email(), "team_lead", [org.leadTeamId]);
    const listed = await owner.members.invitations({ orgId: org.id });
    expect(listed).toEqual([expect.objectContaining({ invitationId: first.invitationId, email: first.email, role: "team_lead", teamIds: [org.leadTeamId], expiresAt: first.expiresAt })]);
    expect(JSON.stringify(listed)).not.toContain(first.token);

    // Re-inviting the same address replaces the pending link.
    const second = await invite(owner, org.id, first.email, "viewer");
    expect((await owner.members.invitations({ orgId: org.id })).map((row) => row.invitationId)).toEqual([second.invitationId]);
    expect(await acceptInvitationWithNewAccount(testDb(), first.token, { name: "Late", password: PASSWORD })).toEqual({ ok: false, reason: "invalid" });

    const before = await auditCount(org.id);
    await owner.members.revokeInvitation({ orgId: org.id, invitationId: second.invitationId });
    expect(await auditCount(org.id)).toBe(before + 1);
    expect(await owner.members.invitations({ orgId: org.id })).toEqual([]);
    expect(await acceptInvitationWithNewAccount(testDb(), second.token, { name: "Late", password: PASSWORD })).toEqual({ ok: false, reason: "invalid" });
    expect(await errorCode(owner.members.revokeInvitation({ orgId: org.id, invitationId: second.invitationId }))).toBe("NOT_FOUND");

    const third = await invite(owner, org.id, email(), "viewer");
    const afterExpiry = new Date(third.expiresAt.getTime() + 1000);
    expect((await findInvitationByToken(testDb(), third.token, afterExpiry))?.status).toBe("expired");
    expect(await acceptInvitationWithNewAccount(testDb(), third.token, { name: "Late", password: PASSWORD }, afterExpiry)).toEqual({ ok: false, reason: "invalid" });
    expect(await testDb().user.count({ where: { email: third.email } })).toBe(0);
  });

  test("another org's invitation cannot be revoked or listed through this one", async () => {
    const [org, other] = await Promise.all([createTestOrg(), createTestOrg()]);
    const theirs = await invite(callerFor(other.users.owner.userId), other.id, email(), "viewer");
    const owner = callerFor(org.users.owner.userId);
    expect(await errorCode(owner.members.revokeInvitation({ orgId: org.id, invitationId: theirs.invitationId }))).toBe("NOT_FOUND");
    expect(await owner.members.invitations({ orgId: org.id })).toEqual([]);
    expect((await findInvitationByToken(testDb(), theirs.token))?.status).toBe("pending");
  });

  test("tokens that are not ours are answered without a database hit and reveal nothing", async () => {
    for (const token of ["", "inv_short", `inv_${"A".repeat(43)}`, `rst_${"A".repeat(43)}`, "x".repeat(5000)]) {
      expect(await findInvitationByToken(testDb(), token)).toBeNull();
      expect(await acceptInvitationWithNewAccount(testDb(), token, { name: "X", password: PASSWORD })).toEqual({ ok: false, reason: "invalid" });
    }
  });
});

describe("password resets", () => {
  async function personWithPassword() {
    const org = await createTestOrg();
    const person = org.users.viewer;
    await testDb().user.update({ where: { id: person.userId }, data: { passwordHash: await hashPassword(PASSWORD) } });
    return { org, person };
  }

  test("a reset link sets a new password once, ends every session and is audited in every org of the person", async () => {
    const { org, person } = await personWithPassword();
    const issued = await requestPasswordReset(testDb(), person.email);
    if (!issued) throw new Error("an account with a password gets a link");
    expect(issued.token).toMatch(/^rst_/);
    expect(await resetLinkIsUsable(testDb(), issued.token)).toBe(true);

    const before = new Date();
    expect(await resetPassword(testDb(), issued.token, "the new password please")).toEqual({ ok: true, email: person.email });
    expect(await checkCredentials(testDb(), person.email, "the new password please")).toMatchObject({ ok: true });
    expect(await checkCredentials(testDb(), person.email, PASSWORD)).toMatchObject({ ok: false });
    const { sessionsValidFrom } = await testDb().user.findUniqueOrThrow({ where: { id: person.userId } });
    expect(sessionIsCurrent(before.getTime() - 1000, sessionsValidFrom)).toBe(false);
    expect(sessionIsCurrent(Date.now() + 1000, sessionsValidFrom)).toBe(true);

    expect(await resetLinkIsUsable(testDb(), issued.token)).toBe(false);
    expect(await resetPassword(testDb(), issued.token, "yet another password")).toEqual({ ok: false, reason: "invalid" });
    const entries = await testDb().auditEntry.findMany({ where: { orgId: org.id, action: "account.password_reset" } });
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries)).not.toContain(issued.token);
  });

  test("no link for an unknown address or a single-sign-on account, and at most a few per window", async () => {
    expect(await requestPasswordReset(testDb(), email())).toBeNull();
    const sso = await createTestUser(testDb(), "sso");
    expect(await requestPasswordReset(testDb(), sso.email)).toBeNull();

    const { person } = await personWithPassword();
    const burst = await Promise.all(Array.from({ length: 10 }, () => requestPasswordReset(testDb(), person.email)));
    expect(burst.filter((issued) => issued !== null)).toHaveLength(MAX_RESETS_PER_WINDOW);
  });

  test("an expired link is refused", async () => {
    const { person } = await personWithPassword();
    const past = new Date(Date.now() - 2 * 60 * 60 * 1000);
    const issued = await requestPasswordReset(testDb(), person.email, past);
    if (!issued) throw new Error("expected a link");
    expect(await resetLinkIsUsable(testDb(), issued.token)).toBe(false);
    expect(await resetPassword(testDb(), issued.token, "the new password please")).toEqual({ ok: false, reason: "invalid" });
    expect(await checkCredentials(testDb(), person.email, PASSWORD)).toMatchObject({ ok: true });
  });
});
