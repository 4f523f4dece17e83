// Shared fixtures for integration tests: one Prisma client on the run's database, a fresh org
// per test (files run in parallel, so nothing is shared between tests), and tRPC callers.
import { randomBytes, randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, inject } from "vitest";
import { createCaller } from "../../server/api/root";
import { orgIdForSystemWork, type AuthorizedOrgId } from "../../server/auth/org-id";
import { createDb, type Db } from "../../server/db";
import { closeSharedConnections } from "../../server/db/pool";
import type { Role } from "../../server/domain/access/permissions";

const databaseUrl = inject("databaseUrl");
// Server modules read their configuration lazily through server/env.ts.
process.env.DATABASE_URL = databaseUrl;
process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");

export { databaseUrl };

let shared: Db | null = null;
/** One client per test file (each file loads this module afresh), closed after the file's tests. */
export function testDb(): Db {
  shared ??= createDb(databaseUrl, 5);
  return shared;
}
afterAll(async () => {
  await shared?.$disconnect();
  shared = null;
  // The file's share of the app's process state: its pool, LISTEN connection and job queue.
  await closeSharedConnections();
});

export const TEAM_NAMES = ["Marketing", "Finance", "IT", "Customer Service"] as const;

export interface TestUser {
  userId: string;
  membershipId: string;
  email: string;
  role: Role;
}

export interface TestOrg {
  /** Tests act as the system does: the org they made is theirs to read and change. */
  id: AuthorizedOrgId;
  slug: string;
  teams: { id: string; name: string }[];
  /** The team the team lead leads (the first team). */
  leadTeamId: string;
  /** A team the team lead does not lead. */
  otherTeamId: string;
  users: Record<Role, TestUser>;
}

function uniqueSuffix(): string {
  return randomUUID().slice(0, 8);
}

/** A fresh org with four teams and one member per role; the team lead leads the first team. */
export async function createTestOrg(db: Db = testDb()): Promise<TestOrg> {
  const suffix = uniqueSuffix();
  const org = await db.org.create({ data: { slug: `test-${suffix}`, name: `Test Org ${suffix}` } });
  const teams: { id: string; name: string }[] = [];
  for (const name of TEAM_NAMES) {
    const team = await db.team.create({ data: { orgId: org.id, name }, select: { id: true, name: true } });
    teams.push(team);
  }
  const [lead, other] = teams;
  if (!lead || !other) throw new Error("teams were not created");

  const roles: Role[] = ["owner", "admin", "compliance", "team_lead", "viewer"];
  const users = {} as Record<Role, TestUser>;
  for (const role of roles) {
    const user = await createTestUser(db, `${role}-${suffix}`);
    const membership = await db.membership.create({
      data: {
        orgId: org.id,
        userId: user.userId,
        role,
        ...(role === "team_lead" ? { teams: { create: [{ orgId: org.id, teamId: lead.id }] } } : {}),
      },
    });
    users[role] = { ...user, membershipId: membership.id, role };
  }
  return { id: orgIdForSystemWork(org.id), slug: org.slug, teams, leadTeamId: lead.id, otherTeamId: other.id, users };
}

/** A user with no membership anywhere (no password: they sign in only in tests, through callers). */
export async function createTestUser(db: Db, label: string = uniqueSuffix()): Promise<{ userId: string; email: string }> {
  const email = `${label}-${uniqueSuffix()}@test.invalid`.toLowerCase();
  const user = await db.user.create({ data: { email, name: label } });
  return { userId: user.id, email };
}

/** A tRPC caller acting as `userId`, exactly as a signed-in request would after its session check. */
export function callerFor(userId: string | null, db: Db = testDb()) {
  return createCaller({ db, userId });
}

export function auditCount(orgId: string, db: Db = testDb()): Promise<number> {
  return db.auditEntry.count({ where: { orgId } });
}

/** The tRPC error code a call fails with, or null when it succeeds. Other errors are rethrown. */
export async function errorCode(call: Promise<unknown>): Promise<string | null> {
  try {
    await call;
    return null;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}
