// The lifecycle's rules, pure: which version transitions and rollout actions are allowed, and the
// message a person sees when one is not. The data layer asks these inside its transaction and the
// database's constraints back them up.
import { canonicalJson } from "../audit/canonical-json";
import type { VersionStatus } from "./assign";
import type { GuardMetric, Stage } from "./schemas";

export interface VersionState {
  id: string;
  label: string;
  status: VersionStatus;
  stable: boolean;
}

export interface VersionContent {
  model: string | null;
  systemPrompt: string;
  tools: readonly string[];
  config: unknown;
}

/** A refusal: the reason a person reads in the form. */
export type Refusal = { ok: false; message: string };
export type Check = { ok: true } | Refusal;
const ok: Check = { ok: true };
const no = (message: string): Refusal => ({ ok: false, message });

/** The versions an active rollout holds (they may not be deprecated, retired or made stable meanwhile). */
export interface ActiveRolloutRef {
  fromVersionId: string;
  toVersionId: string;
  toLabel: string;
}

export function checkEdit(version: VersionState): Check {
  if (version.status !== "draft") return no(`Version ${version.label} is ${version.status}: released versions are immutable. Create a new version instead.`);
  return ok;
}

export function checkRelease(version: VersionState): Check {
  if (version.status !== "draft") return no(`Version ${version.label} is already ${version.status}.`);
  return ok;
}

export function checkDeprecate(version: VersionState, active: ActiveRolloutRef | null): Check {
  if (version.status !== "released") return no(`Only released versions can be deprecated; ${version.label} is ${version.status}.`);
  if (version.stable) return no(`Version ${version.label} is the stable version: make another version stable (or roll one out) before deprecating it.`);
  if (active && (active.fromVersionId === version.id || active.toVersionId === version.id)) {
    return no(`Version ${version.label} is part of the running rollout to ${active.toLabel}: finish or roll it back first.`);
  }
  return ok;
}

export function checkRetire(version: VersionState, active: ActiveRolloutRef | null): Check {
  if (version.status !== "released" && version.status !== "deprecated") return no(`Only released or deprecated versions can be retired; ${version.label} is ${version.status}.`);
  if (version.stable) return no(`Version ${version.label} is the stable version: make another version stable before retiring it.`);
  if (active && (active.fromVersionId === version.id || active.toVersionId === version.id)) {
    return no(`Version ${version.label} is part of the running rollout to ${active.toLabel}: finish or roll it back first.`);
  }
  return ok;
}

/** Reverting to (or choosing) a version as the stable one, outside a rollout. */
export function checkMakeStable(version: VersionState, active: ActiveRolloutRef | null): Check {
  if (version.stable) return no(`Version ${version.label} is already the stable version.`);
  if (version.status === "draft") return no(`Version ${version.label} is a draft: release it first.`);
  if (version.status === "retired") return no(`Version ${version.label} is retired and cannot run again. Create a new version from it instead.`);
  if (active) return no(`A rollout to ${active.toLabel} is running: roll it back or finish it before changing the stable version.`);
  return ok;
}

function sortedTools(tools: readonly string[]): string[] {
  return [...tools].sort();
}

/** Same model, prompt, tools (in any order) and configuration: nothing would change for the agent. */
export function sameContent(a: VersionContent, b: VersionContent): boolean {
  return (
    (a.model ?? "") === (b.model ?? "") &&
    a.systemPrompt === b.systemPrompt &&
    canonicalJson(sortedTools(a.tools)) === canonicalJson(sortedTools(b.tools)) &&
    canonicalJson(a.config ?? {}) === canonicalJson(b.config ?? {})
  );
}

export function checkStartRollout(input: { stable: (VersionState & VersionContent) | null; candidate: VersionState & VersionContent; active: ActiveRolloutRef | null }): Check {
  const { stable, candidate, active } = input;
  if (active) return no(`A rollout to ${active.toLabel} is already running for this agent: finish it, roll it back, or wait before starting another.`);
  if (!stable) return no("The agent has no stable version yet: release a version first (the first release becomes stable).");
  if (candidate.id === stable.id) return no(`Version ${candidate.label} is already the stable version.`);
  if (candidate.status === "draft") return no(`Version ${candidate.label} is a draft: release it before rolling it out.`);
  if (candidate.status === "retired") return no(`Version ${candidate.label} is retired and cannot be rolled out.`);
  if (candidate.status === "deprecated") return no(`Version ${candidate.label} is deprecated: roll out a released version.`);
  if (sameContent(candidate, stable)) {
    return no(`Version ${candidate.label} is identical to the stable version ${stable.label} (same model, prompt, tools and configuration): there is nothing to roll out.`);
  }
  return ok;
}

// ---------------------------------------------------------------------------------------------
// Operator controls on a rollout.

export type RolloutStatus = "running" | "paused" | "completed" | "rolled_back";

export interface RolloutControlState {
  status: RolloutStatus;
  stages: readonly Stage[];
  stageIndex: number;
  requireApproval: boolean;
  approvedBy: string | null;
  createdBy: string;
  guards: readonly { metric: GuardMetric; enabled: boolean }[];
  skippedGuards: readonly string[];
}

const ended = (state: RolloutControlState) => state.status === "completed" || state.status === "rolled_back";
const endedMessage = (state: RolloutControlState) =>
  state.status === "completed" ? "This rollout is complete: its candidate already serves 100 %, and there is no stage past 100 %." : "This rollout was rolled back; start a new one.";

/** Whether moving to the next stage needs an approval that is missing. */
export function approvalMissing(state: RolloutControlState, nextIndex: number): boolean {
  const next = state.stages[nextIndex];
  return next !== undefined && next.percent === 100 && state.requireApproval && !state.approvedBy;
}

export function checkPromote(state: RolloutControlState): Check {
  if (ended(state)) return no(endedMessage(state));
  if (state.status === "paused") return no("This rollout is paused: resume it before promoting.");
  const next = state.stageIndex + 1;
  if (next >= state.stages.length) return no("There is no stage past 100 %.");
  if (approvalMissing(state, next)) return no("Going to 100 % needs a second person's approval first.");
  return ok;
}

export function checkHold(state: RolloutControlState): Check {
  if (ended(state)) return no(endedMessage(state));
  if (state.status === "paused") return no("This rollout is already paused.");
  return ok;
}

export function checkResume(state: RolloutControlState): Check {
  if (ended(state)) return no(endedMessage(state));
  if (state.status !== "paused") return no("This rollout is not paused.");
  return ok;
}

export function checkRollback(state: RolloutControlState): Check {
  if (ended(state)) return no(endedMessage(state));
  return ok;
}

export function checkSkipGuard(state: RolloutControlState, metric: GuardMetric): Check {
  if (ended(state)) return no(endedMessage(state));
  const guard = state.guards.find((candidate) => candidate.metric === metric);
  if (!guard || !guard.enabled) return no("That guard is not enabled on this rollout.");
  if (state.skippedGuards.includes(metric)) return no("That guard is already skipped for this stage.");
  return ok;
}

export function checkApprove(state: RolloutControlState, approver: string): Check {
  if (ended(state)) return no(endedMessage(state));
  if (!state.requireApproval) return no("This rollout does not ask for a second approval.");
  if (state.approvedBy) return no(`Already approved by ${state.approvedBy}.`);
  if (approver.toLowerCase() === state.createdBy.toLowerCase()) return no("The second approval must come from someone other than the person who started the rollout.");
  return ok;
}
