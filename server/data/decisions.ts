// The decision commit: everything a decision changes, written in one transaction, and decisions
// that arrive together committed together (group commit). Nothing is answered before it commits.
//
// Per org, one batch is in flight at a time in this process; decisions arriving meanwhile wait
// for the next one (a lone decision is never held up: the next batch starts as soon as the last
// one committed). A batch is two round trips to PostgreSQL, each one call of a function that
// takes the whole batch as JSON (prisma/migrations/*_decide_batch):
//   1. BEGIN and agentry_decide_prepare: lock the budget usage rows the batch touches (in key
//      order) and, per agent asking about a tool, an advisory lock that serialises loop counting
//      across processes; then read the live counters after those locks: spent and reserved per
//      usage row, earlier calls in each loop window, loop switches already engaged, the approvals
//      named (locked);
//   2. decide each decision in arrival order with the pure verdict (server/domain/decide),
//      advancing the counters as it goes, so the hard cap holds within the batch, across batches
//      and across processes (every holder of those rows is serialised by their locks);
//   3. agentry_decide_write and COMMIT: holds, reservations, decision rows, tool-call records,
//      approvals used, audit entries (chained in order) and the jobs that expire the reservations.
//      The rare paths (a loop switch to engage, an approval request to open, the audit chain's
//      head to lock) take statements of their own in between.
// A batch that fails for a reason of its own data is retried one decision at a time, so one bad
// decision cannot sink the others; deadlocks and serialisation failures are retried whole.
import "server-only";
import type pg from "pg";
import { announceCommitted } from "../db/notify";
import { getPool, isRetryableConflict } from "../db/pool";
import type { BudgetState } from "../domain/budget/arithmetic";
import type { ActiveSwitch } from "../domain/killswitch/match";
import { decideVerdict, advance } from "../domain/decide/verdict";
import { budgetKey, callKey, type AgentProfile, type Counters, type DecisionRequest, type Judgement, type Outcome } from "../domain/decide/types";
import { job, type JobSpec } from "../jobs/queue";
import { openApproval } from "./approvals";
import { chainAuditEntries, lockAuditHead, type AuditActor, type NewAuditEntry } from "./audit";
import { budgetStates, type UsageRow } from "./budget-counters";
import { periodBounds, periodDays } from "../domain/budget/period";
import { engageSystemSwitch } from "./killswitches";

/** Reservations not settled by an event within this long are released (budgets:expire-reservations). */
export const RESERVATION_TTL_MS = 10 * 60 * 1000;
/** The most decisions one transaction carries. */
const MAX_BATCH = 128;
/** Tool calls are logged under this source (events log theirs apart: asking, then reporting, is one call). */
const DECIDE_SOURCE = "decide";

export interface DecisionToCommit {
  decisionId: string;
  orgId: string;
  agent: AgentProfile;
  request: DecisionRequest;
  judgement: Judgement;
  redactedArguments: Record<string, unknown> | null;
  /** The decision's time: its budget periods, loop window and approval checks are taken at it. */
  at: Date;
  /** performance.now() when the request arrived, for the recorded duration. */
  startedAt: number;
  /** The agent version the instance runs, when the agent has versions. */
  versionId?: string | null;
}

export interface CommittedDecision {
  outcome: Outcome;
  /** The approval request opened (require_approval). */
  approvalId: string | null;
  /** The agent's budgets after the batch, for its directives. */
  budgets: BudgetState[];
  /** The loop switch that halts the agent, when this decision found it looping (engaged now or before). */
  loopSwitch: ActiveSwitch | null;
}

interface Pending {
  decision: DecisionToCommit;
  resolve: (committed: CommittedDecision) => void;
  reject: (error: unknown) => void;
}

interface OrgQueue {
  waiting: Pending[];
  flushing: boolean;
}

const globalForCommit = globalThis as unknown as { agentryDecisionQueues?: Map<string, OrgQueue>; agentryKnownUsageRows?: Set<string> };

function queues(): Map<string, OrgQueue> {
  return (globalForCommit.agentryDecisionQueues ??= new Map());
}

/** Commits one decision with whatever else of its org arrives meanwhile; resolves once durable. */
export function commitDecision(decision: DecisionToCommit): Promise<CommittedDecision> {
  return new Promise((resolve, reject) => {
    const all = queues();
    let queue = all.get(decision.orgId);
    if (!queue) all.set(decision.orgId, (queue = { waiting: [], flushing: false }));
    queue.waiting.push({ decision, resolve, reject });
    // Collect what arrives in this turn of the event loop, then go.
    if (!queue.flushing && queue.waiting.length === 1) setImmediate(() => void flush(decision.orgId));
  });
}

async function flush(orgId: string): Promise<void> {
  const queue = queues().get(orgId);
  if (!queue || queue.flushing || queue.waiting.length === 0) return;
  queue.flushing = true;
  const batch = queue.waiting.splice(0, MAX_BATCH);
  try {
    await commitSettling(batch);
  } finally {
    queue.flushing = false;
    if (queue.waiting.length > 0) setImmediate(() => void flush(orgId));
    else queues().delete(orgId);
  }
}

/** Commits the batch; when it fails on its own data, each decision alone, so only the bad one fails. */
async function commitSettling(batch: Pending[]): Promise<void> {
  try {
    const committed = await commitBatch(batch.map((pending) => pending.decision));
    batch.forEach((pending, index) => pending.resolve(committed[index] as CommittedDecision));
  } catch (error) {
    if (batch.length === 1) {
      batch[0]?.reject(error);
      return;
    }
    for (const pending of batch) {
      try {
        const [committed] = await commitBatch([pending.decision]);
        pending.resolve(committed as CommittedDecision);
      } catch (single) {
        pending.reject(single);
      }
    }
  }
}

/** Commits `decisions` in one transaction (retried whole on a deadlock or serialisation failure). */
export async function commitBatch(decisions: readonly DecisionToCommit[]): Promise<CommittedDecision[]> {
  const orgId = decisions[0]?.orgId;
  if (!orgId || decisions.some((decision) => decision.orgId !== orgId)) throw new Error("commitBatch: one org per batch");
  const usage = usageRows(decisions);
  await ensureUsageRows(orgId, usage);
  for (let attempt = 1; ; attempt++) {
    const client = await getPool().connect();
    try {
      // BEGIN and COMMIT travel with the first and last calls (see the top of this file).
      return await write(client, orgId, decisions, usage);
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      if (attempt >= 4 || !isRetryableConflict(error)) throw error;
    } finally {
      client.release();
    }
  }
}

// --- 1. usage rows -----------------------------------------------------------------------------

function usageRows(decisions: readonly DecisionToCommit[]): UsageRow[] {
  const rows = new Map<string, UsageRow>();
  for (const { judgement, agent } of decisions) {
    for (const hold of judgement.budgets) {
      const key = budgetKey(hold);
      if (rows.has(key)) continue;
      rows.set(key, {
        budget: {
          id: hold.budgetId,
          scope: hold.scope,
          period: hold.period,
          mode: hold.mode,
          limitMicros: hold.limitMicros,
          teamId: hold.scope === "team" ? agent.teamId : null,
          agentId: hold.scope === "agent" ? agent.id : null,
          thresholds: [],
        },
        periodStart: hold.periodStart,
      });
    }
  }
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/**
 * A period's usage rows come into being on first use, in a statement of their own (an existing
 * row is left alone without waiting for its lock). Rows known to exist are not asked about again.
 */
async function ensureUsageRows(orgId: string, rows: readonly UsageRow[]): Promise<void> {
  const known = (globalForCommit.agentryKnownUsageRows ??= new Set());
  const missing = rows.filter((row) => !known.has(budgetKey({ budgetId: row.budget.id, periodStart: row.periodStart })));
  if (missing.length === 0) return;
  await getPool().query(
    `INSERT INTO budget_usage (budget_id, period_start, org_id)
     SELECT r.budget_id, r.period_start, $1 FROM unnest($2::uuid[], $3::timestamptz[]) AS r(budget_id, period_start)
     WHERE EXISTS (SELECT 1 FROM budgets b WHERE b.id = r.budget_id)
     ORDER BY 1, 2 ON CONFLICT DO NOTHING`,
    [orgId, missing.map((row) => row.budget.id), missing.map((row) => row.periodStart)],
  );
  if (known.size > 50_000) known.clear();
  for (const row of missing) known.add(budgetKey({ budgetId: row.budget.id, periodStart: row.periodStart }));
}

// --- 2. locks and counters ---------------------------------------------------------------------

interface PreparedRow {
  budgets: { b: string; p: string; reserved: string; spent: string }[];
  calls: { a: string; h: string; prior: number; switch: string | null }[];
  approvals: {
    id: string;
    agent_id: string;
    status: "pending" | "approved" | "denied" | "expired";
    expires_at: string;
    decided_at: string | null;
    decided_by: string | null;
    used_at: string | null;
    action_type: string;
    action_name: string;
    arguments: unknown;
  }[];
}

/** A simple-protocol call of one of the batch functions, its JSON argument escaped as a literal. */
function call(client: pg.PoolClient, fn: "agentry_decide_prepare" | "agentry_decide_write", batch: unknown): string {
  return `SELECT ${fn}(${client.escapeLiteral(JSON.stringify(batch))}::jsonb) AS answer`;
}

/** BEGIN, locks and counters: one round trip. */
async function lockAndRead(client: pg.PoolClient, orgId: string, decisions: readonly DecisionToCommit[], usage: readonly UsageRow[]): Promise<Counters> {
  // Loop windows per (agent, call), ending at the batch's last decision. Every call committed before
  // this batch holds the agent's lock counts, however it was timestamped (prepare takes the lock).
  const until = new Date(Math.max(...decisions.map((decision) => decision.at.getTime())));
  const calls = new Map<string, { a: string; h: string; s: string }>();
  for (const { judgement } of decisions) {
    const toolCall = judgement.toolCall;
    if (!toolCall || judgement.stop) continue;
    calls.set(callKey(judgement.agentId, toolCall.hash), { a: judgement.agentId, h: `${DECIDE_SOURCE}:${toolCall.hash}`, s: new Date(until.getTime() - toolCall.settings.windowSec * 1000).toISOString() });
  }
  const loopAgents = [...new Set([...calls.values()].map((c) => c.a))].sort();
  const approvalIds = [...new Set(decisions.flatMap((decision) => (decision.judgement.approval ? [decision.judgement.approval.id] : [])))];
  const days = usage.map((row) => periodDays(periodBounds(row.budget.period, new Date(row.periodStart))));
  const batch = {
    org: orgId,
    rows: usage.map((row, index) => ({ b: row.budget.id, p: row.periodStart, s: row.budget.scope, t: row.budget.teamId, a: row.budget.agentId, f: days[index]?.from, u: days[index]?.until })),
    agents: loopAgents,
    calls: [...calls.values()],
    approvals: approvalIds,
  };
  const results = (await client.query(`BEGIN; ${call(client, "agentry_decide_prepare", batch)}`)) as unknown as pg.QueryResult[];
  const prepared = results[1]?.rows[0]?.answer as PreparedRow | undefined;
  if (!prepared) throw new Error("agentry_decide_prepare answered nothing");

  const budgets: Counters["budgets"] = new Map();
  for (const row of prepared.budgets) budgets.set(budgetKey({ budgetId: row.b, periodStart: new Date(row.p).toISOString() }), { spentMicros: BigInt(row.spent), reservedMicros: BigInt(row.reserved) });
  const priorCalls = new Map<string, number>();
  const loopSwitches = new Map<string, string>();
  for (const row of prepared.calls) {
    priorCalls.set(callKey(row.a, row.h.slice(DECIDE_SOURCE.length + 1)), Number(row.prior));
    if (row.switch) loopSwitches.set(row.a, row.switch);
  }
  const byId = new Map(prepared.approvals.map((row) => [row.id, row]));
  const date = (value: string | null) => (value === null ? null : new Date(value));
  return {
    budgets,
    priorCalls,
    loopSwitches,
    approvals: new Map(
      approvalIds.map((id) => {
        const row = byId.get(id);
        return [
          id,
          row
            ? {
                agentId: row.agent_id,
                status: row.status,
                expiresAt: new Date(row.expires_at),
                decidedAt: date(row.decided_at),
                decidedBy: row.decided_by,
                usedAt: date(row.used_at),
                actionType: row.action_type,
                actionName: row.action_name,
                arguments: row.arguments,
              }
            : null,
        ];
      }),
    ),
  };
}

// --- 3 and 4. verdicts and writes --------------------------------------------------------------

const AGENT_ACTOR = (agent: AgentProfile): AuditActor => ({ type: "agent", id: agent.id, label: agent.name });

async function write(client: pg.PoolClient, orgId: string, decisions: readonly DecisionToCommit[], usage: readonly UsageRow[]): Promise<CommittedDecision[]> {
  let counters = await lockAndRead(client, orgId, decisions, usage);

  const outcomes: Outcome[] = [];
  for (const decision of decisions) {
    const outcome = decideVerdict(decision.judgement, counters, decision.at);
    counters = advance(counters, decision.judgement, outcome, decision.at);
    outcomes.push(outcome);
  }

  // Rare paths first, each with statements of its own: they append to the audit chain themselves.
  const approvalIds: (string | null)[] = [];
  const loopSwitches = new Map<string, ActiveSwitch>();
  const jobs: JobSpec[] = [];
  for (const [index, decision] of decisions.entries()) {
    const outcome = outcomes[index] as Outcome;
    if (outcome.engageLoopSwitch && !loopSwitches.has(decision.agent.id)) {
      const loop = outcome.engageLoopSwitch;
      const engaged = await engageSystemSwitch(client, {
        orgId,
        scope: "agent",
        target: decision.agent.id,
        teamId: decision.agent.teamId,
        reasonCode: "loop_detected",
        reason: `Loop detected: the same call to ${loop.tool} was made ${loop.count} times within ${loop.windowSec} s.`,
      });
      loopSwitches.set(decision.agent.id, engaged);
    }
    if (!outcome.openApproval) {
      approvalIds.push(null);
      continue;
    }
    const opened = await openApproval(client, {
      orgId,
      agentId: decision.agent.id,
      teamId: decision.agent.teamId,
      decisionId: decision.decisionId,
      actionType: decision.request.action.type,
      actionName: decision.request.action.name,
      arguments: decision.redactedArguments,
      policyIds: outcome.policyIds,
      reason: outcome.openApproval.reason,
    });
    approvalIds.push(opened.id);
    jobs.push(job("approvals:expire", { orgId }, { runAt: new Date(opened.expiresAt.getTime() + 1_000) }));
  }

  const audited = decisions.flatMap((decision, index) => {
    const outcome = outcomes[index] as Outcome;
    if (!outcome.audited) return [];
    const entry: NewAuditEntry = {
      action: `decision.${outcome.decision}`,
      targetType: decision.request.action.type,
      targetId: decision.request.action.name,
      teamId: decision.agent.teamId,
      after: {
        decisionId: decision.decisionId,
        arguments: decision.redactedArguments,
        dataClasses: decision.request.dataClasses ?? [],
        reasons: outcome.reasons,
        policyIds: outcome.policyIds,
        approvalId: outcome.consumeApproval ?? approvalIds[index] ?? null,
        model: outcome.model?.name ?? null,
      },
    };
    return [{ actor: AGENT_ACTOR(decision.agent), entry, at: decision.at }];
  });
  const auditRecords = audited.length > 0 ? chainAuditEntries(orgId, await lockAuditHead(client, orgId), audited) : [];

  const { batch, expiryQueued } = writeBatch(orgId, decisions, outcomes, approvalIds, auditRecords, jobs);
  await client.query(`${call(client, "agentry_decide_write", batch)}; COMMIT`);
  if (expiryQueued !== null) expiryJobQueued.set(orgId, expiryQueued);
  // A switch this batch engaged stops the agent's next request in this process too, before its notification arrives.
  if (loopSwitches.size > 0) announceCommitted({ orgId, kind: "killswitch" });

  return decisions.map((decision, index) => {
    const outcome = outcomes[index] as Outcome;
    const ownRows = usage.filter((row) => decision.judgement.budgets.some((hold) => hold.budgetId === row.budget.id && hold.periodStart === row.periodStart));
    const looping = outcome.decision === "deny" && outcome.reasons[0]?.code === "loop_detected" && !decision.judgement.stop;
    const earlier = counters.loopSwitches.get(decision.agent.id);
    const loopSwitch = !looping
      ? null
      : (loopSwitches.get(decision.agent.id) ?? (earlier ? { id: earlier, scope: "agent" as const, target: decision.agent.id, reasonCode: "loop_detected", reason: "Loop detected", revision: 0 } : null));
    return { outcome, approvalId: approvalIds[index] ?? null, budgets: budgetStates(ownRows, counters.budgets), loopSwitch };
  });
}

/** Per org, the minute whose reservation-expiry job this process last queued (and committed). */
const expiryJobQueued = new Map<string, number>();

/** The batch as agentry_decide_write takes it, and the expiry minute it queues a job for (if any). */
function writeBatch(
  orgId: string,
  decisions: readonly DecisionToCommit[],
  outcomes: readonly Outcome[],
  approvalIds: readonly (string | null)[],
  auditRecords: ReturnType<typeof chainAuditEntries>,
  extraJobs: readonly JobSpec[],
) {
  const holds = new Map<string, { b: string; p: string; amount: bigint }>();
  const reservations: { agent: string; decision: string; amount: string; holds: { budgetId: string; periodStart: string }[]; expires: string }[] = [];
  const calls: { a: string; h: string; at: string }[] = [];
  const used: { id: string; decision: string }[] = [];
  let latestExpiry = 0;
  decisions.forEach((decision, index) => {
    const outcome = outcomes[index] as Outcome;
    if (outcome.holds.length > 0) {
      for (const hold of outcome.holds) {
        const key = budgetKey(hold);
        const total = holds.get(key);
        if (total) total.amount += hold.amountMicros;
        else holds.set(key, { b: hold.budgetId, p: hold.periodStart, amount: hold.amountMicros });
      }
      const expiresAt = decision.at.getTime() + RESERVATION_TTL_MS;
      latestExpiry = Math.max(latestExpiry, expiresAt);
      reservations.push({
        agent: decision.agent.id,
        decision: decision.decisionId,
        amount: (outcome.holds[0]?.amountMicros ?? 0n).toString(),
        holds: outcome.holds.map((hold) => ({ budgetId: hold.budgetId, periodStart: hold.periodStart })),
        expires: new Date(expiresAt).toISOString(),
      });
    }
    if (outcome.recordToolCall && decision.judgement.toolCall) calls.push({ a: decision.agent.id, h: `${DECIDE_SOURCE}:${decision.judgement.toolCall.hash}`, at: decision.at.toISOString() });
    if (outcome.consumeApproval) used.push({ id: outcome.consumeApproval, decision: decision.decisionId });
  });
  // Held reservations are released when they expire: one job per org and minute, however many it
  // covers, queued once per minute by this process (queueing it again would only wake every worker).
  const expiryMinute = Math.ceil(latestExpiry / 60_000) * 60_000;
  const queueExpiry = latestExpiry > 0 && expiryJobQueued.get(orgId) !== expiryMinute;
  const jobs: JobSpec[] = [...extraJobs, ...(queueExpiry ? [job("budgets:expire-reservations", { orgId }, { runAt: new Date(expiryMinute + 1_000), key: `expire-reservations:${orgId}:${expiryMinute}` })] : [])];
  return {
    expiryQueued: queueExpiry ? expiryMinute : null,
    batch: {
      org: orgId,
      // Updated in key order, like every holder of these rows.
      holds: [...holds.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, hold]) => ({ b: hold.b, p: hold.p, amount: hold.amount.toString() })),
      reservations,
      decisions: decisions.map((decision, index) => {
        const outcome = outcomes[index] as Outcome;
        return {
          id: decision.decisionId,
          agent: decision.agent.id,
          action_type: decision.request.action.type,
          action_name: decision.request.action.name,
          arguments: decision.redactedArguments,
          task_type: decision.request.taskType ?? null,
          task_id: decision.request.taskId ?? null,
          instance_id: decision.request.instanceId ?? null,
          data_classes: decision.request.dataClasses ?? [],
          estimated: decision.judgement.estimatedMicros?.toString() ?? null,
          decision: outcome.decision,
          reasons: outcome.reasons,
          policy_ids: outcome.policyIds,
          approval: outcome.consumeApproval ?? approvalIds[index] ?? null,
          model: outcome.model?.name ?? null,
          version: decision.versionId ?? null,
          duration: Math.round((performance.now() - decision.startedAt) * 1000),
          at: decision.at.toISOString(),
        };
      }),
      calls,
      used,
      audit: auditRecords.map((record) => ({
        id: record.id,
        org_id: record.orgId,
        seq: record.seq,
        at: record.at,
        actor_type: record.actorType,
        actor_id: record.actorId,
        actor_label: record.actorLabel,
        action: record.action,
        target_type: record.targetType,
        target_id: record.targetId,
        team_id: record.teamId,
        before: record.before,
        after: record.after,
        reason: record.reason,
        prev_hash: record.prevHash,
        hash: record.hash,
      })),
      jobs: jobs.map((spec) => ({ identifier: spec.name, payload: spec.payload, run_at: spec.runAt?.toISOString() ?? null, max_attempts: spec.maxAttempts ?? null, job_key: spec.key ?? null })),
    },
  };
}
