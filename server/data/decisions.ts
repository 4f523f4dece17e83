// The decision commit: everything a decision changes, written in one transaction, and decisions
// that arrive together committed together (group commit). Nothing is answered before it commits.
//
// Per org, one batch is in flight at a time in this process; decisions arriving meanwhile wait
// for the next one (a lone decision is never held up: the next batch starts as soon as the last
// one committed). A batch:
//   1. locks the budget usage rows it touches (in key order) and, per agent asking about a tool,
//      an advisory lock that serialises loop counting across processes;
//   2. reads the live counters after those locks: spent and reserved per usage row, earlier calls
//      in each loop window, loop switches already engaged, the approvals named (locked);
//   3. decides each decision in arrival order with the pure verdict (server/domain/decide),
//      advancing the counters as it goes, so the hard cap holds within the batch, across batches
//      and across processes (every holder of those rows is serialised by their locks);
//   4. writes, in one statement: holds, reservations, decision rows, tool-call records, approvals
//      used, audit entries (chained in order) and the jobs that expire the reservations; the rare
//      paths (a loop switch to engage, an approval request to open) run their own statements first.
// A batch that fails for a reason of its own data is retried one decision at a time, so one bad
// decision cannot sink the others; deadlocks and serialisation failures are retried whole.
import "server-only";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { getPool, inTransaction, isRetryableConflict } from "../db/pool";
import type { BudgetState } from "../domain/budget/arithmetic";
import type { ActiveSwitch } from "../domain/killswitch/match";
import { decideVerdict, advance } from "../domain/decide/verdict";
import { budgetKey, callKey, type AgentProfile, type Counters, type DecisionRequest, type Judgement, type Outcome } from "../domain/decide/types";
import { addJobsStatement, job, type JobSpec } from "../jobs/queue";
import { openApproval } from "./approvals";
import { auditColumns, auditInsertSql, chainAuditEntries, lockAuditHead, type AuditActor, type NewAuditEntry } from "./audit";
import { budgetStates, readBudgetCounters, type UsageRow } from "./budget-counters";
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
    try {
      return await inTransaction(getPool(), (client) => write(client, orgId, decisions, usage));
    } catch (error) {
      if (attempt >= 4 || !isRetryableConflict(error)) throw error;
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
        budget: { id: hold.budgetId, scope: hold.scope, period: hold.period, mode: hold.mode, limitMicros: hold.limitMicros, teamId: hold.scope === "team" ? agent.teamId : null, agentId: hold.scope === "agent" ? agent.id : null, thresholds: [] },
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

/** The advisory lock key that serialises loop counting for one agent (in every process). */
// The same key as loops.ts: reported calls and decisions of one agent are counted one at a time.
const loopLockKey = (agentId: string) => `loops:${agentId}`;

async function lock(client: pg.PoolClient, orgId: string, usage: readonly UsageRow[], loopAgents: readonly string[]): Promise<void> {
  await client.query({
    name: "agentry_decide_lock",
    text: `SELECT (SELECT count(*) FROM (
               SELECT 1 FROM budget_usage u JOIN unnest($1::uuid[], $2::timestamptz[]) AS r(budget_id, period_start)
                 ON u.budget_id = r.budget_id AND u.period_start = r.period_start
               WHERE u.org_id = $3
               ORDER BY u.budget_id, u.period_start FOR UPDATE OF u) locked) AS rows`,
    values: [usage.map((row) => row.budget.id), usage.map((row) => row.periodStart), orgId],
  });
  if (loopAgents.length > 0) {
    await client.query({
      name: "agentry_loop_locks",
      text: "SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM (SELECT unnest($1::text[]) AS k ORDER BY 1) keys",
      values: [loopAgents.map(loopLockKey)],
    });
  }
}

interface LoopRow {
  agent_id: string;
  call_hash: string;
  prior: string;
  active_switch: string | null;
}

interface ApprovalRow {
  id: string;
  agent_id: string;
  status: "pending" | "approved" | "denied" | "expired";
  expires_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
  used_at: Date | null;
  action_type: string;
  action_name: string;
  arguments: unknown;
}

async function readCounters(client: pg.PoolClient, orgId: string, decisions: readonly DecisionToCommit[], usage: readonly UsageRow[]): Promise<Counters> {
  // Loop windows per (agent, call): counted up to the batch's last decision.
  const until = new Date(Math.max(...decisions.map((decision) => decision.at.getTime())));
  const calls = new Map<string, { agentId: string; hash: string; since: Date }>();
  for (const { judgement } of decisions) {
    const call = judgement.toolCall;
    if (!call || judgement.stop) continue;
    calls.set(callKey(judgement.agentId, call.hash), { agentId: judgement.agentId, hash: `${DECIDE_SOURCE}:${call.hash}`, since: new Date(until.getTime() - call.settings.windowSec * 1000) });
  }
  const approvalIds = [...new Set(decisions.flatMap((decision) => (decision.judgement.approval ? [decision.judgement.approval.id] : [])))];

  const [budgets, loops, approvals] = await Promise.all([
    readBudgetCounters(client, orgId, usage),
    calls.size === 0
      ? Promise.resolve({ rows: [] as LoopRow[] })
      : client.query<LoopRow>({
          name: "agentry_loop_counts",
          text: `SELECT c.agent_id::text, c.call_hash,
                   (SELECT count(*) FROM tool_call_log t
                     WHERE t.agent_id = c.agent_id AND t.call_hash = c.call_hash AND t.at > c.since AND t.at <= $3
                       AND t.at > COALESCE((SELECT max(k.released_at) FROM kill_switches k
                                             WHERE k.org_id = $1 AND k.scope = 'agent' AND k.target = c.agent_id::text AND k.reason_code = 'loop_detected'), '-infinity'))::text AS prior,
                   (SELECT k.id::text FROM kill_switches k
                     WHERE k.org_id = $1 AND k.scope = 'agent' AND k.target = c.agent_id::text AND k.reason_code = 'loop_detected' AND k.released_at IS NULL
                     LIMIT 1) AS active_switch
                 FROM unnest($2::uuid[], $4::text[], $5::timestamptz[]) AS c(agent_id, call_hash, since)`,
          values: [orgId, [...calls.values()].map((c) => c.agentId), until.toISOString(), [...calls.values()].map((c) => c.hash), [...calls.values()].map((c) => c.since.toISOString())],
        }),
    approvalIds.length === 0
      ? Promise.resolve({ rows: [] as ApprovalRow[] })
      : client.query<ApprovalRow>(
          `SELECT id::text, agent_id::text, status::text AS status, expires_at, decided_at, decided_by, used_at, action_type, action_name, arguments
             FROM approvals WHERE org_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
          [orgId, approvalIds],
        ),
  ]);

  const priorCalls = new Map<string, number>();
  const loopSwitches = new Map<string, string>();
  for (const row of loops.rows) {
    priorCalls.set(callKey(row.agent_id, row.call_hash.slice(DECIDE_SOURCE.length + 1)), Number(row.prior));
    if (row.active_switch) loopSwitches.set(row.agent_id, row.active_switch);
  }
  const byId = new Map(approvals.rows.map((row) => [row.id, row]));
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
                expiresAt: row.expires_at,
                decidedAt: row.decided_at,
                decidedBy: row.decided_by,
                usedAt: row.used_at,
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
  const loopAgents = [...new Set(decisions.filter((decision) => decision.judgement.toolCall && !decision.judgement.stop).map((decision) => decision.agent.id))].sort();
  await lock(client, orgId, usage, loopAgents);
  let counters = await readCounters(client, orgId, decisions, usage);

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

  await client.query(writeStatement(orgId, decisions, outcomes, approvalIds, auditRecords, jobs));

  return decisions.map((decision, index) => {
    const outcome = outcomes[index] as Outcome;
    const ownRows = usage.filter((row) => decision.judgement.budgets.some((hold) => hold.budgetId === row.budget.id && hold.periodStart === row.periodStart));
    const looping = outcome.decision === "deny" && outcome.reasons[0]?.code === "loop_detected" && !decision.judgement.stop;
    const earlier = counters.loopSwitches.get(decision.agent.id);
    const loopSwitch = !looping
      ? null
      : (loopSwitches.get(decision.agent.id) ??
        (earlier ? { id: earlier, scope: "agent" as const, target: decision.agent.id, reasonCode: "loop_detected", reason: "Loop detected", revision: 0 } : null));
    return { outcome, approvalId: approvalIds[index] ?? null, budgets: budgetStates(ownRows, counters.budgets), loopSwitch };
  });
}

function writeStatement(
  orgId: string,
  decisions: readonly DecisionToCommit[],
  outcomes: readonly Outcome[],
  approvalIds: readonly (string | null)[],
  auditRecords: ReturnType<typeof chainAuditEntries>,
  extraJobs: readonly JobSpec[],
): pg.QueryConfig {
  const holds = new Map<string, { budgetId: string; periodStart: string; amount: bigint }>();
  const reservations: { agentId: string; decisionId: string; amount: bigint; holds: string; expiresAt: string }[] = [];
  const calls: { agentId: string; hash: string; at: string }[] = [];
  const consumed: { approvalId: string; decisionId: string }[] = [];
  let latestExpiry = 0;
  decisions.forEach((decision, index) => {
    const outcome = outcomes[index] as Outcome;
    if (outcome.holds.length > 0) {
      for (const hold of outcome.holds) {
        const key = budgetKey(hold);
        const total = holds.get(key);
        if (total) total.amount += hold.amountMicros;
        else holds.set(key, { budgetId: hold.budgetId, periodStart: hold.periodStart, amount: hold.amountMicros });
      }
      const expiresAt = decision.at.getTime() + RESERVATION_TTL_MS;
      latestExpiry = Math.max(latestExpiry, expiresAt);
      reservations.push({
        agentId: decision.agent.id,
        decisionId: decision.decisionId,
        amount: outcome.holds[0]?.amountMicros ?? 0n,
        holds: JSON.stringify(outcome.holds.map((hold) => ({ budgetId: hold.budgetId, periodStart: hold.periodStart }))),
        expiresAt: new Date(expiresAt).toISOString(),
      });
    }
    if (outcome.recordToolCall && decision.judgement.toolCall) calls.push({ agentId: decision.agent.id, hash: `${DECIDE_SOURCE}:${decision.judgement.toolCall.hash}`, at: decision.at.toISOString() });
    if (outcome.consumeApproval) consumed.push({ approvalId: outcome.consumeApproval, decisionId: decision.decisionId });
  });
  // Held reservations are released when they expire: one job per org and minute, however many it covers.
  const expiryMinute = Math.ceil(latestExpiry / 60_000) * 60_000;
  const jobs = addJobsStatement([
    ...extraJobs,
    ...(latestExpiry > 0 ? [job("budgets:expire-reservations", { orgId }, { runAt: new Date(expiryMinute + 1_000), key: `expire-reservations:${orgId}:${expiryMinute}` })] : []),
  ]);

  const holdList = [...holds.values()].sort((a, b) => (a.budgetId === b.budgetId ? (a.periodStart < b.periodStart ? -1 : 1) : a.budgetId < b.budgetId ? -1 : 1));
  const d = (pick: (decision: DecisionToCommit, outcome: Outcome, index: number) => unknown) => decisions.map((decision, index) => pick(decision, outcomes[index] as Outcome, index));
  const values: unknown[] = [
    orgId,
    // $2–$4 holds
    holdList.map((hold) => hold.budgetId),
    holdList.map((hold) => hold.periodStart),
    holdList.map((hold) => hold.amount.toString()),
    // $5–$9 reservations
    reservations.map((r) => r.agentId),
    reservations.map((r) => r.decisionId),
    reservations.map((r) => r.amount.toString()),
    reservations.map((r) => r.holds),
    reservations.map((r) => r.expiresAt),
    // $10–$28 decisions
    d((decision) => decision.decisionId),
    d((decision) => decision.agent.id),
    d((decision) => decision.request.action.type),
    d((decision) => decision.request.action.name),
    d((decision) => (decision.redactedArguments === null ? null : JSON.stringify(decision.redactedArguments))),
    d((decision) => decision.request.taskType ?? null),
    d((decision) => decision.request.taskId ?? null),
    d((decision) => decision.request.instanceId ?? null),
    d((decision) => JSON.stringify(decision.request.dataClasses ?? [])),
    d((decision) => decision.judgement.estimatedMicros?.toString() ?? null),
    d((_, outcome) => outcome.decision),
    d((_, outcome) => JSON.stringify(outcome.reasons)),
    d((_, outcome) => JSON.stringify(outcome.policyIds)),
    d((_, outcome, index) => outcome.consumeApproval ?? approvalIds[index] ?? null),
    d((_, outcome) => outcome.model?.name ?? null),
    d((decision) => decision.versionId ?? null),
    d((decision) => Math.round((performance.now() - decision.startedAt) * 1000)),
    d((decision) => decision.at.toISOString()),
    // $28–$30 tool calls
    calls.map((call) => call.agentId),
    calls.map((call) => call.hash),
    calls.map((call) => call.at),
    // $31–$32 approvals used
    consumed.map((c) => c.approvalId),
    consumed.map((c) => c.decisionId),
    // $33–$48 audit entries
    ...auditColumns(auditRecords),
  ];
  const jobsAt = values.length + 1;
  if (jobs) values.push(...jobs.values);
  const jobsSql = jobs ? jobs.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + jobsAt - 1}`) : "SELECT 0 AS queued";
  return {
    name: jobs ? "agentry_decide_write_jobs" : "agentry_decide_write",
    text: `WITH
      held AS (
        UPDATE budget_usage u SET reserved_micros = u.reserved_micros + h.amount
        FROM unnest($2::uuid[], $3::timestamptz[], $4::bigint[]) AS h(budget_id, period_start, amount)
        WHERE u.budget_id = h.budget_id AND u.period_start = h.period_start
        RETURNING 1),
      reserved AS (
        INSERT INTO budget_reservations (org_id, agent_id, decision_id, amount_micros, holds, expires_at)
        SELECT $1, r.agent_id, r.decision_id, r.amount, r.holds::jsonb, r.expires_at
        FROM unnest($5::uuid[], $6::uuid[], $7::bigint[], $8::text[], $9::timestamptz[]) AS r(agent_id, decision_id, amount, holds, expires_at)
        RETURNING 1),
      decided AS (
        INSERT INTO decisions (id, org_id, agent_id, action_type, action_name, arguments, task_type, task_id, instance_id, data_classes,
                               estimated_cost_micros, decision, reasons, policy_ids, approval_id, model, version_id, duration_micros, at)
        SELECT x.id, $1, x.agent_id, x.action_type, x.action_name, x.arguments::jsonb, x.task_type, x.task_id, x.instance_id,
               ARRAY(SELECT jsonb_array_elements_text(x.data_classes::jsonb)), x.estimated, x.decision::"Decision", x.reasons::jsonb,
               ARRAY(SELECT jsonb_array_elements_text(x.policy_ids::jsonb)), x.approval_id, x.model, x.version_id, x.duration, x.at
        FROM unnest($10::uuid[], $11::uuid[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[],
                    $19::bigint[], $20::text[], $21::text[], $22::text[], $23::uuid[], $24::text[], $25::uuid[], $26::int[], $27::timestamptz[])
             AS x(id, agent_id, action_type, action_name, arguments, task_type, task_id, instance_id, data_classes, estimated, decision,
                  reasons, policy_ids, approval_id, model, version_id, duration, at)
        RETURNING 1),
      called AS (
        INSERT INTO tool_call_log (org_id, agent_id, call_hash, at)
        SELECT $1, c.agent_id, c.call_hash, c.at FROM unnest($28::uuid[], $29::text[], $30::timestamptz[]) AS c(agent_id, call_hash, at)
        RETURNING 1),
      used AS (
        UPDATE approvals a SET used_at = now(), used_by_decision_id = u.decision_id
        FROM unnest($31::uuid[], $32::uuid[]) AS u(id, decision_id)
        WHERE a.id = u.id AND a.org_id = $1
        RETURNING 1),
      audited AS (${auditInsertSql(33)} RETURNING 1),
      queued AS (${jobsSql})
      SELECT (SELECT count(*) FROM decided) AS decided, (SELECT count(*) FROM audited) AS audited, (SELECT sum(queued) FROM queued) AS queued`,
    values,
  };
}

export { randomUUID as newDecisionId };
