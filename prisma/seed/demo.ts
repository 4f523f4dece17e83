// The demo org (DESIGN.md, "The demo org"): seeded once, on an empty database, in demo mode.
// Later features add their part of Acme here (agents, models, budgets, policies, history).
import { randomBytes } from "node:crypto";
import type { Db } from "../../server/db";
import { hashPassword } from "../../server/auth/password";
import { appendAudit, type AuditActor } from "../../server/data/audit";
import { createMembership } from "../../server/data/members";
import type { Role } from "../../server/domain/access/permissions";

export interface DemoUser {
  email: string;
  password: string;
  role: Role;
  teams: string[];
}

export const DEMO_ORG = { slug: "acme", name: "Acme Corp" } as const;
export const DEMO_TEAMS = ["Marketing", "Finance", "IT", "Customer Service"] as const;

const DEMO_PEOPLE: { email: string; name: string; role: Role; teams: string[] }[] = [
  { email: "owner@acme.test", name: "Olivia Owner", role: "owner", teams: [] },
  { email: "cio@acme.test", name: "Chris Chief", role: "viewer", teams: [] },
  { email: "compliance@acme.test", name: "Casey Compliance", role: "compliance", teams: [] },
  { email: "lead.finance@acme.test", name: "Fatima Finance", role: "team_lead", teams: ["Finance"] },
  { email: "lead.marketing@acme.test", name: "Marco Marketing", role: "team_lead", teams: ["Marketing"] },
];

const SYSTEM: AuditActor = { type: "system", id: null, label: "system (demo seed)" };

function demoPassword(): string {
  return `demo-${randomBytes(9).toString("base64url")}`;
}

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  return (await db.org.count()) === 0;
}

/** Seeds Acme Corp; returns the demo logins (passwords exist only here and in demo.json). */
export async function seedDemoOrg(db: Db): Promise<DemoUser[]> {
  const people = await Promise.all(DEMO_PEOPLE.map(async (person) => ({ ...person, password: demoPassword() })));
  const hashes = await Promise.all(people.map((person) => hashPassword(person.password)));

  await db.$transaction(
    async (tx) => {
      const org = await tx.org.create({ data: { slug: DEMO_ORG.slug, name: DEMO_ORG.name } });
      await appendAudit(tx, org.id, SYSTEM, { action: "org.created", targetType: "org", targetId: org.id, after: { name: org.name, slug: org.slug } });

      const teamIds = new Map<string, string>();
      for (const name of DEMO_TEAMS) {
        const team = await tx.team.create({ data: { orgId: org.id, name } });
        teamIds.set(name, team.id);
        await appendAudit(tx, org.id, SYSTEM, { action: "team.created", targetType: "team", targetId: team.id, teamId: team.id, after: { name } });
      }

      for (const [index, person] of people.entries()) {
        const user = await tx.user.create({ data: { email: person.email, name: person.name, passwordHash: hashes[index] ?? null } });
        const ids = person.teams.map((name) => teamIds.get(name)).filter((id): id is string => id !== undefined);
        const membership = await createMembership(tx, org.id, user.id, person.role, ids);
        await appendAudit(tx, org.id, SYSTEM, {
          action: "member.invited",
          targetType: "membership",
          targetId: membership.id,
          after: { email: person.email, role: person.role, teamIds: [...ids].sort() },
        });
      }
    },
    { timeout: 60_000 },
  );

  return people.map(({ email, password, role, teams }) => ({ email, password, role, teams }));
}
