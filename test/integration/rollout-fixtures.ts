// A rollout's world for tests: an agent with a stable and a candidate version, a rollout started
// through the console's procedure, and traffic stored through the real ingest path as a fleet of
// instances running what the assignment gives them.
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { AgentEvent } from "../../server/agent-api/schemas";
import { storeEvents } from "../../server/data/event-store";
import { forgetFacts, orgFacts } from "../../server/data/facts";
import { loadVersionFacts } from "../../server/data/version-facts";
import { getPool } from "../../server/db/pool";
import { versionForUnit } from "../../server/domain/rollout/assign";
import type { GuardConfig, Stage } from "../../server/domain/rollout/schemas";
import { fleetWithArm } from "../fleet";
import { callerFor, testDb, type TestOrg } from "./helpers";

export interface Setup {
  agentId: string;
  stableId: string;
  candidateId: string;
  name: string;
}

export async function agentWithVersions(org: TestOrg, name: string): Promise<Setup> {
  const db = testDb();
  const agent = await db.agent.create({ data: { orgId: org.id, name, teamId: org.leadTeamId } });
  const stable = await db.agentVersion.create({
    data: { orgId: org.id, agentId: agent.id, label: "1.0.0", model: "gpt-test", systemPrompt: "Route tickets.", status: "released", stableFor: agent.id, createdBy: "setup" },
  });
  const candidate = await db.agentVersion.create({
    data: { orgId: org.id, agentId: agent.id, label: "1.1.0", model: "gpt-test", systemPrompt: "Route tickets. Be brief.", status: "released", createdBy: "setup" },
  });
  return { agentId: agent.id, stableId: stable.id, candidateId: candidate.id, name };
}

/**
 * Traffic as a fleet of 20 instances (more if an arm would have fewer than two) would send it: each
 * instance runs the version the rollout assigns it (the decision path's own functions over the
 * stored facts), and the arm's tasks are
 * spread over its instances (every one of them works, as a real fleet does: the sample-ratio check
 * counts the instances heard from). `failRate` of the arm's tasks fail; each has one costed, timed LLM call.
 */
export async function traffic(org: TestOrg, setup: Setup, arm: "stable" | "candidate", count: number, failRate: number, options: { costUsd?: number; latencyMs?: number } = {}) {
  const facts = (await loadVersionFacts(getPool(), org.id)).get(setup.agentId);
  const inArm = (instanceId: string) => (versionForUnit(facts, instanceId)?.id === setup.candidateId) === (arm === "candidate");
  const mine = fleetWithArm(inArm, (n) => `${setup.name}-${n}`).filter(inArm);
  expect(mine.length).toBeGreaterThan(0);
  expect(count).toBeGreaterThanOrEqual(mine.length);
  const version = arm === "candidate" ? "1.1.0" : "1.0.0";
  const events: AgentEvent[] = [];
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const taskId = `${version}-${randomUUID()}`;
    const instanceId = mine[i % mine.length] ?? "";
    const failed = i < Math.round(count * failRate);
    const at = (offset: number) => new Date(now + offset).toISOString();
    const base = { taskId, instanceId, version };
    events.push({ id: `${taskId}-s`, type: "task_start", timestamp: at(0), ...base });
    events.push({
      id: `${taskId}-l`,
      type: "llm_call",
      timestamp: at(1),
      model: "gpt-test",
      costUsd: (options.costUsd ?? 0.002) * (0.8 + (0.4 * ((i * 7) % 10)) / 10),
      latencyMs: Math.round((options.latencyMs ?? 600) * (0.7 + (0.6 * ((i * 13) % 10)) / 10)),
      status: failed ? "error" : "ok",
      ...base,
    });
    events.push({ id: `${taskId}-e`, type: "task_end", timestamp: at(2), status: failed ? "failed" : "ok", ...base });
  }
  for (let from = 0; from < events.length; from += 500) {
    const chunk = events.slice(from, from + 500);
    forgetFacts(org.id);
    const facts = await orgFacts(org.id);
    const result = await storeEvents({ orgId: org.id, agent: facts.agents.get(setup.agentId) ?? null, facts, valid: chunk.map((event, index) => ({ index, event })) });
    expect(result.accepted).toBe(chunk.length);
  }
}

export const ERROR_GUARD: GuardConfig[] = [{ metric: "error_rate", thresholdPercent: 20, enabled: true }];
export const stages = (...list: [number, number][]): Stage[] => list.map(([percent, minSamples]) => ({ percent, minDwellMinutes: 0, minSamples }));

export async function startRollout(
  org: TestOrg,
  setup: Setup,
  settings: { stages: Stage[]; guards?: GuardConfig[]; onBreach?: "pause" | "rollback"; autoAdvance?: boolean; requireApproval?: boolean; as?: string },
) {
  const caller = callerFor(settings.as ?? org.users.team_lead.userId);
  return caller.rollouts.start({
    orgId: org.id,
    agentId: setup.agentId,
    candidateId: setup.candidateId,
    stages: settings.stages,
    guards: settings.guards ?? ERROR_GUARD,
    onBreach: settings.onBreach ?? "rollback",
    autoAdvance: settings.autoAdvance ?? true,
    requireApproval: settings.requireApproval ?? false,
    reason: "canary of 1.1.0",
  });
}

export async function ledger(org: TestOrg, agentId: string) {
  return testDb().releaseEvent.findMany({ where: { orgId: org.id, agentId }, orderBy: { seq: "asc" } });
}
