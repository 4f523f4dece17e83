// Rollout scenarios: an agent's fleet of 20 instances follows the version Agentry directs each one
// to run (heartbeats every 2 s), and reports its tasks under that version. A person's steps (a new
// candidate version, its release, the rollout) go through the console's API as the demo owner;
// what happens next is the guards' doing, with no click:
//   - canary-rollback: the candidate fails far more often than stable; its error-rate guard breaches
//     and the rollout is rolled back (or paused, if that rollout says so) on its own;
//   - canary-promotion: the candidate works as well as stable; the guards hold, and the rollout
//     advances stage by stage to 100 %, where the candidate becomes stable.
import { AgentryClient } from "../../sdk";
import { SEED_AGENTS } from "../../prisma/seed/agents";
import type { GuardConfig, Stage } from "../../server/domain/rollout/schemas";
import { signIn, type ConsoleSession } from "./console";
import { sleep, type DriveContext } from "./drives";
import { createRng } from "./prng";
import { generateTask, profileFor } from "./traffic";

export const ROLLBACK_AGENT = "ticket-router";
export const PROMOTION_AGENT = "invoice-extractor";

interface VersionRow {
  id: string;
  label: string;
  status: string;
  stable: boolean;
  model: string | null;
  systemPrompt: string;
  tools: string[];
  config: Record<string, unknown>;
}

interface RolloutRow {
  id: string;
  status: string;
  percent: number;
  stageIndex: number;
  endedReason: string | null;
  pausedReason: string | null;
  to: { id: string; label: string };
  from: { id: string; label: string };
  lastEvaluation: { guards: { label: string; state: string; candidate: { n: number } }[]; decision: { kind: string; explanation: string } } | null;
}

interface Plan {
  agent: string;
  /** Chance that one call of a task on the candidate fails (stable keeps its usual rate). */
  candidateErrorRate: number | null;
  rollout: { stages: Stage[]; guards: GuardConfig[]; onBreach: "pause" | "rollback"; reason: string };
  /** Use the agent's running rollout when it has one (the demo's 10 % canary). */
  useRunning: boolean;
  /** The run ends when the rollout reaches one of these. */
  endsAt: string[];
  deadlineMs: number;
}

const GUARDS_WITHOUT_DECISIONS: GuardConfig[] = [
  { metric: "error_rate", thresholdPercent: 20, enabled: true },
  { metric: "cost_per_task", thresholdPercent: 25, enabled: true },
  { metric: "latency_p95", thresholdPercent: 25, enabled: true },
  // These agents act without asking decide: no decisions to judge a denial rate on.
  { metric: "denial_rate", thresholdPercent: 50, enabled: false },
];

async function ownerSession(context: DriveContext): Promise<ConsoleSession> {
  const owner = context.users.find((user) => user.role === "owner");
  if (!owner) throw new Error("demo.json has no owner login");
  return signIn(context.baseUrl, owner.email, owner.password);
}

/** The agent's running rollout, or a new one of a fresh candidate made from its stable version. */
async function prepareRollout(session: ConsoleSession, agentId: string, agentName: string, plan: Plan, log: (line: string) => void): Promise<RolloutRow> {
  const orgId = session.orgId;
  const current = await session.query<{ versions: VersionRow[]; activeRollout: RolloutRow | null }>("versions.list", { orgId, agentId });
  const { activeRollout } = current;
  let { versions } = current;
  if (activeRollout && plan.useRunning) {
    log(`  ↪ using the running rollout of ${agentName}: ${activeRollout.from.label} → ${activeRollout.to.label} at ${activeRollout.percent} %`);
    return activeRollout;
  }
  if (activeRollout) {
    throw new Error(`${agentName} already has a running rollout (${activeRollout.from.label} → ${activeRollout.to.label}); finish or roll it back on the Rollouts page first`);
  }
  let stable = versions.find((version) => version.stable);
  if (!stable) {
    const agent = await session.query<{ version: string | null; models: string[]; tools: string[]; description: string }>("agents.get", { orgId, agentId });
    const created = await session.mutate<{ id: string }>("versions.create", {
      orgId,
      agentId,
      label: agent.version ?? "1.0.0",
      model: agent.models[0] ?? null,
      systemPrompt: agent.description || `You are ${agentName}.`,
      tools: agent.tools,
      config: { temperature: 0 },
      notes: "What the agent ran before versions were recorded.",
    });
    await session.mutate("versions.release", { orgId, versionId: created.id, reason: "Recording what runs today as the first version" });
    log(`  ✓ recorded ${agentName}'s current setup as version ${agent.version ?? "1.0.0"} (stable)`);
    ({ versions } = await session.query<{ versions: VersionRow[]; activeRollout: RolloutRow | null }>("versions.list", { orgId, agentId }));
    stable = versions.find((version) => version.stable);
    if (!stable) throw new Error("no stable version after the first release");
  }
  const label = `${stable.label.replace(/\+sim\d+$/, "")}+sim${Date.now() % 1_000_000}`;
  const candidate = await session.mutate<{ id: string }>("versions.create", {
    orgId,
    agentId,
    label,
    model: stable.model,
    systemPrompt: `${stable.systemPrompt}\nWhen unsure, say so in one short sentence.`,
    tools: stable.tools,
    config: stable.config,
    notes: "Made by the simulator's rollout scenario.",
  });
  await session.mutate("versions.release", { orgId, versionId: candidate.id, reason: "Candidate for a staged rollout (simulator)" });
  const started = await session.mutate<{ id: string }>("rollouts.start", {
    orgId,
    agentId,
    candidateId: candidate.id,
    stages: plan.rollout.stages,
    guards: plan.rollout.guards,
    onBreach: plan.rollout.onBreach,
    autoAdvance: true,
    requireApproval: false,
    reason: plan.rollout.reason,
  });
  log(`  ✓ released ${label} and started its rollout over ${stable.label}: ${plan.rollout.stages.map((stage) => `${stage.percent} %`).join(" → ")}`);
  const listed = await session.query<{ active: RolloutRow[] }>("rollouts.list", { orgId, agentId });
  const rollout = listed.active.find((row) => row.id === started.id);
  if (!rollout) throw new Error("the new rollout is not listed");
  return rollout;
}

async function runCanary(context: DriveContext, plan: Plan): Promise<void> {
  const { log, signal } = context;
  const apiKey = context.agentKeys[plan.agent];
  if (!apiKey) throw new Error(`demo.json has no key for agent "${plan.agent}"`);
  const session = await ownerSession(context);
  const agents = await session.query<{ id: string; name: string }[]>("agents.list", { orgId: session.orgId, search: plan.agent });
  const agent = agents.find((row) => row.name === plan.agent);
  if (!agent) throw new Error(`no agent named ${plan.agent}`);
  const rollout = await prepareRollout(session, agent.id, plan.agent, plan, log);

  const seed = SEED_AGENTS.find((row) => row.name === plan.agent);
  if (!seed) throw new Error(`${plan.agent} is not a demo agent`);
  const profile = profileFor(seed);
  const instances = Array.from({ length: 20 }, (_, n) => `${plan.agent}-${n + 1}`);
  const client = new AgentryClient({ baseUrl: context.baseUrl, apiKey, instanceId: instances[0], batchSize: 200, flushIntervalMs: 500 });
  const rng = createRng(Date.now() % 2 ** 31);
  const started = Date.now();
  let candidateTasks = 0;
  let lastSummary = "";

  const beat = async () => {
    await Promise.all(instances.map((instanceId) => client.heartbeat({ instanceId, status: "ok" }).catch(() => undefined)));
  };
  await beat();
  const onCandidate = () => instances.filter((instanceId) => client.directedVersion(instanceId)?.id === rollout.to.id);
  log(`  ⇢ ${onCandidate().length} of ${instances.length} instances are directed to ${rollout.to.label}: ${onCandidate().join(", ") || "none yet"}`);
  if (client.directedVersion(instances[0] ?? "") === undefined) {
    log("  ✗ heartbeats carry no version: this server does not direct versions yet, so instances cannot follow the rollout.");
    await client.close();
    return;
  }

  let beatAt = Date.now();
  let watchAt = Date.now();
  let turn = 0;
  let outcome: RolloutRow | null = null;
  try {
    while (!signal.aborted && Date.now() - started < plan.deadlineMs) {
      // About 8 tasks a second, spread over the fleet; each instance reports the version it runs.
      for (let k = 0; k < 2; k++) {
        const instanceId = instances[turn++ % instances.length] ?? "";
        const version = client.runningVersion(instanceId) ?? seed.version;
        const isCandidate = version === rollout.to.label;
        if (isCandidate) candidateTasks++;
        const errorRate = isCandidate && plan.candidateErrorRate !== null ? plan.candidateErrorRate : profile.errorRate;
        for (const event of generateTask(rng, profile, { end: new Date(), instanceId, version, errorRate })) client.track(event);
      }
      if (Date.now() - beatAt >= 2000) {
        beatAt = Date.now();
        void beat();
      }
      if (Date.now() - watchAt >= 3000) {
        watchAt = Date.now();
        const listed = await session.query<{ active: RolloutRow[]; past: RolloutRow[] }>("rollouts.list", { orgId: session.orgId, agentId: agent.id });
        const current = [...listed.active, ...listed.past].find((row) => row.id === rollout.id);
        if (current) {
          const guards = current.lastEvaluation?.guards.map((guard) => `${guard.label.toLowerCase()} ${guard.state}`).join(", ") ?? "not evaluated yet";
          const summary = `${current.status} at ${current.percent} % · ${guards}`;
          if (summary !== lastSummary) {
            lastSummary = summary;
            log(`    ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s  ${summary}  (${candidateTasks} tasks on ${rollout.to.label} so far)`);
          }
          if (plan.endsAt.includes(current.status)) {
            outcome = current;
            break;
          }
        }
      }
      await sleep(250, signal);
    }
    await client.flush();
    if (outcome) {
      await beat();
      const still = onCandidate().length;
      const reason = outcome.endedReason ?? outcome.pausedReason ?? "";
      if (outcome.status === "rolled_back" || outcome.status === "paused") {
        log(`  ⛔ ${rollout.to.label} was ${outcome.status === "paused" ? "paused" : "rolled back"} by its guards, with no click, after ${((Date.now() - started) / 1000).toFixed(0)} s: ${reason}`);
      } else {
        log(`  ✓ ${rollout.to.label} reached 100 % and is now the stable version, after ${((Date.now() - started) / 1000).toFixed(0)} s: ${reason}`);
      }
      log(`  ⇢ instances now directed to ${rollout.to.label}: ${still} of ${instances.length}. The Rollouts page and ${plan.agent}'s Timeline show it; an alert is on the Alerts page.`);
    } else if (!signal.aborted) {
      log(`  ✗ the rollout did not ${plan.endsAt.join(" or ")} within ${plan.deadlineMs / 1000} s (last: ${lastSummary || "no evaluation"}). Is the app evaluating rollouts?`);
    }
  } finally {
    await client.close();
  }
}

/** A worse candidate (a third of its tasks' calls fail) is stopped by its error-rate guard alone. */
export function canaryRollback(context: DriveContext): Promise<void> {
  return runCanary(context, {
    agent: ROLLBACK_AGENT,
    candidateErrorRate: 0.3,
    useRunning: true,
    rollout: {
      stages: [
        { percent: 20, minDwellMinutes: 2, minSamples: 60 },
        { percent: 50, minDwellMinutes: 2, minSamples: 60 },
        { percent: 100, minDwellMinutes: 0, minSamples: 0 },
      ],
      guards: GUARDS_WITHOUT_DECISIONS,
      onBreach: "rollback",
      reason: "Simulator: a candidate that fails more often",
    },
    endsAt: ["rolled_back", "paused", "completed"],
    deadlineMs: 8 * 60_000,
  });
}

/** A good candidate advances through its stages on evidence and becomes stable at 100 %. */
export function canaryPromotion(context: DriveContext): Promise<void> {
  return runCanary(context, {
    agent: PROMOTION_AGENT,
    candidateErrorRate: null,
    useRunning: false,
    rollout: {
      stages: [
        { percent: 25, minDwellMinutes: 1, minSamples: 40 },
        { percent: 50, minDwellMinutes: 1, minSamples: 40 },
        { percent: 100, minDwellMinutes: 0, minSamples: 0 },
      ],
      guards: GUARDS_WITHOUT_DECISIONS,
      onBreach: "pause",
      reason: "Simulator: a candidate as good as stable",
    },
    endsAt: ["completed", "rolled_back", "paused"],
    deadlineMs: 10 * 60_000,
  });
}
