// The agent registry's storage. Every query is scoped to one org, and to the caller's teams
// where their reach is team-scoped.
import type { DbOrTx } from "../db";
import type { Prisma } from "../generated/prisma/client";
import type { Reach } from "../domain/access/permissions";
import { agentHealth, type AgentHealth } from "../domain/telemetry/health";

export interface AgentFilter {
  search?: string;
  teamId?: string;
  status?: "active" | "discovered" | "archived";
  framework?: string;
  includeArchived?: boolean;
}

export function agentScope(orgId: string, reach: Reach): Prisma.AgentWhereInput {
  return reach.kind === "teams" ? { orgId, teamId: { in: [...reach.teamIds] } } : { orgId };
}

const SUMMARY_WINDOW_MS = 24 * 60 * 60 * 1000;

export async function listAgents(db: DbOrTx, orgId: string, reach: Reach, filter: AgentFilter, now = new Date()) {
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
      name: agent.name,
      description: agent.description,
      owner: agent.owner,
      team: agent.team,
      framework: agent.framework,
      models: agent.models,
      tools: agent.tools,
      dataCategories: agent.dataCategories,
      tags: agent.tags,
      status: agent.status,
      version: agent.version,
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

export async function findAgent(db: DbOrTx, orgId: string, agentId: string) {
  return db.agent.findFirst({ where: { orgId, id: agentId } });
}

export async function agentDetail(db: DbOrTx, orgId: string, agentId: string, now = new Date()) {
  const agent = await db.agent.findFirst({
    where: { orgId, id: agentId },
    include: {
      team: { select: { id: true, name: true } },
      instances: { orderBy: { lastHeartbeatAt: "desc" }, take: 50 },
    },
  });
  if (!agent) return null;
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

/** What the audit entry records of an agent: its registry fields, not its telemetry. */
export function agentSnapshot(agent: {
  name: string;
  description: string;
  owner: string | null;
  teamId: string | null;
  framework: string | null;
  models: string[];
  tools: string[];
  dataCategories: string[];
  tags: string[];
  status: string;
  version: string | null;
  heartbeatIntervalSec: number;
}) {
  return {
    name: agent.name,
    description: agent.description,
    owner: agent.owner,
    teamId: agent.teamId,
    framework: agent.framework,
    models: agent.models,
    tools: agent.tools,
    dataCategories: agent.dataCategories,
    tags: agent.tags,
    status: agent.status,
    version: agent.version,
    heartbeatIntervalSec: agent.heartbeatIntervalSec,
  };
}

export async function listKeys(db: DbOrTx, orgId: string, where: { agentId?: string; kind?: "agent" | "ingest" }) {
  return db.apiKey.findMany({
    where: { orgId, ...where },
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: { id: true, kind: true, agentId: true, name: true, prefix: true, createdBy: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}
