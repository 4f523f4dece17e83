// Approval requests: opened by a require_approval decision, decided by a person in the console,
// read (and waited on) by the agent that asked, swept to `expired` when nobody decides in time.
// An approved request authorises exactly one matching action: the agent names it in its next
// decide (`approvalId`), and `consumeApproval` marks it used in that decision's transaction.
import type pg from "pg";
import { assertTeamInReach, type AuthorizedOrg, type AuthorizedOrgId } from "../auth/access";
import type { DbOrTx, Tx } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { getPool, inTransaction } from "../db/pool";
import { notifyChange } from "../db/notify";
import { reachIncludesTeam, type Reach } from "../domain/access/permissions";
import { approvalTtlMs, decisionRefusal, effectiveStatus, type ApprovalStatus } from "../domain/approvals/rules";
import { refuse } from "../domain/refusal";
import { appendAuditRaw, type AuditWriter } from "./audit";
import { raiseAlert } from "./alerts";
import { isUuid } from "../domain/text/uuid";

/** The change kind on `agentry_changes` when an approval is decided or expires (long-polls wake on it). */
export const APPROVAL_CHANGE_KIND = "approval";

export interface OpenApprovalInput {
  orgId: string;
  agentId: string;
  teamId: string | null;
  decisionId: string;
  actionType: string;
  actionName: string;
  /** Already redacted: this is what the approver sees and what is stored. */
  arguments: unknown;
  policyIds: string[];
  reason: string;
  ttlMs?: number;
}

/**
 * Opens a request inside the decision's transaction (client is in BEGIN) and raises an
 * `approval_requested` alert, so webhooks reach the people who decide.
 */
export async function openApproval(client: pg.PoolClient, input: OpenApprovalInput): Promise<{ id: string; expiresAt: Date }> {
  const ttl = approvalTtlMs(input.ttlMs);
  const { rows } = await client.query<{ id: string; expires_at: Date; agent_name: string | null }>(
    `INSERT INTO approvals (org_id, agent_id, team_id, decision_id, action_type, action_name, arguments, policy_ids, reason, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() + make_interval(secs => $10::double precision / 1000))
     RETURNING id, expires_at, (SELECT name FROM agents WHERE id = $2) AS agent_name`,
    [
      input.orgId,
      input.agentId,
      input.teamId,
      input.decisionId,
      input.actionType,
      input.actionName,
      input.arguments === null || input.arguments === undefined ? null : JSON.stringify(input.arguments),
      input.policyIds,
      input.reason,
      ttl,
    ],
  );
  const row = rows[0];
  if (!row) throw new Error("the approval was not stored");
  await raiseAlert(client, {
    orgId: input.orgId,
    kind: "approval_requested",
    severity: "warning",
    title: `${row.agent_name ?? "An agent"} asks for approval: ${input.actionType} ${input.actionName}`,
    details: {
      approvalId: row.id,
      decisionId: input.decisionId,
      actionType: input.actionType,
      actionName: input.actionName,
      arguments: input.arguments ?? null,
      policyIds: input.policyIds,
      reason: input.reason,
      expiresAt: row.expires_at.toISOString(),
    },
    agentId: input.agentId,
    teamId: input.teamId,
  });
  return { id: row.id, expiresAt: row.expires_at };
}

export interface ApprovalStatusAnswer {
  status: ApprovalStatus;
  decidedBy?: string;
  decidedAt?: string;
  /** Not part of the answer: when a pending request will expire (the long-poll wakes then). */
  expiresAt: Date;
}

/** The request as the agent that asked sees it; null for an unknown id or another agent's request. */
export async function approvalStatus(orgId: string, agentId: string, id: string, now = new Date()): Promise<ApprovalStatusAnswer | null> {
  if (!isUuid(id)) return null;
  const { rows } = await getPool().query<{ status: ApprovalStatus; expires_at: Date; decided_by: string | null; decided_at: Date | null }>(
    "SELECT status, expires_at, decided_by, decided_at FROM approvals WHERE id = $1 AND org_id = $2 AND agent_id = $3",
    [id, orgId, agentId],
  );
  const row = rows[0];
  if (!row) return null;
  const status = effectiveStatus({ status: row.status, expiresAt: row.expires_at }, now);
  return {
    status,
    ...(row.decided_by && (status === "approved" || status === "denied") ? { decidedBy: row.decided_by } : {}),
    ...(row.decided_at && (status === "approved" || status === "denied") ? { decidedAt: row.decided_at.toISOString() } : {}),
    expiresAt: row.expires_at,
  };
}

/**
 * A person approves or denies a pending request, in the caller's audited transaction: the row is
 * locked, the caller's reach is checked against the request's team, an expired (even if not yet
 * swept) or already-decided request is refused (and nothing is written), and the agent's
 * long-poll is woken on commit.
 */
export async function decideApproval(
  tx: Tx,
  audit: AuditWriter,
  access: Pick<AuthorizedOrg, "orgId" | "reach" | "membership">,
  input: { approvalId: string; decision: "approved" | "denied"; note: string | null; now?: Date },
): Promise<{ id: string; status: "approved" | "denied"; decidedAt: Date }> {
  const now = input.now ?? new Date();
  const decider = access.membership.userEmail;
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM approvals WHERE id = ${input.approvalId}::uuid AND org_id = ${access.orgId}::uuid FOR UPDATE`;
  if (locked.length === 0) refuse("NOT_FOUND", "No such approval request.");
  const approval = await tx.approval.findUniqueOrThrow({ where: { id: input.approvalId }, select: approvalSelect });
  if (!reachIncludesTeam(access.reach, approval.teamId)) refuse("FORBIDDEN", "That request belongs to an agent of a team outside your scope.");
  const refusal = decisionRefusal(approval, now);
  if (refusal) refuse("CONFLICT", refusal);

  await tx.approval.update({
    where: { id: approval.id },
    data: { status: input.decision, decidedBy: decider, decidedAt: now, note: input.note },
  });
  await audit({
    action: input.decision === "approved" ? "approval.approved" : "approval.denied",
    targetType: "approval",
    targetId: approval.id,
    teamId: approval.teamId,
    before: { status: "pending" },
    after: {
      status: input.decision,
      agentId: approval.agentId,
      decisionId: approval.decisionId,
      action: { type: approval.actionType, name: approval.actionName, arguments: approval.arguments },
      policyIds: approval.policyIds,
      note: input.note,
    },
    reason: input.note,
  });
  await notifyChange(tx, { orgId: access.orgId, kind: APPROVAL_CHANGE_KIND });
  return { id: approval.id, status: input.decision, decidedAt: now };
}

/**
 * Marks pending requests past their expiry as expired, each audited (actor: system) and each org's
 * waiting agents woken (the approvals.expire job, queued when a request is opened). Safe to run in
 * several processes at once: rows are claimed with SKIP LOCKED. Expiry is also computed on every
 * read, so this only makes it permanent and audited.
 */
export async function sweepExpiredApprovals(pool: pg.Pool = getPool(), now = new Date(), batch = 500): Promise<number> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{
      id: string;
      org_id: string;
      team_id: string | null;
      agent_id: string;
      decision_id: string;
      action_type: string;
      action_name: string;
      expires_at: Date;
    }>(
      `UPDATE approvals SET status = 'expired'
        WHERE id IN (SELECT id FROM approvals WHERE status = 'pending' AND expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING id, org_id, team_id, agent_id, decision_id, action_type, action_name, expires_at`,
      [now, batch],
    );
    // Audit appends lock per org; taking orgs in a fixed order keeps concurrent sweeps from deadlocking.
    rows.sort((a, b) => (a.org_id === b.org_id ? a.expires_at.getTime() - b.expires_at.getTime() : a.org_id < b.org_id ? -1 : 1));
    for (const row of rows) {
      await appendAuditRaw(
        client,
        row.org_id,
        { type: "system", id: null, label: "system (approval expiry)" },
        {
          action: "approval.expired",
          targetType: "approval",
          targetId: row.id,
          teamId: row.team_id,
          before: { status: "pending" },
          after: { status: "expired", agentId: row.agent_id, decisionId: row.decision_id, action: { type: row.action_type, name: row.action_name } },
          reason: `Nobody decided before ${row.expires_at.toISOString()}`,
        },
      );
    }
    for (const orgId of new Set(rows.map((row) => row.org_id))) await notifyChange(client, { orgId, kind: APPROVAL_CHANGE_KIND });
    return rows.length;
  });
}

// ---------------------------------------------------------------------------------------------
// The console's queue and history.

const approvalSelect = {
  id: true,
  agentId: true,
  teamId: true,
  decisionId: true,
  actionType: true,
  actionName: true,
  arguments: true,
  policyIds: true,
  reason: true,
  status: true,
  requestedAt: true,
  expiresAt: true,
  decidedBy: true,
  decidedAt: true,
  note: true,
  usedAt: true,
} satisfies Prisma.ApprovalSelect;

export interface ApprovalFilter {
  view: "pending" | "history";
  status?: "approved" | "denied" | "expired";
  agentId?: string;
  teamId?: string;
  limit: number;
  /** The id of the last row of the previous page. */
  cursor?: string;
}

function scopeWhere(orgId: AuthorizedOrgId, reach: Reach): Prisma.ApprovalWhereInput {
  return reach.kind === "teams" ? { orgId, teamId: { in: [...reach.teamIds] } } : { orgId };
}

function viewWhere(filter: Pick<ApprovalFilter, "view" | "status">, now: Date): Prisma.ApprovalWhereInput {
  if (filter.view === "pending") return { status: "pending", expiresAt: { gt: now } };
  // History: decided, swept, and pending-but-past-expiry (shown as expired before the sweep gets there).
  if (filter.status === "expired") return { OR: [{ status: "expired" }, { status: "pending", expiresAt: { lte: now } }] };
  if (filter.status) return { status: filter.status };
  return { OR: [{ status: { in: ["approved", "denied", "expired"] } }, { status: "pending", expiresAt: { lte: now } }] };
}

/** The queue (pending, most urgent first) or the history (newest first), within the caller's reach; naming a team outside it is refused. */
export async function listApprovals(db: DbOrTx, access: Pick<AuthorizedOrg, "orgId" | "reach">, filter: ApprovalFilter, now = new Date()) {
  const { orgId, reach } = access;
  if (filter.teamId) assertTeamInReach(access, filter.teamId);
  const where: Prisma.ApprovalWhereInput = {
    AND: [scopeWhere(orgId, reach), viewWhere(filter, now), filter.agentId ? { agentId: filter.agentId } : {}, filter.teamId ? { teamId: filter.teamId } : {}],
  };
  const rows = await db.approval.findMany({
    where,
    select: approvalSelect,
    // The queue: most urgent first. History: newest first.
    orderBy: filter.view === "pending" ? [{ expiresAt: "asc" }, { id: "asc" }] : [{ requestedAt: "desc" }, { id: "desc" }],
    take: filter.limit + 1,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, filter.limit);
  const agentIds = [...new Set(page.map((row) => row.agentId))];
  const teamIds = [...new Set(page.flatMap((row) => (row.teamId ? [row.teamId] : [])))];
  const policyIds = [...new Set(page.flatMap((row) => row.policyIds))];
  const [agents, teams, policies] = await Promise.all([
    db.agent.findMany({ where: { orgId, id: { in: agentIds } }, select: { id: true, name: true } }),
    db.team.findMany({ where: { orgId, id: { in: teamIds } }, select: { id: true, name: true } }),
    db.policy.findMany({ where: { orgId, id: { in: policyIds } }, select: { id: true, name: true } }),
  ]);
  const agentName = new Map(agents.map((agent) => [agent.id, agent.name]));
  const teamName = new Map(teams.map((team) => [team.id, team.name]));
  const policyName = new Map(policies.map((policy) => [policy.id, policy.name]));
  return {
    items: page.map((row) => ({
      id: row.id,
      agent: { id: row.agentId, name: agentName.get(row.agentId) ?? "(deleted agent)" },
      team: row.teamId ? { id: row.teamId, name: teamName.get(row.teamId) ?? "(deleted team)" } : null,
      decisionId: row.decisionId,
      action: { type: row.actionType, name: row.actionName, arguments: row.arguments },
      policies: row.policyIds.map((id) => ({ id, name: policyName.get(id) ?? null })),
      reason: row.reason,
      status: effectiveStatus(row, now),
      requestedAt: row.requestedAt,
      expiresAt: row.expiresAt,
      decidedBy: row.decidedBy,
      decidedAt: row.decidedAt,
      note: row.note,
      usedAt: row.usedAt,
    })),
    nextCursor: rows.length > filter.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

/** How many requests wait for someone in the caller's reach (the nav badge). */
export function pendingApprovalCount(db: DbOrTx, orgId: AuthorizedOrgId, reach: Reach, now = new Date()): Promise<number> {
  return db.approval.count({ where: { AND: [scopeWhere(orgId, reach), viewWhere({ view: "pending" }, now)] } });
}
