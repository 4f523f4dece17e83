// The demo org's lifecycle (docs/demo.md): ticket-router has two released versions
// (2.1.0 stable, 2.2.0 its candidate), an older deprecated one (2.0.3), and a running canary of
// 2.2.0 at 10 % of its instances. One plan serves both the rows seeded here and the history's
// events (scripts/simulate/history.ts), so each instance's events carry the version the rollout
// really assigned it at that time.
import type { Tx } from "../../server/db";
import { appendAudit, type AuditActor } from "../../server/data/audit";
import { inCandidate } from "../../server/domain/rollout/assign";
import { DEFAULT_GUARDS, type Stage } from "../../server/domain/rollout/schemas";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const PROMPT_2_0 = `You route incoming IT service-desk tickets.
Read the ticket and pick one queue: access, hardware, network, software or security.
Reply with the queue name only.`;

const PROMPT_2_1 = `You route incoming IT service-desk tickets.
Read the ticket and the requester's department.
Pick exactly one queue: access, hardware, network, software or security.
Printer and scanner problems go to hardware.
Reply with the queue name only.`;

const PROMPT_2_2 = `You route incoming IT service-desk tickets.
Read the ticket, the requester's department and related knowledge-base articles.
Pick exactly one queue: access, hardware, network, software or security.
Printer and scanner problems go to hardware.
Anything mentioning phishing or a lost device goes to security, whatever else it says.
Reply with the queue name only.`;

export const TICKET_ROUTER_LIFECYCLE = {
  agent: "ticket-router",
  /** The fleet's instances: ticket-router-1 … ticket-router-20. */
  instances: 20,
  /** Fixed so the demo is the same on every machine: at 10 % it puts ticket-router-3 and -8 on the candidate. */
  salt: "acme-ticket-router-2.2.0-14",
  versions: [
    {
      label: "2.0.3",
      model: "gpt-5-nano",
      systemPrompt: PROMPT_2_0,
      tools: ["ticket_read", "ticket_assign"],
      config: { temperature: 0 },
      notes: "The first router.",
      releasedDaysAgo: 40,
      deprecatedDaysAgo: 12,
    },
    {
      label: "2.1.0",
      model: "gpt-5-nano",
      systemPrompt: PROMPT_2_1,
      tools: ["ticket_read", "ticket_assign", "kb_search"],
      config: { temperature: 0 },
      notes: "Department-aware routing; printers to hardware.",
      releasedDaysAgo: 12,
    },
    {
      label: "2.2.0",
      model: "gpt-5-nano",
      systemPrompt: PROMPT_2_2,
      tools: ["ticket_read", "ticket_assign", "kb_search"],
      config: { temperature: 0, kb_articles: 3 },
      notes: "Reads knowledge-base articles; security keywords win.",
      releasedDaysAgo: 3,
    },
  ],
  /** 2.1.0 replaced 2.0.3 this long ago (a direct switch, before rollouts were used). */
  stableSinceDaysAgo: 12,
  rollout: {
    startedHoursAgo: 50,
    /** No instance fell in the 1 % bucket, so a person promoted to 10 % by hand. */
    tenPercentHoursAgo: 26,
    stages: [
      { percent: 1, minDwellMinutes: 60, minSamples: 20 },
      { percent: 10, minDwellMinutes: 24 * 60, minSamples: 100 },
      { percent: 50, minDwellMinutes: 12 * 60, minSamples: 300 },
      { percent: 100, minDwellMinutes: 0, minSamples: 0 },
    ] satisfies Stage[],
  },
} as const;

export const TICKET_ROUTER_INSTANCES = Array.from({ length: TICKET_ROUTER_LIFECYCLE.instances }, (_, n) => `ticket-router-${n + 1}`);

/** The version label a ticket-router instance ran at `at`, for a demo seeded at `now`. */
export function ticketRouterVersionAt(instanceId: string, at: Date, now: Date): string {
  const plan = TICKET_ROUTER_LIFECYCLE;
  const ago = now.getTime() - at.getTime();
  if (ago > plan.stableSinceDaysAgo * DAY_MS) return "2.0.3";
  if (ago > plan.rollout.startedHoursAgo * HOUR_MS) return "2.1.0";
  const percent = ago > plan.rollout.tenPercentHoursAgo * HOUR_MS ? 1 : 10;
  return inCandidate(plan.salt, instanceId, percent) ? "2.2.0" : "2.1.0";
}

/** Seeds the versions, the running canary and their ledger (with the times they happened), inside the demo seed's transaction. */
export async function seedLifecycle(tx: Tx, input: { orgId: string; agentIds: Map<string, string>; teamIds: Map<string, string>; system: AuditActor; now: Date }): Promise<void> {
  const plan = TICKET_ROUTER_LIFECYCLE;
  const agentId = input.agentIds.get(plan.agent);
  if (!agentId) return;
  const agent = await tx.agent.findUniqueOrThrow({ where: { id: agentId }, select: { teamId: true } });
  const ago = (ms: number) => new Date(input.now.getTime() - ms);
  const people = { lead: "owner@acme.test" };

  const ids = new Map<string, string>();
  for (const version of plan.versions) {
    const created = await tx.agentVersion.create({
      data: {
        orgId: input.orgId,
        agentId,
        label: version.label,
        model: version.model,
        systemPrompt: version.systemPrompt,
        tools: [...version.tools],
        config: version.config,
        notes: version.notes,
        // Created as drafts, then moved along their lifecycle below (the database allows only forward moves).
        status: "draft",
        createdBy: people.lead,
        createdAt: ago(version.releasedDaysAgo * DAY_MS + HOUR_MS),
      },
    });
    ids.set(version.label, created.id);
  }
  const id = (label: string) => ids.get(label) ?? "";
  const release = (label: string, daysAgo: number) => tx.agentVersion.update({ where: { id: id(label) }, data: { status: "released", releasedAt: ago(daysAgo * DAY_MS), releasedBy: people.lead } });
  for (const version of plan.versions) await release(version.label, version.releasedDaysAgo);
  await tx.agentVersion.update({ where: { id: id("2.0.3") }, data: { status: "deprecated", deprecatedAt: ago(12 * DAY_MS) } });
  await tx.agentVersion.update({ where: { id: id("2.1.0") }, data: { stableFor: agentId } });
  await tx.agent.update({ where: { id: agentId }, data: { version: "2.1.0" } });

  const rollout = await tx.rollout.create({
    data: {
      orgId: input.orgId,
      agentId,
      teamId: agent.teamId,
      fromVersionId: id("2.1.0"),
      toVersionId: id("2.2.0"),
      salt: plan.salt,
      status: "running",
      activeFor: agentId,
      stages: plan.rollout.stages,
      // ticket-router acts without asking decide, so it has no decisions to judge a denial rate on.
      guards: DEFAULT_GUARDS.map((guard) => (guard.metric === "denial_rate" ? { ...guard, enabled: false } : guard)),
      onBreach: "rollback",
      autoAdvance: false,
      requireApproval: true,
      stageIndex: 1,
      stageStartedAt: ago(plan.rollout.tenPercentHoursAgo * HOUR_MS),
      // No instance was in the candidate at 1 %: the 10 % stage counts its samples from zero.
      stageBaseline: { candidate: { error_rate: 0, cost_per_task: 0, latency_p95: 0, denial_rate: 0 }, stable: { error_rate: 0, cost_per_task: 0, latency_p95: 0, denial_rate: 0 } },
      createdBy: people.lead,
      createdAt: ago(plan.rollout.startedHoursAgo * HOUR_MS),
    },
  });

  // The ledger, oldest first (its order is the order of insertion).
  const line = (data: { kind: string; at: Date; reason: string; from?: string; to?: string; fromPercent?: number; toPercent?: number; rollout?: boolean; actor?: string }) =>
    tx.releaseEvent.create({
      data: {
        orgId: input.orgId,
        agentId,
        rolloutId: data.rollout ? rollout.id : null,
        kind: data.kind,
        actorType: "user",
        actorLabel: data.actor ?? people.lead,
        at: data.at,
        reason: data.reason,
        fromVersionId: data.from ? id(data.from) : null,
        toVersionId: data.to ? id(data.to) : null,
        fromPercent: data.fromPercent ?? null,
        toPercent: data.toPercent ?? null,
      },
    });
  await line({ kind: "version_released", at: ago(40 * DAY_MS), reason: "First router version", to: "2.0.3" });
  await line({ kind: "stable_changed", at: ago(40 * DAY_MS), reason: "First release of the agent", to: "2.0.3", toPercent: 100 });
  await line({ kind: "version_released", at: ago(12 * DAY_MS + HOUR_MS), reason: "Department-aware routing", to: "2.1.0" });
  await line({ kind: "stable_changed", at: ago(12 * DAY_MS), reason: "Printer tickets were landing in the software queue", from: "2.0.3", to: "2.1.0", toPercent: 100 });
  await line({ kind: "version_deprecated", at: ago(12 * DAY_MS), reason: "Replaced by 2.1.0", from: "2.0.3" });
  await line({ kind: "version_released", at: ago(3 * DAY_MS), reason: "Knowledge-base lookups and security keywords", to: "2.2.0" });
  await line({ kind: "rollout_started", at: ago(plan.rollout.startedHoursAgo * HOUR_MS), reason: "Canary of 2.2.0", from: "2.1.0", to: "2.2.0", fromPercent: 0, toPercent: 1, rollout: true });
  await line({
    kind: "stage_advanced",
    at: ago(plan.rollout.tenPercentHoursAgo * HOUR_MS),
    reason: "No instance fell in the 1 % bucket after a day; promoting to 10 % to get evidence",
    from: "2.1.0",
    to: "2.2.0",
    fromPercent: 1,
    toPercent: 10,
    rollout: true,
  });

  await appendAudit(tx, input.orgId, input.system, {
    action: "lifecycle.seeded",
    targetType: "agent",
    targetId: agentId,
    teamId: agent.teamId,
    after: { agent: plan.agent, versions: plan.versions.map((version) => version.label), stable: "2.1.0", rollout: { candidate: "2.2.0", percent: 10 } },
  });
}
