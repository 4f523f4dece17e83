// Scenarios that act, not just report: an agent that calls POST /api/v1/decide itself, to show the
// governance layer stopping it. Each prints what happened and when, for a person watching the demo.
import { AgentryApiError, AgentryClient } from "../../sdk";

export interface DriveContext {
  baseUrl: string;
  agentKeys: Record<string, string>;
  /** The demo logins (demo.json), for scenarios that act as a person through the console's API. */
  users: { email: string; password: string; role: string }[];
  log: (line: string) => void;
  /** Aborted when the run is stopped (Ctrl-C, --duration). */
  signal: AbortSignal;
}

export const RUNAWAY_AGENT = "reconciliation-agent";
export const RUNAWAY_TOOL = "fetch_ledger_entries";
export const RUNAWAY_ARGUMENTS = { account: "4000-REV", period: "2026-11", page: 1 };
/** How often the runaway agent repeats its call: a tight loop, as a recursive agent would. */
const RUNAWAY_INTERVAL_MS = 150;
/** It is given up on (a failure of the demo) when no halt arrives within this. */
const RUNAWAY_DEADLINE_MS = 30_000;

export const BUDGET_AGENT = "doc-classifier";
/** Each classification is estimated (and then costs) this much: 20 of them are the $1 daily cap. */
export const BUDGET_CALL_USD = 0.05;
/** Calls fired at once, to show the cap holds when calls race. */
const BUDGET_WAVE = 8;
const BUDGET_MAX_CALLS = 400;

/** Waits `ms`, or less when the run is stopped. */
export const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

function clientFor(context: DriveContext, agent: string): AgentryClient {
  const apiKey = context.agentKeys[agent];
  if (!apiKey) throw new Error(`demo.json has no key for agent "${agent}"`);
  return new AgentryClient({ baseUrl: context.baseUrl, apiKey, instanceId: `${agent}-scenario`, batchSize: 50, flushIntervalMs: 250 });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * An agent stuck in a loop: the same tool call with the same arguments, over and over, asking
 * decide each time. Loop detection suspends it (a system kill switch, reason loop_detected) without
 * a person; this prints when the halt directive arrived (by the decide answer or the directive stream).
 */
export async function runawayLoop(context: DriveContext): Promise<void> {
  const client = clientFor(context, RUNAWAY_AGENT);
  let started = Date.now();
  let calls = 0;
  let halted: { at: number; via: string; killSwitchId: string | undefined } | null = null;
  const noteHalt = (via: string, reason: string | undefined, killSwitchId: string | undefined) => {
    if (halted || reason !== "loop_detected") return;
    halted = { at: Date.now(), via, killSwitchId };
    context.log(
      `  ⏹ HALT directive for ${RUNAWAY_AGENT} arrived via ${via} ${seconds(halted.at - started)} after the loop started, after ${calls} calls (reason loop_detected, kill switch ${killSwitchId ?? "?"})`,
    );
  };
  const before = await client.heartbeat().catch(() => null);
  if (before?.halt) {
    context.log(`  ✗ ${RUNAWAY_AGENT} is already halted (${before.reason ?? "no reason"}): resume it on the Kill switches page, then run this scenario again.`);
    await client.close();
    return;
  }
  const unsubscribe = client.subscribeDirectives((directives) => {
    if (directives.halt) noteHalt("the directive stream", directives.reason, directives.killSwitchId);
  });
  started = Date.now();
  context.log(`  ↻ ${RUNAWAY_AGENT} starts looping: decide(tool ${RUNAWAY_TOOL} ${JSON.stringify(RUNAWAY_ARGUMENTS)}) every ${RUNAWAY_INTERVAL_MS} ms`);
  try {
    while (!context.signal.aborted && !halted && Date.now() - started < RUNAWAY_DEADLINE_MS) {
      calls += 1;
      try {
        const answer = await client.decide({ action: { type: "tool", name: RUNAWAY_TOOL, arguments: RUNAWAY_ARGUMENTS }, taskId: "runaway-task" });
        const codes = answer.reasons.map((reason) => reason.code).join(", ");
        context.log(`    call ${String(calls).padStart(3)} at ${seconds(Date.now() - started)}: ${answer.decision} (${codes})`);
        if (answer.directives.halt) noteHalt("the decide answer", answer.directives.reason, answer.directives.killSwitchId);
      } catch (error) {
        context.log(`    call ${calls}: ${error instanceof AgentryApiError ? `${error.status} ${error.message}` : (error as Error).message}`);
      }
      if (!halted) await sleep(RUNAWAY_INTERVAL_MS, context.signal);
    }
    if (halted) {
      const answer = await client.decide({ action: { type: "tool", name: RUNAWAY_TOOL, arguments: RUNAWAY_ARGUMENTS } }).catch(() => null);
      if (answer) context.log(`  ✓ while halted, decide answers ${answer.decision} (${answer.reasons.map((reason) => reason.code).join(", ")})`);
      context.log(`  → a person resumes ${RUNAWAY_AGENT} on the Kill switches page (an alert is on the Alerts page and sent to the webhooks).`);
    } else if (!context.signal.aborted) {
      context.log(`  ✗ ${RUNAWAY_AGENT} was NOT halted within ${seconds(RUNAWAY_DEADLINE_MS)} (${calls} calls). Is it already halted or the loop threshold raised?`);
    }
  } finally {
    unsubscribe();
    await client.close();
  }
}

/**
 * doc-classifier spends against its hard $1 daily cap through decide with estimatedCostUsd, in
 * racing waves, and reports the real cost of each allowed call (settling its reservation). Once the
 * cap is reached, decide denies with budget_exhausted; this prints how much was allowed in all.
 */
export async function budgetExhaustion(context: DriveContext): Promise<void> {
  const client = clientFor(context, BUDGET_AGENT);
  const started = Date.now();
  let allowed = 0;
  let calls = 0;
  let firstDenial: { code: string; message: string } | null = null;
  const first = await client.heartbeat().catch(() => null);
  const budget = first?.budget ?? null;
  context.log(
    budget
      ? `  $ ${BUDGET_AGENT}'s tightest budget: limit $${budget.limitUsd}, spent $${budget.spentUsd}, reserved $${budget.reservedUsd}, remaining $${budget.remainingUsd} (until ${budget.periodEnd})`
      : `  $ ${BUDGET_AGENT} reports no budget in its directives`,
  );
  context.log(`  ↻ ${BUDGET_AGENT} classifies documents: decide(model auto, classification, estimatedCostUsd ${BUDGET_CALL_USD}) in waves of ${BUDGET_WAVE}`);
  try {
    while (!context.signal.aborted && !firstDenial && calls < BUDGET_MAX_CALLS) {
      const wave = await Promise.all(
        Array.from({ length: BUDGET_WAVE }, () => {
          calls += 1;
          return client.decide({ action: { type: "model", name: "auto" }, taskType: "classification", estimatedCostUsd: BUDGET_CALL_USD }).catch((error: unknown) => {
            context.log(`    ! ${(error as Error).message}`);
            return null;
          });
        }),
      );
      for (const answer of wave) {
        if (!answer) continue;
        if (answer.decision === "allow") {
          allowed += 1;
          // The call happened: report what it cost, which settles the decision's reservation.
          client.track({ type: "llm_call", model: answer.model?.name, provider: answer.model?.provider, costUsd: BUDGET_CALL_USD, decisionId: answer.decisionId, inputTokens: 1200, outputTokens: 40 });
        } else {
          const reason = answer.reasons.find((candidate) => candidate.code === "budget_exhausted") ?? answer.reasons[0];
          firstDenial ??= { code: reason?.code ?? answer.decision, message: reason?.message ?? "" };
        }
      }
      context.log(`    ${String(calls).padStart(3)} calls at ${seconds(Date.now() - started)}: ${allowed} allowed ($${(allowed * BUDGET_CALL_USD).toFixed(2)})`);
      await client.flush();
    }
    if (firstDenial && firstDenial.code !== "budget_exhausted") {
      context.log(`  ✗ denied for another reason than the budget (${firstDenial.code}): ${firstDenial.message} — does the org have the demo seed's policies and doc-classifier's $1 daily cap?`);
    } else if (firstDenial) {
      context.log(`  ⛔ denied with ${firstDenial.code} after ${allowed} allowed calls ($${(allowed * BUDGET_CALL_USD).toFixed(2)} this run): ${firstDenial.message}`);
      const after = await client.heartbeat().catch(() => null);
      if (after?.budget)
        context.log(`  $ now: spent $${after.budget.spentUsd}, reserved $${after.budget.reservedUsd}, remaining $${after.budget.remainingUsd}; halt: ${after.halt}${after.reason ? ` (${after.reason})` : ""}`);
    } else if (!context.signal.aborted) {
      context.log(`  ✗ ${calls} calls and no denial: is doc-classifier's hard daily cap in place?`);
    }
  } finally {
    await client.close();
  }
}

export const SPIKE_AGENT = "kb-summarizer";
/** The spike: this many model calls in a burst, each at this cost, far above the agent's usual hour. */
export const SPIKE_CALLS = 40;
export const SPIKE_CALL_USD = 0.75;

/**
 * A cost spike: kb-summarizer suddenly makes a burst of expensive model calls (a prompt that pulls
 * whole manuals into context). Anomaly detection judges the hour against the agent's previous week
 * of hours (robust z-score) and raises a cost spike, alerted and listed on the Compliance page.
 */
export async function costSpike(context: DriveContext): Promise<void> {
  const client = clientFor(context, SPIKE_AGENT);
  const started = Date.now();
  try {
    for (let call = 0; call < SPIKE_CALLS && !context.signal.aborted; call++) {
      client.track({
        type: "llm_call",
        model: "gpt-4o-mini",
        provider: "openai",
        inputTokens: 120_000,
        outputTokens: 4_000,
        costUsd: SPIKE_CALL_USD,
        latencyMs: 9_000 + call * 10,
        attributes: { note: "summarising the whole manual at once" },
      });
    }
    await client.flush();
    context.log(`  $ ${SPIKE_AGENT} made ${SPIKE_CALLS} model calls at $${SPIKE_CALL_USD} each ($${(SPIKE_CALLS * SPIKE_CALL_USD).toFixed(2)}) in ${seconds(Date.now() - started)}`);
    context.log("  → anomaly detection raises a cost spike within its next run; see Compliance → Anomalies and the Alerts page.");
  } finally {
    await client.close();
  }
}
