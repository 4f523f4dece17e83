// Reading the agent registry for the console. Every query is scoped to one org, and to the
// caller's teams where their reach is team-scoped. Changes: server/data/agent-registration.ts.
import { assertTeamInReach, type AuthorizedOrg, type AuthorizedOrgId } from "../auth/access";
import type { DbOrTx } from "../db";
import type { Prisma } from "../generated/prisma/client";
import type { Reach } from "../domain/access/permissions";
import { found } from "../domain/refusal";
import { agentHealth, type AgentHealth } from "../domain/telemetry/health";

export interface AgentFilter {
  search?: string;
  teamId?: string;
  status?: "active" | "discovered" | "archived";
  framework?: string;
  includeArchived?: boolean;
}

export function agentScope(orgId: AuthorizedOrgId, reach: Reach): Prisma.AgentWhereInput {
  return reach.kind === "teams" ? { orgId, teamId: { in: [...reach.teamIds] } } : { orgId };
}

const SUMMARY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The agents in reach matching `filter`, with their health and last day's figures. Naming a team outside reach is refused. */
export async function listAgents(db: DbOrTx, access: AuthorizedOrg, filter: AgentFilter, now = new Date()) {
  const { orgId, reach } = access;
  if (filter.teamId) assertTeamInReach(access, filter.teamId);
  const where: Prisma.AgentWhereInput = {
    AND: [
      agentScope(orgId, reach),
      filter.search
        ? {
            OR: [
              { name: { contains: filter.search, mode: "insensitive" } },
              { description: { contains: filter.search, mode: "insensitive" } },
              { owner: { contains: filter.search, mode: "insensitive" } },
              { tags: { has: filter.search } },
            ],
          }
        : {},
      filter.teamId ? { teamId: filter.teamId } : {},
      filter.status ? { status: filter.status } : filter.includeArchived ? {} : { status: { not: "archived" } },
      filter.framework ? { framework: filter.framework } : {},
    ],
  };
  const agents = await db.agent.findMany({
    where,
    orderBy: { name: "asc" },
    include: {
      team: { select: { id: true, name: true } },
      instances: { select: { lastHeartbeatAt: true } },
      _count: { select: { keys: { where: { revokedAt: null } } } },
    },
  });
  const since = new Date(now.getTime() - SUMMARY_WINDOW_MS);
  const totals = await db.eventRollupHourly.groupBy({
    by: ["agentId"],
    where: { orgId, agentId: { in: agents.map((agent) => agent.id) }, hour: { gte: since } },
    _sum: { events: true, costMicros: true, errors: true, llmCalls: true },
  });
  const byAgent = new Map(totals.map((row) => [row.agentId, row._sum]));
  return agents.map((agent) => {
    const sums = byAgent.get(agent.id);
    return {
      id: agent.id,
      ...agentSnapshot(agent),
      team: agent.team,
      lastSeenAt: agent.lastSeenAt,
      createdAt: agent.createdAt,
      activeKeys: agent._count.keys,
      health: healthOf(agent, now),
      last24h: {
        events: sums?.events ?? 0,
        llmCalls: sums?.llmCalls ?? 0,
        errors: sums?.errors ?? 0,
        costMicros: (sums?.costMicros ?? 0n).toString(),
      },
    };
  });
}

function healthOf(agent: { instances: { lastHeartbeatAt: Date }[]; heartbeatIntervalSec: number; status: string }, now: Date): AgentHealth {
  return agentHealth({
    lastHeartbeats: agent.instances.map((instance) => instance.lastHeartbeatAt),
    heartbeatIntervalSec: agent.heartbeatIntervalSec,
    halted: agent.status === "archived",
    now,
  });
}

export async function findAgent(db: DbOrTx, orgId: AuthorizedOrgId, agentId: string) {
  return db.agent.findFirst({ where: { orgId, id: agentId } });
}

/** The agent, if it is in the org (else NOT_FOUND) and the caller's reach covers its team (else FORBIDDEN). */
export async function findAgentInReach(db: DbOrTx, access: Pick<AuthorizedOrg, "orgId" | "reach">, agentId: string) {
  const agent = found(await findAgent(db, access.orgId, agentId), "agent");
  assertTeamInReach(access, agent.teamId);
  return agent;
}

/** One agent in reach with its team, health and recent instances. */
export async function agentDetail(db: DbOrTx, access: AuthorizedOrg, agentId: string, now = new Date()) {
  const agent = found(
    await db.agent.findFirst({
      where: { orgId: access.orgId, id: agentId },
      include: {
        team: { select: { id: true, name: true } },
        instances: { orderBy: { lastHeartbeatAt: "desc" }, take: 50 },
      },
    }),
    "agent",
  );
  assertTeamInReach(access, agent.teamId);
  return {
    ...agent,
    health: healthOf(agent, now),
    instances: agent.instances.map((instance) => ({
      instanceId: instance.instanceId,
      version: instance.version,
      status: instance.status,
      lastHeartbeatAt: instance.lastHeartbeatAt,
      firstSeenAt: instance.firstSeenAt,
      stale: now.getTime() - instance.lastHeartbeatAt.getTime() > 3 * agent.heartbeatIntervalSec * 1000,
    })),
  };
}

const REGISTRY_FIELDS = ["name", "description", "owner", "teamId", "framework", "models", "tools", "dataCategories", "tags", "status", "version", "heartbeatIntervalSec"] as const;
type RegistryField = (typeof REGISTRY_FIELDS)[number];

/** What the audit entry records of an agent: its registry fields, not its telemetry. */
export function agentSnapshot<A extends Record<RegistryField, unknown>>(agent: A): Pick<A, RegistryField> {
  return Object.fromEntries(REGISTRY_FIELDS.map((field) => [field, agent[field]])) as Pick<A, RegistryField>;
}
