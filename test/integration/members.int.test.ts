// Members and roles: the rules people rely on to keep an org governable, through the real API.
import { TRPCError } from "@trpc/server";
import { describe, expect, test } from "vitest";
import { ZodError } from "zod";
import { validate } from "@/components/ui/form-check";
import { invitationInput, memberUpdateInput } from "@/server/domain/invitations/schemas";
import { auditCount, callerFor, createTestOrg, errorCode, testDb } from "./helpers";

const roleOf = async (membershipId: string) => (await testDb().membership.findUnique({ where: { id: membershipId } }))?.role ?? null;

describe("membership is read fresh on every request", () => {
  test("a demoted admin's very next call is refused", async () => {
    const org = await createTestOrg();
    const admin = callerFor(org.users.admin.userId);
    expect(await admin.members.list({ orgId: org.id })).toHaveLength(5);

    await callerFor(org.users.owner.userId).members.update({ orgId: org.id, membershipId: org.users.admin.membershipId, role: "viewer", teamIds: [] });
    expect(await errorCode(admin.members.list({ orgId: org.id }))).toBe("FORBIDDEN");
    expect(await errorCode(admin.org.update({ orgId: org.id, name: "Still admin?" }))).toBe("FORBIDDEN");
    // Still a member: what a viewer may do still works.
    expect((await admin.org.access({ orgId: org.id })).role).toBe("viewer");
  });

  test("a removed member's very next call is refused", async () => {
    const org = await createTestOrg();
    const compliance = callerFor(org.users.compliance.userId);
    await compliance.audit.list({ orgId: org.id });
    await callerFor(org.users.admin.userId).members.remove({ orgId: org.id, membershipId: org.users.compliance.membershipId });
    expect(await errorCode(compliance.org.get({ orgId: org.id }))).toBe("FORBIDDEN");
    expect(await compliance.org.mine()).toEqual([]);
  });

  test("a team lead moved to another team loses the old team at once", async () => {
    const org = await createTestOrg();
    const lead = callerFor(org.users.team_lead.userId);
    await lead.audit.list({ orgId: org.id, teamId: org.leadTeamId });
    await callerFor(org.users.owner.userId).members.update({
      orgId: org.id,
      membershipId: org.users.team_lead.membershipId,
      role: "team_lead",
      teamIds: [org.otherTeamId],
    });
    expect(await errorCode(lead.audit.list({ orgId: org.id, teamId: org.leadTeamId }))).toBe("FORBIDDEN");
    expect((await lead.teams.list({ orgId: org.id })).map((team) => team.id)).toEqual([org.otherTeamId]);
  });
});

describe("owners", () => {
  test("the last owner can be neither demoted nor removed", async () => {
    const org = await createTestOrg();
    const owner = callerFor(org.users.owner.userId);
    const before = await auditCount(org.id);
    expect(await errorCode(owner.members.update({ orgId: org.id, membershipId: org.users.owner.membershipId, role: "admin", teamIds: [] }))).toBe("FORBIDDEN");
    expect(await errorCode(owner.members.remove({ orgId: org.id, membershipId: org.users.owner.membershipId }))).toBe("FORBIDDEN");
    expect(await roleOf(org.users.owner.membershipId)).toBe("owner");
    expect(await auditCount(org.id)).toBe(before);
  });

  test("with a second owner, the first may step down", async () => {
    const org = await createTestOrg();
    const owner = callerFor(org.users.owner.userId);
    await owner.members.update({ orgId: org.id, membershipId: org.users.admin.membershipId, role: "owner", teamIds: [] });
    await owner.members.update({ orgId: org.id, membershipId: org.users.owner.membershipId, role: "admin", teamIds: [] });
    expect(await roleOf(org.users.owner.membershipId)).toBe("admin");
    // Now the former admin is the last owner.
    expect(await errorCode(owner.members.remove({ orgId: org.id, membershipId: org.users.admin.membershipId }))).toBe("FORBIDDEN");
  });

  test("an admin can make no one owner, and cannot touch an owner", async () => {
    const org = await createTestOrg();
    const admin = callerFor(org.users.admin.userId);
    const before = await auditCount(org.id);
    expect(await errorCode(admin.members.invite({ orgId: org.id, email: `new-owner-${org.slug}@test.invalid`, role: "owner" }))).toBe("FORBIDDEN");
    expect(await errorCode(admin.members.update({ orgId: org.id, membershipId: org.users.viewer.membershipId, role: "owner", teamIds: [] }))).toBe("FORBIDDEN");
    expect(await errorCode(admin.members.update({ orgId: org.id, membershipId: org.users.admin.membershipId, role: "owner", teamIds: [] }))).toBe("FORBIDDEN");
    expect(await errorCode(admin.members.update({ orgId: org.id, membershipId: org.users.owner.membershipId, role: "viewer", teamIds: [] }))).toBe("FORBIDDEN");
    expect(await errorCode(admin.members.remove({ orgId: org.id, membershipId: org.users.owner.membershipId }))).toBe("FORBIDDEN");
    expect(await roleOf(org.users.viewer.membershipId)).toBe("viewer");
    expect(await roleOf(org.users.owner.membershipId)).toBe("owner");
    expect(await testDb().user.count({ where: { email: `new-owner-${org.slug}@test.invalid` } })).toBe(0);
    expect(await auditCount(org.id)).toBe(before);
  });
});

describe("inviting", () => {
  test("an existing member, in any letter case, is a CONFLICT and nothing is written", async () => {
    const org = await createTestOrg();
    const admin = callerFor(org.users.admin.userId);
    const before = await auditCount(org.id);
    const email = `  ${org.users.viewer.email.toUpperCase()} `;
    expect(await errorCode(admin.members.invite({ orgId: org.id, email: org.users.viewer.email, role: "admin" }))).toBe("CONFLICT");
    expect(await errorCode(admin.members.invite({ orgId: org.id, email, role: "admin" }))).toBe("CONFLICT");
    expect(await roleOf(org.users.viewer.membershipId)).toBe("viewer");
    expect(await auditCount(org.id)).toBe(before);
  });

  test("an invitation creates no account and no membership until it is accepted (test/integration/invitations.int.test.ts)", async () => {
    const org = await createTestOrg();
    const email = `Invitee-${org.slug}@Test.Invalid`;
    const result = await callerFor(org.users.admin.userId).members.invite({ orgId: org.id, email, role: "team_lead", teamIds: [org.otherTeamId] });
    expect(result.email).toBe(email.toLowerCase());
    expect(await testDb().user.count({ where: { email: email.toLowerCase() } })).toBe(0);
    const entries = await testDb().auditEntry.findMany({ where: { orgId: org.id } });
    expect(entries.map((entry) => entry.action)).toEqual(["member.invited"]);
    expect(entries[0]?.after).toMatchObject({ email: email.toLowerCase(), role: "team_lead", teamIds: [org.otherTeamId] });
    expect(JSON.stringify(entries)).not.toContain(result.token);
  });

  test("teams of another org are refused", async () => {
    const [org, other] = await Promise.all([createTestOrg(), createTestOrg()]);
    const admin = callerFor(org.users.admin.userId);
    expect(await errorCode(admin.members.invite({ orgId: org.id, email: `x-${org.slug}@test.invalid`, role: "team_lead", teamIds: [other.leadTeamId] }))).toBe("BAD_REQUEST");
    expect(await errorCode(admin.members.update({ orgId: org.id, membershipId: org.users.viewer.membershipId, role: "team_lead", teamIds: [other.leadTeamId] }))).toBe("BAD_REQUEST");
  });

  test("a membership of another org cannot be changed through this one", async () => {
    const [org, other] = await Promise.all([createTestOrg(), createTestOrg()]);
    const owner = callerFor(org.users.owner.userId);
    expect(await errorCode(owner.members.update({ orgId: org.id, membershipId: other.users.viewer.membershipId, role: "admin", teamIds: [] }))).toBe("NOT_FOUND");
    expect(await errorCode(owner.members.remove({ orgId: org.id, membershipId: other.users.viewer.membershipId }))).toBe("NOT_FOUND");
    expect(await roleOf(other.users.viewer.membershipId)).toBe("viewer");
  });
});

describe("a team lead leads at least one team", () => {
  const FORM_SAYS = { ok: false, errors: { teamIds: "Choose at least one team for a team lead" } };

  /** The refusal's first validation message, from the same schema the Settings form checks with. */
  async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string | undefined }> {
    const error = await call.then(
      () => null,
      (caught: unknown) => caught,
    );
    if (!(error instanceof TRPCError)) throw new Error(`expected a refusal, got ${String(error)}`);
    return { code: error.code, message: error.cause instanceof ZodError ? error.cause.issues[0]?.message : undefined };
  }

  test("the server refuses a member made team lead with no team, as the Settings form does and in its words, and changes nothing", async () => {
    const org = await createTestOrg();
    const admin = callerFor(org.users.admin.userId);
    const before = await auditCount(org.id);
    const input = { membershipId: org.users.viewer.membershipId, role: "team_lead" as const, teamIds: [] };

    expect(validate(memberUpdateInput, input)).toEqual(FORM_SAYS);
    expect(await refusal(admin.members.update({ orgId: org.id, ...input }))).toEqual({ code: "BAD_REQUEST", message: FORM_SAYS.errors.teamIds });
    expect(await roleOf(org.users.viewer.membershipId)).toBe("viewer");
    expect(await auditCount(org.id)).toBe(before);

    // With a team it goes through; and a team lead's last team cannot be taken away either.
    await admin.members.update({ orgId: org.id, ...input, teamIds: [org.otherTeamId] });
    expect(await roleOf(org.users.viewer.membershipId)).toBe("team_lead");
    expect(await refusal(admin.members.update({ orgId: org.id, ...input }))).toEqual({ code: "BAD_REQUEST", message: FORM_SAYS.errors.teamIds });
  });

  test("an invitation of a team lead with no team is refused the same way", async () => {
    const org = await createTestOrg();
    const input = { email: `lead-${org.slug}@test.invalid`, role: "team_lead" as const, teamIds: [] };
    expect(validate(invitationInput, input)).toEqual(FORM_SAYS);
    expect(await refusal(callerFor(org.users.admin.userId).members.invite({ orgId: org.id, ...input }))).toEqual({ code: "BAD_REQUEST", message: FORM_SAYS.errors.teamIds });
    expect(await testDb().invitation.count({ where: { orgId: org.id } })).toBe(0);
  });
});
