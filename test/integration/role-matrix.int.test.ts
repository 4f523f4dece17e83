// Every tRPC procedure, called as every role: allowed or FORBIDDEN exactly as DESIGN.md's
// "Console roles" table says. The expected table is written out here, from the design, and not
// read from server/domain/access/permissions.ts, which is what is being tested.
import { beforeAll, describe, expect, test } from "vitest";
import { appRouter } from "../../server/api/root";
import { hashPassword } from "../../server/auth/password";
import type { Role } from "../../server/domain/access/permissions";
import { callerFor, createTestOrg, createTestUser, errorCode, testDb, type TestOrg, type TestUser } from "./helpers";

type Caller = ReturnType<typeof callerFor>;
interface Env {
  org: TestOrg;
  actor: TestUser;
}

interface Fixture {
  kind: "query" | "mutation";
  /** "org": takes { orgId } and answers only members; "user": the caller's own things. */
  scope: "org" | "user";
  /** Roles the design allows, literally. */
  allowed: readonly Role[];
  /** The audit action an allowed mutation writes, once per call. */
  audit?: string;
  /** Prepares what the call needs (directly in the database, unaudited), then makes the call. */
  run: (caller: Caller, env: Env) => Promise<unknown>;
}

const ALL: readonly Role[] = ["owner", "admin", "compliance", "team_lead", "viewer"];
// DESIGN.md: "members, roles, org settings, model registry: owner/admin".
const ADMINS: readonly Role[] = ["owner", "admin"];
// DESIGN.md: "audit log read + export: all (owner/admin), all (compliance), own teams (team lead), – (viewer)".
const AUDIT_READERS: readonly Role[] = ["owner", "admin", "compliance", "team_lead"];

const PASSWORD = "current-password-for-tests";
let passwordHash = "";
let counter = 0;
const unique = (label: string) => `${label} ${++counter}-${Date.now() % 100_000}`;

/** A member added directly (no audit): something for members.update/remove to act on. */
async function extraMember(org: TestOrg, role: Role): Promise<string> {
  const db = testDb();
  const user = await createTestUser(db, `extra-${role}`);
  const membership = await db.membership.create({ data: { orgId: org.id, userId: user.userId, role } });
  return membership.id;
}

const FIXTURES: Record<string, Fixture> = {
  "org.mine": { kind: "query", scope: "user", allowed: ALL, run: (caller) => caller.org.mine() },
  "org.access": { kind: "query", scope: "org", allowed: ALL, run: (caller, { org }) => caller.org.access({ orgId: org.id }) },
  "org.get": { kind: "query", scope: "org", allowed: ALL, run: (caller, { org }) => caller.org.get({ orgId: org.id }) },
  "org.update": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "org.updated",
    run: (caller, { org }) => caller.org.update({ orgId: org.id, name: unique("Renamed org") }),
  },
  "teams.list": { kind: "query", scope: "org", allowed: ALL, run: (caller, { org }) => caller.teams.list({ orgId: org.id }) },
  "teams.create": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "team.created",
    run: (caller, { org }) => caller.teams.create({ orgId: org.id, name: unique("New team") }),
  },
  "teams.rename": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "team.renamed",
    // The team lead's own team: renaming even that is an org setting, not theirs.
    run: (caller, { org }) => caller.teams.rename({ orgId: org.id, teamId: org.leadTeamId, name: unique("Marketing") }),
  },
  "members.list": { kind: "query", scope: "org", allowed: ADMINS, run: (caller, { org }) => caller.members.list({ orgId: org.id }) },
  "members.invite": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "member.invited",
    run: (caller, { org }) =>
      caller.members.invite({ orgId: org.id, email: `invitee-${++counter}-${org.slug}@test.invalid`, name: "Invitee", role: "viewer" }),
  },
  "members.update": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "member.updated",
    run: async (caller, { org }) => {
      const membershipId = await extraMember(org, "viewer");
      return caller.members.update({ orgId: org.id, membershipId, role: "team_lead", teamIds: [org.otherTeamId] });
    },
  },
  "members.remove": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "member.removed",
    run: async (caller, { org }) => caller.members.remove({ orgId: org.id, membershipId: await extraMember(org, "viewer") }),
  },
  "audit.list": { kind: "query", scope: "org", allowed: AUDIT_READERS, run: (caller, { org }) => caller.audit.list({ orgId: org.id }) },
  "audit.actions": { kind: "query", scope: "org", allowed: AUDIT_READERS, run: (caller, { org }) => caller.audit.actions({ orgId: org.id }) },
  "audit.verify": { kind: "query", scope: "org", allowed: AUDIT_READERS, run: (caller, { org }) => caller.audit.verify({ orgId: org.id }) },
  "account.changePassword": {
    kind: "mutation",
    scope: "user",
    allowed: ALL,
    // Recorded in the chain of every org the person belongs to: here, one.
    audit: "account.password_changed",
    run: async (caller, { actor }) => {
      await testDb().user.update({ where: { id: actor.userId }, data: { passwordHash } });
      return caller.account.changePassword({ currentPassword: PASSWORD, newPassword: `${PASSWORD}-new-${++counter}` });
    },
  },
};

// At run time `_def.procedures` is the flat map "router.procedure" → procedure (its static type is nested).
const flatProcedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
const procedures = Object.entries(flatProcedures).map(([path, procedure]) => ({
  path,
  type: procedure._def.type,
}));

async function newEntries(orgId: string, afterSeq: number) {
  return testDb().auditEntry.findMany({ where: { orgId, seq: { gt: afterSeq } }, orderBy: { seq: "asc" } });
}

async function headSeq(orgId: string): Promise<number> {
  const head = await testDb().auditEntry.findFirst({ where: { orgId }, orderBy: { seq: "desc" }, select: { seq: true } });
  return head?.seq ?? 0;
}

test("every procedure of the API has a fixture here, and every fixture a procedure", () => {
  const missing = procedures
    .filter(({ path }) => !(path in FIXTURES))
    .map(({ path, type }) => `${type} "${path}" has no fixture in test/integration/role-matrix.int.test.ts: add one with the roles DESIGN.md allows`);
  expect(missing).toEqual([]);
  const known = new Set(procedures.map(({ path }) => path));
  expect(Object.keys(FIXTURES).filter((path) => !known.has(path))).toEqual([]);
  for (const { path, type } of procedures) {
    expect(FIXTURES[path]?.kind, `fixture kind of ${path}`).toBe(type);
    if (type === "mutation") expect(FIXTURES[path]?.audit, `${path} must name the audit action it writes`).toBeTruthy();
  }
});

describe("the role matrix", () => {
  // One org per role: each role's calls run in sequence in its own org, so audit counts are exact.
  const orgs = new Map<Role, TestOrg>();
  beforeAll(async () => {
    passwordHash = await hashPassword(PASSWORD);
    for (const role of ALL) orgs.set(role, await createTestOrg());
  });

  const envFor = (role: Role): Env => {
    const org = orgs.get(role);
    if (!org) throw new Error(`no org for ${role}`);
    return { org, actor: org.users[role] };
  };

  for (const [path, fixture] of Object.entries(FIXTURES)) {
    for (const role of ALL) {
      const allowed = fixture.allowed.includes(role);
      test(`${path} as ${role}: ${allowed ? "allowed" : "FORBIDDEN"}`, async () => {
        const env = envFor(role);
        const before = await headSeq(env.org.id);
        const code = await errorCode(fixture.run(callerFor(env.actor.userId), env));
        expect(code).toBe(allowed ? null : "FORBIDDEN");

        const written = await newEntries(env.org.id, before);
        if (allowed && fixture.kind === "mutation") {
          expect(written.map((entry) => ({ action: entry.action, actorId: entry.actorId, actorType: entry.actorType }))).toEqual([
            { action: fixture.audit, actorId: env.actor.userId, actorType: "user" },
          ]);
        } else {
          expect(written).toEqual([]);
        }
      });
    }
  }

  test("every role's chain still verifies after all of the above", async () => {
    for (const role of ALL) {
      const { org } = envFor(role);
      const result = await callerFor(org.users.owner.userId).audit.verify({ orgId: org.id });
      expect(result.ok).toBe(true);
    }
  });
});

describe("outsiders and strangers", () => {
  let org: TestOrg;
  let outsider: TestOrg;
  beforeAll(async () => {
    passwordHash ||= await hashPassword(PASSWORD);
    [org, outsider] = await Promise.all([createTestOrg(), createTestOrg()]);
  });

  const orgProcedures = Object.entries(FIXTURES).filter(([, fixture]) => fixture.scope === "org");

  test.each(orgProcedures)("%s: the owner of another org is FORBIDDEN", async (_path, fixture) => {
    const before = await headSeq(org.id);
    const code = await errorCode(fixture.run(callerFor(outsider.users.owner.userId), { org, actor: outsider.users.owner }));
    expect(code).toBe("FORBIDDEN");
    expect(await newEntries(org.id, before)).toEqual([]);
  });

  test.each(Object.entries(FIXTURES))("%s: without a session, UNAUTHORIZED", async (_path, fixture) => {
    const code = await errorCode(fixture.run(callerFor(null), { org, actor: org.users.owner }));
    expect(code).toBe("UNAUTHORIZED");
  });
});

describe("team leads see only their own teams", () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await createTestOrg();
    // Trail entries in two teams: the lead's and another.
    const owner = callerFor(org.users.owner.userId);
    await owner.teams.rename({ orgId: org.id, teamId: org.leadTeamId, name: "Marketing EMEA" });
    await owner.teams.rename({ orgId: org.id, teamId: org.otherTeamId, name: "Finance EMEA" });
    await owner.org.update({ orgId: org.id, name: "Org-wide change" });
  });

  test("teams.list returns only the lead's team", async () => {
    const teams = await callerFor(org.users.team_lead.userId).teams.list({ orgId: org.id });
    expect(teams.map((team) => team.id)).toEqual([org.leadTeamId]);
    const all = await callerFor(org.users.viewer.userId).teams.list({ orgId: org.id });
    expect(all).toHaveLength(4);
  });

  test("audit.list with another team's teamId is FORBIDDEN", async () => {
    const lead = callerFor(org.users.team_lead.userId);
    expect(await errorCode(lead.audit.list({ orgId: org.id, teamId: org.otherTeamId }))).toBe("FORBIDDEN");
  });

  test("audit.list shows the lead only their team's entries", async () => {
    const lead = callerFor(org.users.team_lead.userId);
    const own = await lead.audit.list({ orgId: org.id, teamId: org.leadTeamId });
    expect(own.entries.map((entry) => entry.after)).toEqual([{ name: "Marketing EMEA" }]);
    const unfiltered = await lead.audit.list({ orgId: org.id });
    expect(unfiltered.entries.map((entry) => entry.teamId)).toEqual([org.leadTeamId]);
    const compliance = await callerFor(org.users.compliance.userId).audit.list({ orgId: org.id });
    expect(compliance.entries).toHaveLength(3);
  });

  test("viewers cannot read members or the audit log", async () => {
    const viewer = callerFor(org.users.viewer.userId);
    expect(await errorCode(viewer.members.list({ orgId: org.id }))).toBe("FORBIDDEN");
    expect(await errorCode(viewer.audit.list({ orgId: org.id }))).toBe("FORBIDDEN");
  });
});
