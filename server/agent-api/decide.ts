// POST /api/v1/decide: an agent asks before it acts and gets one answer. The path, once each and in
// order: the route (server.ts) → the key (auth.ts) → the org's facts (data/facts.ts, in memory) →
// the judgement and verdict (domain/decide, pure) → the commit (data/decisions.ts, one transaction
// shared with the decisions arriving alongside) → the answer, built here. Nothing is answered
// before it is durable.
import "server-only";
import { randomUUID } from "node:crypto";
import { commitDecision } from "../data/decisions";
import { directivesOf } from "../domain/decide/directives";
import { judge } from "../domain/decide/judge";
import type { AgentProfile, OrgFacts } from "../domain/decide/types";
import type { AgentPrincipal } from "./auth";
import { ApiError } from "./http";
import type { DecideRequest, DecideResponse } from "./schemas";

export async function decide(
  principal: AgentPrincipal,
  facts: OrgFacts,
  agent: AgentProfile,
  request: DecideRequest,
  { startedAt = performance.now(), at = new Date() }: { startedAt?: number; at?: Date } = {},
): Promise<DecideResponse> {
  const judged = judge(facts, agent, request, at);
  if (!judged.ok) throw new ApiError("invalid_request", judged.message, [{ path: judged.path, message: judged.message }]);
  const decisionId = randomUUID();
  const committed = await commitDecision({
    decisionId,
    orgId: principal.orgId,
    agent,
    request,
    judgement: judged.judgement,
    redactedArguments: judged.redactedArguments,
    at,
    startedAt,
    versionId: judged.judgement.recordedVersionId,
  });
  const { outcome, loopSwitch } = committed;
  // A switch engaged by this very decision is not in these facts: its directives must say so.
  const seen = loopSwitch && !facts.switches.some((sw) => sw.id === loopSwitch.id) ? { ...facts, switches: [...facts.switches, loopSwitch] } : facts;
  const { version, versionWarning } = judged.judgement;
  const retiredWithNowhereToGo = outcome.reasons[0]?.code === "retired" && agent.status !== "archived" && version === null;
  return {
    decision: outcome.decision,
    decisionId,
    reasons: outcome.reasons,
    ...(committed.approvalId ? { approvalId: committed.approvalId } : {}),
    ...(outcome.model ? { model: outcome.model } : {}),
    ...(version ? { version } : {}),
    directives: directivesOf(seen, agent, committed.budgets, at, { version, warning: versionWarning, retiredWithNowhereToGo }),
  };
}
