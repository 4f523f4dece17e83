// Rollouts' storage and their evaluation: starting one, the operator controls (promote, hold,
// resume, roll back, skip a guard, approve), and evaluateRollouts, which judges every running
// rollout once (server/domain/rollout/judge.ts) and carries out what is due: advance, complete,
// pause or roll back. Every change writes its audit entry and ledger line in the same
// transaction, and signals the org's lifecycle change (directives revision, NOTIFYs) on commit.
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { assertTeamInReach, type AuthorizedOrg, type AuthorizedOrgId } from "../auth/access";
import { orgIdForSystemWork } from "../auth/org-id";
import { getPool, inTransaction } from "../db/pool";
import { found, refuse, refuseUnless } from "../domain/refusal";
import { sampleCounts, type SampleCounts } from "../domain/rollout/guards";
import { judgeRollout, type RolloutDecision, type RolloutJudgement, type RolloutState } from "../domain/rollout/judge";
import { checkApprove, checkHold, checkPromote, checkResume, checkRollback, checkSkipGuard, checkStartRollout, type RolloutControlState, type RolloutStatus } from "../domain/rollout/lifecycle";
import type { BreachAction, GuardConfig, GuardMetric, Stage, StartRolloutInput } from "../domain/rollout/schemas";
import { GUARD_LABELS } from "../domain/rollout/schemas";
import { logError } from "../runtime/log";
import { raiseAlert } from "./alerts";
import { sqlRows, type SqlClient } from "../db/sql";
import { appendAuditRaw, type AuditActor, type AuditWriter } from "./audit";
import { openIncident } from "./incidents";
import { recordReleaseEvent, type LedgerActor, type NewReleaseEvent } from "./release-ledger";
import { armMetrics, unitsByVersion } from "./rollout-metrics";
import { activeRolloutRef, agentRefInReach, changeByPerson, findVersion, lockAgentLifecycle, setStableVersion, signalLifecycleChange, tryLockAgentLifecycle, versionsOf } from "./versions";

export interface RolloutRecord {
  id: string;
  orgId: string;
  agentId: string;
  teamId: string | null;
  fromVersionId: string;
  toVersionId: string;
  salt: string;
  status: RolloutStatus;
  stages: Stage[];
  guards: GuardConfig[];
  onBreach: BreachAction;
  autoAdvance: boolean;
  requireApproval: boolean;
  stageIndex: number;
  stageStartedAt: Date;
  stageBaseline: { candidate: SampleCounts; stable: SampleCounts } | null;
  skippedGuards: string[];
  approvedBy: string | null;
  approvedAt: Date | null;
  pausedReason: string | null;
  createdBy: string;
  createdAt: Date;
  endedAt: Date | null;
  endedReason: string | null;
  lastEvaluatedAt: Date | null;
  lastEvaluation: StoredEvaluation | null;
}

/** What the console shows of the last look: the judgement, and when it was made. */
export type StoredEvaluation = RolloutJudgement & { at: string };

export interface RolloutRow {
  id: string;
  org_id: string;
  agent_id: string;
  team_id: string | null;
  from_version_id: string;
  to_version_id: string;
  salt: string;
  status: RolloutStatus;
  stages: Stage[];
  guards: GuardConfig[];
  on_breach: BreachAction;
  auto_advance: boolean;
  require_approval: boolean;
  stage_index: number;
  stage_started_at: Date;
  stage_baseline: { candidate?: SampleCounts; stable?: SampleCounts } | null;
  skipped_guards: string[] | null;
  approved_by: string | null;
  approved_at: Date | null;
  paused_reason: string | null;
  created_by: string;
  created_at: Date;
  ended_at: Date | null;
  ended_reason: string | null;
  last_evaluated_at: Date | null;
  last_evaluation: StoredEvaluation | null;
}

const COLUMNS = `id::text, org_id::text, agent_id::text, team_id::text, from_version_id::text, to_version_id::text, salt, status::text AS status,
  stages, guards, on_breach::text AS on_breach, auto_advance, require_approval, stage_index, stage_started_at, stage_baseline, skipped_guards,
  approved_by, approved_at, paused_reason, created_by, created_at, ended_at, ended_reason, last_evaluated_at, last_evaluation`;

const date = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

export function toRecord(row: RolloutRow): RolloutRecord {
  const baseline = row.stage_baseline;
  return {
    id: row.id,
    orgId: row.org_id,
    agentId: row.agent_id,
    teamId: row.team_id,
    fromVersionId: row.from_version_id,
    toVersionId: row.to_version_id,
    salt: row.salt,
    status: row.status,
    stages: row.stages,
    guards: row.guards,
    onBreach: row.on_breach,
    autoAdvance: row.auto_advance,
    requireApproval: row.require_approval,
    stageIndex: row.stage_index,
    stageStartedAt: new Date(row.stage_started_at),
    stageBaseline: baseline?.candidate && baseline.stable ? { candidate: baseline.candidate, stable: baseline.stable } : null,
    skippedGuards: row.skipped_guards ?? [],
    approvedBy: row.approved_by,
    approvedAt: date(row.approved_at),
    pausedReason: row.paused_reason,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    endedAt: date(row.ended_at),
    endedReason: row.ended_reason,
    lastEvaluatedAt: date(row.last_evaluated_at),
    lastEvaluation: row.last_evaluation,
  };
}

export async function findRollout(client: SqlClient, orgId: string, rolloutId: string, options: { lock?: boolean } = {}): Promise<RolloutRecord | null> {
  const rows = await sqlRows<RolloutRow>(client, `SELECT ${COLUMNS} FROM rollouts WHERE org_id = $1::uuid AND id = $2::uuid${options.lock ? " FOR UPDATE" : ""}`, [orgId, rolloutId]);
  return rows[0] ? toRecord(rows[0]) : null;
}

function controlState(rollout: RolloutRecord): RolloutControlState {
  const { status, stages, stageIndex, requireApproval, approvedBy, createdBy, guards, skippedGuards } = rollout;
  return { status, stages, stageIndex, requireApproval, approvedBy, createdBy, guards, skippedGuards };
}

function judgeState(rollout: RolloutRecord): RolloutState {
  return { ...controlState(rollout), stageStartedAt: rollout.stageStartedAt, guards: rollout.guards, onBreach: rollout.onBreach, autoAdvance: rollout.autoAdvance, stageBaseline: rollout.stageBaseline };
}

export const percentOf = (rollout: RolloutRecord, index = rollout.stageIndex) => rollout.stages[index]?.percent ?? 0;

/** The two versions of a rollout, by id and label (how events name them). */
async function rolloutVersions(client: SqlClient, rollout: RolloutRecord) {
  const stable = await findVersion(client, rollout.orgId, rollout.fromVersionId);
  const candidate = await findVersion(client, rollout.orgId, rollout.toVersionId);
  if (!stable || !candidate) throw new Error(`rollout ${rollout.id}: its versions are missing`);
  return { stable, candidate };
}

/** Judges a rollout on its traffic since it started (the guards) and since its stage began (the sample ratio). */
export async function judgeNow(client: SqlClient, rollout: RolloutRecord, now: Date): Promise<{ judgement: RolloutJudgement; counts: { candidate: SampleCounts; stable: SampleCounts } }> {
  const { stable, candidate } = await rolloutVersions(client, rollout);
  const until = new Date(now.getTime() + 1);
  const arms = await armMetrics(client, { orgId: rollout.orgId, agentId: rollout.agentId, from: rollout.createdAt, to: until, a: candidate, b: stable });
  const units = await unitsByVersion(client, { orgId: rollout.orgId, agentId: rollout.agentId, from: rollout.stageStartedAt, to: until, candidate, stable });
  const judgement = judgeRollout(judgeState(rollout), { candidate: arms.a, stable: arms.b, units }, now);
  return { judgement, counts: { candidate: sampleCounts(arms.a), stable: sampleCounts(arms.b) } };
}

interface ChangeContext {
  orgId: AuthorizedOrgId;
  actor: LedgerActor;
  audit: AuditWriter;
}

// ---------------------------------------------------------------------------------------------
// Starting.

/** Starts a rollout of one of the agent's versions (the agent in the caller's reach) from its stable one. */
export async function startRollout(client: SqlClient, audit: AuditWriter, access: AuthorizedOrg, request: StartRolloutInput): Promise<RolloutRecord> {
  const input = changeByPerson(access, audit);
  const agent = await agentRefInReach(client, access, request.agentId);
  await lockAgentLifecycle(client, agent.id);
  const versions = await versionsOf(client, input.orgId, agent.id);
  const candidate = versions.find((version) => version.id === request.candidateId);
  if (!candidate) refuse("NOT_FOUND", "That version does not belong to this agent.");
  const stable = versions.find((version) => version.stable) ?? null;
  const active = await activeRolloutRef(client, input.orgId, agent.id);
  refuseUnless(checkStartRollout({ stable, candidate, active }), active ? "CONFLICT" : "BAD_REQUEST");
  if (!stable) refuse("BAD_REQUEST", "The agent has no stable version.");
  const salt = randomBytes(12).toString("base64url");
  const rows = await sqlRows<RolloutRow>(
    client,
    `INSERT INTO rollouts (org_id, agent_id, team_id, from_version_id, to_version_id, salt, status, active_for, stages, guards, on_breach, auto_advance, require_approval, created_by)
     VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::uuid, $6, 'running', $2::uuid, $7::jsonb, $8::jsonb, $9::"BreachAction", $10, $11, $12)
     RETURNING ${COLUMNS}`,
    [
      input.orgId,
      agent.id,
      agent.teamId,
      stable.id,
      candidate.id,
      salt,
      JSON.stringify(request.stages),
      JSON.stringify(request.guards),
      request.onBreach,
      request.autoAdvance,
      request.requireApproval,
      input.actor.label,
    ],
  );
  const row = rows[0];
  if (!row) throw new Error("startRollout: nothing stored");
  const rollout = toRecord(row);
  const settings = { stages: rollout.stages, guards: rollout.guards, onBreach: rollout.onBreach, autoAdvance: rollout.autoAdvance, requireApproval: rollout.requireApproval };
  await input.audit({
    action: "rollout.started",
    targetType: "rollout",
    targetId: rollout.id,
    teamId: agent.teamId,
    after: { agent: agent.name, from: stable.label, to: candidate.label, ...settings },
    reason: request.reason,
  });
  await recordReleaseEvent(client, {
    orgId: input.orgId,
    agentId: agent.id,
    rolloutId: rollout.id,
    kind: "rollout_started",
    actor: input.actor,
    reason: request.reason,
    fromVersionId: stable.id,
    toVersionId: candidate.id,
    fromPercent: 0,
    toPercent: percentOf(rollout),
    details: settings,
  });
  await signalLifecycleChange(client, input.orgId);
  return rollout;
}

// ---------------------------------------------------------------------------------------------
// Changes of state, shared by people's controls and the evaluator.

async function updateRollout(client: SqlClient, rollout: RolloutRecord, set: string, params: unknown[]): Promise<RolloutRecord> {
  const rows = await sqlRows<RolloutRow>(client, `UPDATE rollouts SET ${set} WHERE id = $1::uuid RETURNING ${COLUMNS}`, [rollout.id, ...params]);
  const row = rows[0];
  if (!row) throw new Error(`rollout ${rollout.id} vanished`);
  return toRecord(row);
}

async function advanceStage(client: SqlClient, rollout: RolloutRecord, toIndex: number, baseline: { candidate: SampleCounts; stable: SampleCounts }): Promise<RolloutRecord> {
  return updateRollout(client, rollout, "stage_index = $2, stage_started_at = now(), stage_baseline = $3::jsonb, skipped_guards = ARRAY[]::text[]", [toIndex, JSON.stringify(baseline)]);
}

/** The candidate takes 100 % and becomes the stable version; the rollout is complete. */
async function completeRollout(client: SqlClient, rollout: RolloutRecord, context: ChangeContext & { reason: string }): Promise<RolloutRecord> {
  const { stable, candidate } = await rolloutVersions(client, rollout);
  await setStableVersion(client, rollout.orgId, rollout.agentId, candidate);
  const ended = await updateRollout(client, rollout, "status = 'completed', active_for = NULL, ended_at = now(), ended_reason = $2, stage_index = $3, stage_started_at = now()", [
    context.reason,
    rollout.stages.length - 1,
  ]);
  await context.audit({
    action: "rollout.completed",
    targetType: "rollout",
    targetId: rollout.id,
    teamId: rollout.teamId,
    before: { percent: percentOf(rollout), stable: stable.label },
    after: { percent: 100, stable: candidate.label },
    reason: context.reason,
  });
  await recordReleaseEvent(client, {
    orgId: rollout.orgId,
    agentId: rollout.agentId,
    rolloutId: rollout.id,
    kind: "completed",
    actor: context.actor,
    reason: context.reason,
    fromVersionId: stable.id,
    toVersionId: candidate.id,
    fromPercent: percentOf(rollout),
    toPercent: 100,
  });
  await raiseAlert(client, {
    orgId: rollout.orgId,
    kind: "rollout",
    severity: "info",
    title: `Version ${candidate.label} is now stable (rollout complete)`,
    details: { rolloutId: rollout.id, from: stable.label, to: candidate.label, reason: context.reason, by: context.actor.label },
    agentId: rollout.agentId,
    teamId: rollout.teamId,
  });
  await signalLifecycleChange(client, rollout.orgId);
  return ended;
}

async function rollBack(client: SqlClient, rollout: RolloutRecord, context: ChangeContext & { reason: string; breach?: GuardMetric[] }): Promise<RolloutRecord> {
  const { stable, candidate } = await rolloutVersions(client, rollout);
  const ended = await updateRollout(client, rollout, "status = 'rolled_back', active_for = NULL, ended_at = now(), ended_reason = $2, paused_reason = NULL", [context.reason]);
  await context.audit({
    action: "rollout.rolled_back",
    targetType: "rollout",
    targetId: rollout.id,
    teamId: rollout.teamId,
    before: { status: rollout.status, percent: percentOf(rollout), candidate: candidate.label },
    after: { status: "rolled_back", percent: 0, stable: stable.label, ...(context.breach ? { breached: context.breach } : {}) },
    reason: context.reason,
  });
  await recordReleaseEvent(client, {
    orgId: rollout.orgId,
    agentId: rollout.agentId,
    rolloutId: rollout.id,
    kind: "rolled_back",
    actor: context.actor,
    reason: context.reason,
    fromVersionId: candidate.id,
    toVersionId: stable.id,
    fromPercent: percentOf(rollout),
    toPercent: 0,
    ...(context.breach ? { details: { breached: context.breach } } : {}),
  });
  // A rollback is something that went wrong with a version in front of users: an incident to follow
  // up (docs/compliance.md), one per rollout, audited in this transaction with the rollback itself.
  await openIncident(client, {
    orgId: rollout.orgId,
    agentId: rollout.agentId,
    teamId: rollout.teamId,
    title: context.breach
      ? `Rollout of ${candidate.label} rolled back: ${context.breach.map((metric) => GUARD_LABELS[metric].toLowerCase()).join(" and ")} breached`
      : `Rollout of ${candidate.label} rolled back`,
    description: context.reason,
    source: "rollback",
    sourceRef: rollout.id,
    severity: context.breach ? "high" : "medium",
    openedBy: context.actor.label,
    audit: context.audit,
  });
  await raiseAlert(client, {
    orgId: rollout.orgId,
    kind: "rollout",
    severity: context.breach ? "critical" : "warning",
    title: context.breach
      ? `Rollout of ${candidate.label} rolled back: ${context.breach.map((metric) => GUARD_LABELS[metric].toLowerCase()).join(" and ")} breached`
      : `Rollout of ${candidate.label} rolled back`,
    details: { rolloutId: rollout.id, from: candidate.label, to: stable.label, percent: percentOf(rollout), reason: context.reason, by: context.actor.label, breached: context.breach ?? [] },
    agentId: rollout.agentId,
    teamId: rollout.teamId,
  });
  await signalLifecycleChange(client, rollout.orgId);
  return ended;
}

async function pause(
  client: SqlClient,
  rollout: RolloutRecord,
  context: ChangeContext & { reason: string; kind: "held" | "breach_paused" | "sample_ratio_paused"; breach?: GuardMetric[] },
): Promise<RolloutRecord> {
  const { stable, candidate } = await rolloutVersions(client, rollout);
  const paused = await updateRollout(client, rollout, "status = 'paused', paused_reason = $2", [context.reason]);
  await context.audit({
    action: context.kind === "held" ? "rollout.held" : "rollout.paused",
    targetType: "rollout",
    targetId: rollout.id,
    teamId: rollout.teamId,
    before: { status: rollout.status },
    after: { status: "paused", percent: percentOf(rollout), ...(context.breach ? { breached: context.breach } : {}) },
    reason: context.reason,
  });
  await recordReleaseEvent(client, {
    orgId: rollout.orgId,
    agentId: rollout.agentId,
    rolloutId: rollout.id,
    kind: context.kind,
    actor: context.actor,
    reason: context.reason,
    fromVersionId: stable.id,
    toVersionId: candidate.id,
    fromPercent: percentOf(rollout),
    toPercent: percentOf(rollout),
    ...(context.breach ? { details: { breached: context.breach } } : {}),
  });
  if (context.kind !== "held") {
    await raiseAlert(client, {
      orgId: rollout.orgId,
      kind: "rollout",
      severity: context.kind === "breach_paused" ? "critical" : "warning",
      title:
        context.kind === "breach_paused"
          ? `Rollout of ${candidate.label} paused: ${(context.breach ?? []).map((metric) => GUARD_LABELS[metric].toLowerCase()).join(" and ")} breached`
          : `Rollout of ${candidate.label} paused: sample ratio mismatch`,
      details: { rolloutId: rollout.id, candidate: candidate.label, percent: percentOf(rollout), reason: context.reason, breached: context.breach ?? [] },
      agentId: rollout.agentId,
      teamId: rollout.teamId,
    });
  }
  await signalLifecycleChange(client, rollout.orgId);
  return paused;
}

// ---------------------------------------------------------------------------------------------
// People's controls.

/** The rollout, locked for a change, once the caller's reach covers its team. */
async function loadForControl(client: SqlClient, access: Pick<AuthorizedOrg, "orgId" | "reach">, rolloutId: string): Promise<RolloutRecord> {
  const unlocked = found(await findRollout(client, access.orgId, rolloutId), "rollout");
  assertTeamInReach(access, unlocked.teamId);
  await lockAgentLifecycle(client, unlocked.agentId);
  return found(await findRollout(client, access.orgId, rolloutId, { lock: true }), "rollout");
}

/** What a person asks of a rollout, and why. */
export interface RolloutControl {
  rolloutId: string;
  reason: string;
}

/** A control's audit entry and ledger line, then the lifecycle signal. */
async function recordControl(
  client: SqlClient,
  rollout: RolloutRecord,
  change: ChangeContext & { reason: string },
  entry: { action: string; before?: object; after: object },
  ledger: Omit<NewReleaseEvent, "orgId" | "agentId" | "rolloutId" | "actor" | "reason">,
): Promise<void> {
  await change.audit({ ...entry, targetType: "rollout", targetId: rollout.id, teamId: rollout.teamId, reason: change.reason });
  await recordReleaseEvent(client, { orgId: change.orgId, agentId: rollout.agentId, rolloutId: rollout.id, actor: change.actor, reason: change.reason, ...ledger });
  await signalLifecycleChange(client, change.orgId);
}

/** Moves to the next stage now (reaching 100 % completes the rollout). */
export async function promoteRollout(client: SqlClient, audit: AuditWriter, access: AuthorizedOrg, control: RolloutControl): Promise<RolloutRecord> {
  const change = { ...changeByPerson(access, audit), reason: control.reason };
  const rollout = await loadForControl(client, access, control.rolloutId);
  refuseUnless(checkPromote(controlState(rollout)));
  const toIndex = rollout.stageIndex + 1;
  if (percentOf(rollout, toIndex) >= 100) return completeRollout(client, rollout, change);
  const { counts } = await judgeNow(client, rollout, new Date());
  const advanced = await advanceStage(client, rollout, toIndex, counts);
  const versions = { fromVersionId: rollout.fromVersionId, toVersionId: rollout.toVersionId };
  await recordControl(
    client,
    rollout,
    change,
    { action: "rollout.promoted", before: { percent: percentOf(rollout) }, after: { percent: percentOf(advanced) } },
    { kind: "stage_advanced", ...versions, fromPercent: percentOf(rollout), toPercent: percentOf(advanced) },
  );
  return advanced;
}

export async function holdRollout(client: SqlClient, audit: AuditWriter, access: AuthorizedOrg, control: RolloutControl): Promise<RolloutRecord> {
  const rollout = await loadForControl(client, access, control.rolloutId);
  refuseUnless(checkHold(controlState(rollout)));
  return pause(client, rollout, { ...changeByPerson(access, audit), reason: control.reason, kind: "held" });
}

export async function resumeRollout(client: SqlClient, audit: AuditWriter, access: AuthorizedOrg, control: RolloutControl): Promise<RolloutRecord> {
  const rollout = await loadForControl(client, access, control.rolloutId);
  refuseUnless(checkResume(controlState(rollout)));
  const resumed = await updateRollout(client, rollout, "status = 'running', paused_reason = NULL", []);
  await recordControl(
    client,
    rollout,
    { ...changeByPerson(access, audit), reason: control.reason },
    { action: "rollout.resumed", before: { status: "paused", pausedReason: rollout.pausedReason }, after: { status: "running" } },
    { kind: "resumed", fromVersionId: rollout.fromVersionId, toVersionId: rollout.toVersionId, fromPercent: percentOf(rollout), toPercent: percentOf(rollout) },
  );
  return resumed;
}

export async function rollBackRollout(client: SqlClient, audit: AuditWriter, access: AuthorizedOrg, control: RolloutControl): Promise<RolloutRecord> {
  const rollout = await loadForControl(client, access, control.rolloutId);
  refuseUnless(checkRollback(controlState(rollout)));
  return rollBack(client, rollout, { ...changeByPerson(access, audit), reason: control.reason });
}

/** Skips one guard for the current stage. */
export async function skipGuard(client: SqlClient, audit: AuditWriter, access: AuthorizedOrg, control: RolloutControl & { metric: GuardMetric }): Promise<RolloutRecord> {
  const rollout = await loadForControl(client, access, control.rolloutId);
  refuseUnless(checkSkipGuard(controlState(rollout), control.metric));
  const updated = await updateRollout(client, rollout, "skipped_guards = array_append(skipped_guards, $2)", [control.metric]);
  await recordControl(
    client,
    rollout,
    { ...changeByPerson(access, audit), reason: control.reason },
    { action: "rollout.guard_skipped", after: { guard: control.metric, percent: percentOf(rollout) } },
    { kind: "guard_skipped", fromPercent: percentOf(rollout), toPercent: percentOf(rollout), details: { guard: control.metric } },
  );
  return updated;
}

/** The second person's approval before 100 %. */
export async function approveRollout(client: SqlClient, audit: AuditWriter, access: AuthorizedOrg, control: RolloutControl): Promise<RolloutRecord> {
  const change = { ...changeByPerson(access, audit), reason: control.reason };
  const rollout = await loadForControl(client, access, control.rolloutId);
  refuseUnless(checkApprove(controlState(rollout), change.actor.label));
  const approved = await updateRollout(client, rollout, "approved_by = $2, approved_at = now()", [change.actor.label]);
  await recordControl(client, rollout, change, { action: "rollout.approved", after: { approvedBy: change.actor.label, for: "100 %" } }, { kind: "approved", toPercent: 100 });
  return approved;
}

// ---------------------------------------------------------------------------------------------
// The evaluator.

const GUARD_ACTOR: AuditActor = { type: "system", id: null, label: "system (rollout guards)" };
const GUARD_LEDGER_ACTOR: LedgerActor = { type: "system", label: "system (rollout guards)" };

export interface EvaluationOutcome {
  rolloutId: string;
  orgId: string;
  decision: RolloutDecision["kind"];
  /** What was done: nothing, or the state the rollout moved to. */
  action: "none" | "advanced" | "completed" | "paused" | "rolled_back";
}

/** Evaluates one running rollout, if no other process is doing so right now. */
async function evaluateOne(client: pg.PoolClient, rolloutId: string, now: Date): Promise<EvaluationOutcome | null> {
  const rows = await client.query<RolloutRow>(`SELECT ${COLUMNS} FROM rollouts WHERE id = $1 AND status = 'running' FOR UPDATE SKIP LOCKED`, [rolloutId]);
  const row = rows.rows[0];
  if (!row) return null; // taken by another process, or no longer running
  const rollout = toRecord(row);
  if (!(await tryLockAgentLifecycle(client, rollout.agentId))) return null; // a person is changing it right now
  const { judgement, counts } = await judgeNow(client, rollout, now);
  const previous = rollout.lastEvaluation?.decision.kind;
  await client.query("UPDATE rollouts SET last_evaluated_at = $2, last_evaluation = $3::jsonb WHERE id = $1", [rollout.id, now, JSON.stringify({ ...judgement, at: now.toISOString() })]);
  const audit: AuditWriter = async (entry) => {
    await appendAuditRaw(client, rollout.orgId, GUARD_ACTOR, entry);
  };
  const context = { orgId: orgIdForSystemWork(rollout.orgId), actor: GUARD_LEDGER_ACTOR, audit };
  const { decision } = judgement;
  const outcome = (action: EvaluationOutcome["action"]): EvaluationOutcome => ({ rolloutId: rollout.id, orgId: rollout.orgId, decision: decision.kind, action });

  switch (decision.kind) {
    case "breach":
      if (decision.action === "rollback") {
        await rollBack(client, rollout, { ...context, reason: decision.explanation, breach: decision.metrics });
        return outcome("rolled_back");
      }
      await pause(client, rollout, { ...context, reason: decision.explanation, kind: "breach_paused", breach: decision.metrics });
      return outcome("paused");
    case "sample_ratio_mismatch":
      await pause(client, rollout, { ...context, reason: decision.explanation, kind: "sample_ratio_paused" });
      return outcome("paused");
    case "complete":
      await completeRollout(client, rollout, { ...context, reason: decision.explanation });
      return outcome("completed");
    case "advance": {
      const advanced = await advanceStage(client, rollout, decision.toIndex, counts);
      await audit({
        action: "rollout.advanced",
        targetType: "rollout",
        targetId: rollout.id,
        teamId: rollout.teamId,
        before: { percent: percentOf(rollout) },
        after: { percent: percentOf(advanced) },
        reason: decision.explanation,
      });
      await recordReleaseEvent(client, {
        orgId: rollout.orgId,
        agentId: rollout.agentId,
        rolloutId: rollout.id,
        kind: "stage_advanced",
        actor: GUARD_LEDGER_ACTOR,
        reason: decision.explanation,
        fromVersionId: rollout.fromVersionId,
        toVersionId: rollout.toVersionId,
        fromPercent: percentOf(rollout),
        toPercent: percentOf(advanced),
      });
      await signalLifecycleChange(client, rollout.orgId);
      return outcome("advanced");
    }
    case "ready":
    case "awaiting_approval":
      // Said once, when it becomes true: a line on the timeline and an alert for the people who promote.
      if (previous !== decision.kind) {
        await recordReleaseEvent(client, {
          orgId: rollout.orgId,
          agentId: rollout.agentId,
          rolloutId: rollout.id,
          kind: decision.kind === "ready" ? "ready_to_promote" : "awaiting_approval",
          actor: GUARD_LEDGER_ACTOR,
          reason: decision.explanation,
          fromPercent: percentOf(rollout),
          toPercent: percentOf(rollout, decision.toIndex),
        });
        await raiseAlert(client, {
          orgId: rollout.orgId,
          kind: "rollout",
          severity: "info",
          title: decision.kind === "ready" ? `Rollout ready to promote to ${percentOf(rollout, decision.toIndex)} %` : `Rollout awaits a second approval before 100 %`,
          details: { rolloutId: rollout.id, percent: percentOf(rollout), next: percentOf(rollout, decision.toIndex), reason: decision.explanation },
          agentId: rollout.agentId,
          teamId: rollout.teamId,
        });
      }
      return outcome("none");
    case "none":
      return outcome("none");
  }
}

/**
 * Evaluates every running rollout of every org once: judges its guards and carries out what is
 * due (advance, complete, pause, roll back). Safe in several processes at once: each rollout row
 * is taken with FOR UPDATE SKIP LOCKED, so one process evaluates it and the others pass it by.
 * Meant to run every ~10 s from the job queue.
 */
export async function evaluateRollouts(now: Date = new Date(), options: { pool?: pg.Pool; orgId?: string } = {}): Promise<EvaluationOutcome[]> {
  const pool = options.pool ?? getPool();
  // `orgId` narrows a run to one org (tests share one database); the job runs with none.
  const { rows } = await pool.query<{ id: string }>("SELECT id::text FROM rollouts WHERE status = 'running' AND ($1::uuid IS NULL OR org_id = $1::uuid) ORDER BY last_evaluated_at NULLS FIRST", [
    options.orgId ?? null,
  ]);
  const outcomes: EvaluationOutcome[] = [];
  for (const { id } of rows) {
    try {
      const outcome = await inTransaction(pool, (client) => evaluateOne(client, id, now));
      if (outcome) outcomes.push(outcome);
    } catch (error) {
      // One rollout's failure (a bad row, a timeout) must not stop the others from being judged.
      logError("rollout evaluation failed", { rolloutId: id, error });
    }
  }
  return outcomes;
}
