// Trying policies before they are enforced: what would this agent doing this get, and which policy
// decided (against the enforced set or a draft); and a replay of the org's recent decisions against
// the enforced set and a draft, listing what would change. Nothing is stored. Team leads simulate
// their teams' agents and replay only their teams' decisions.
import "server-only";
import type { AuthorizedOrg, AuthorizedOrgId } from "../auth/access";
import type { DbOrTx } from "../db";
import { reachIncludesTeam } from "../domain/access/permissions";
import { microsToUsdString } from "../domain/cost/money";
import { DRAFT_POLICY_ID, finalDecision, impactOf } from "../domain/policy/draft";
import { toCedarRequest, type AgentFacts, type PolicyRequest } from "../domain/policy/request";
import { ACTION_TYPES, type ActionType } from "../domain/policy/vocabulary";
import { assertTeamInReach } from "../auth/access";
import { found } from "../domain/refusal";
import type { CompiledPolicySet } from "../policy/cedar";
import { delegateFacts, draftPolicySet, enforcedPolicySet, evaluateAgainst, orgDefaultDecision } from "../policy/engine";
import { draftChange, type DraftInput } from "../policy/sources";

/** At most this many changed decisions are listed (all are counted). */
const LISTED_CHANGES = 200;

/** The agents named, with what policies read about them (team name, tags, registered lists). */
async function agentsForPolicies(db: DbOrTx, orgId: AuthorizedOrgId, agentIds: readonly string[]) {
  const agents = await db.agent.findMany({
    where: { orgId, id: { in: [...agentIds] } },
    select: { id: true, name: true, teamId: true, tags: true, riskClass: true, tools: true, models: true, dataCategories: true, team: { select: { name: true } } },
  });
  return new Map(agents.map((agent) => [agent.id, agent]));
}

type PolicyAgent = NonNullable<Awaited<ReturnType<typeof agentsForPolicies>> extends Map<string, infer A> ? A : never>;

function agentFactsOf(agent: PolicyAgent): AgentFacts {
  return { name: agent.name, teamName: agent.team?.name ?? null, tags: agent.tags, riskClass: agent.riskClass, tools: agent.tools, models: agent.models, dataCategories: agent.dataCategories };
}

async function setToTry(orgId: AuthorizedOrgId, draft: DraftInput | undefined): Promise<{ set: CompiledPolicySet; draftName: string | null }> {
  if (!draft) return { set: await enforcedPolicySet(orgId), draftName: null };
  const change = draftChange(draft);
  return { set: await draftPolicySet(orgId, change), draftName: change.name };
}

export interface SimulationInput {
  agentId: string;
  action: { type: ActionType; name: string; arguments: Record<string, unknown> };
  dataClasses: string[];
  estimatedCostUsd: string | null;
  /** UTC hour of day to simulate; now when null. */
  hour: number | null;
  draft?: DraftInput | undefined;
}

/** What the policies answer an agent (in the caller's reach) doing something, and which policies decided. */
export async function simulatePolicy(db: DbOrTx, access: AuthorizedOrg, input: SimulationInput, at: Date = new Date()) {
  const orgId = access.orgId;
  const agent = found((await agentsForPolicies(db, orgId, [input.agentId])).get(input.agentId), "agent");
  assertTeamInReach(access, agent.teamId);
  const now = new Date(at);
  if (input.hour !== null) now.setUTCHours(input.hour, 30, 0, 0);
  const principal = agentFactsOf(agent);
  const request: PolicyRequest = {
    agent: {
      id: agent.id,
      name: agent.name,
      teamId: agent.teamId,
      teamName: principal.teamName,
      tags: agent.tags,
      riskClass: agent.riskClass,
      tools: agent.tools,
      models: agent.models,
      dataCategories: agent.dataCategories,
    },
    action: input.action,
    dataClasses: input.dataClasses,
    estimatedCostUsd: input.estimatedCostUsd,
    now,
  };
  const [{ set, draftName }, defaultDecision] = await Promise.all([setToTry(orgId, input.draft), orgDefaultDecision(orgId)]);
  const outcome = await evaluateAgainst(set, orgId, request);
  const target = input.action.type === "delegate" ? await delegateFacts(orgId, input.action.name) : null;
  const weighed = set.applicable(toCedarRequest(request, principal, target), principal.teamName);
  const names = new Map(set.statements.map((statement) => [statement.policyId, statement.policyName]));
  return {
    against: input.draft ? ("draft" as const) : ("enforced" as const),
    effect: outcome.effect,
    decision: finalDecision(outcome.effect, defaultDecision),
    defaultDecision,
    reasons: outcome.reasons,
    policies: outcome.policyIds.map((id) => ({ id, name: id === DRAFT_POLICY_ID ? (draftName ?? "Draft") : (names.get(id) ?? id), isDraft: id === DRAFT_POLICY_ID || id === input.draft?.policyId })),
    weighedStatements: weighed.length,
    totalStatements: set.statements.length,
    hourUtc: now.getUTCHours(),
  };
}

/** The org's last `limit` recorded decisions, newest first. */
function recentDecisions(db: DbOrTx, orgId: AuthorizedOrgId, limit: number) {
  return db.decisionRecord.findMany({
    where: { orgId },
    orderBy: { at: "desc" },
    take: limit,
    select: { id: true, at: true, agentId: true, actionType: true, actionName: true, arguments: true, dataClasses: true, estimatedCostMicros: true, decision: true },
  });
}

type RecordedDecision = Awaited<ReturnType<typeof recentDecisions>>[number];

const isActionType = (value: string): value is ActionType => (ACTION_TYPES as readonly string[]).includes(value);

/** A recorded decision as the policies saw it then: its agent, action, data and estimate, at its time. */
function replayedRequest(record: RecordedDecision & { actionType: ActionType }, agent: PolicyAgent, facts: AgentFacts, target: AgentFacts | null) {
  const args = record.arguments && typeof record.arguments === "object" && !Array.isArray(record.arguments) ? (record.arguments as Record<string, unknown>) : {};
  return toCedarRequest(
    {
      agent: { id: agent.id, name: agent.name, teamId: agent.teamId, teamName: facts.teamName, tags: agent.tags, riskClass: agent.riskClass },
      action: { type: record.actionType, name: record.actionName, arguments: args },
      dataClasses: record.dataClasses,
      estimatedCostUsd: record.estimatedCostMicros === null ? null : microsToUsdString(record.estimatedCostMicros),
      now: record.at,
    },
    facts,
    target,
  );
}

/** Replays the last `limit` decisions against the enforced set and the draft; lists what would change. */
export async function policyImpact(db: DbOrTx, access: AuthorizedOrg, input: { draft: DraftInput; limit: number }) {
  const orgId = access.orgId;
  const change = draftChange(input.draft);
  const [records, current, draft, defaultDecision] = await Promise.all([recentDecisions(db, orgId, input.limit), enforcedPolicySet(orgId), draftPolicySet(orgId, change), orgDefaultDecision(orgId)]);
  const agents = await agentsForPolicies(db, orgId, [...new Set(records.map((record) => record.agentId))]);
  const delegates = new Map<string, AgentFacts>();
  const rows = [];
  let skipped = 0;
  for (const record of records) {
    const agent = agents.get(record.agentId);
    // Team leads replay only their own teams' decisions; agents since deleted cannot be replayed.
    if (!agent || !reachIncludesTeam(access.reach, agent.teamId) || !isActionType(record.actionType)) {
      skipped += 1;
      continue;
    }
    const facts = agentFactsOf(agent);
    let target: AgentFacts | null = null;
    if (record.actionType === "delegate") {
      target = delegates.get(record.actionName) ?? (await delegateFacts(orgId, record.actionName));
      delegates.set(record.actionName, target);
    }
    const request = replayedRequest({ ...record, actionType: record.actionType }, agent, facts, target);
    const now = current.evaluate(request, facts.teamName);
    const next = draft.evaluate(request, facts.teamName);
    rows.push({
      record: { decisionId: record.id, at: record.at, agentName: agent.name, actionType: record.actionType, actionName: record.actionName, recorded: record.decision, draftReasons: next.reasons },
      now: finalDecision(now.effect, defaultDecision),
      draft: finalDecision(next.effect, defaultDecision),
    });
  }
  const { changed, counts } = impactOf(rows);
  return {
    replayed: rows.length,
    skipped,
    counts,
    changed: changed.slice(0, LISTED_CHANGES).map((row) => ({ ...row.record, now: row.now, draft: row.draft })),
    changedTotal: changed.length,
  };
}
