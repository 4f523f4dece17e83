// How lifecycle data reads in the console: guard values in their units, rollout phases, stage
// progress, ledger lines. Pure, unit-tested.
import { formatMicroUsd } from "@/components/ui/format";
import type { GuardMetric } from "@/server/domain/rollout/schemas";

export type Tone = "neutral" | "good" | "warn" | "bad" | "info";

/** A guard's value in its unit: rates as percentages, cost per task as money, latency in ms. */
export function formatGuardValue(metric: GuardMetric, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  switch (metric) {
    case "error_rate":
    case "denial_rate":
      return `${(value * 100).toFixed(value < 0.1 ? 2 : 1)} %`;
    case "cost_per_task":
      // The mean of integer micro-dollars, rounded to a micro-dollar; below a cent, every micro-dollar shows.
      return value < 10_000 ? `$0.${Math.round(value).toString().padStart(6, "0")}` : formatMicroUsd(BigInt(Math.round(value)), { precise: true });
    case "latency_p95":
      return `${Math.round(value).toLocaleString("en-US")} ms`;
  }
}

/**
 * Said when no instance has hashed into the candidate's share yet: each instance's id decides its
 * version, so a small share of a small fleet can hold none, and the guards then wait for samples.
 */
export function emptyShareHint(percent: number, seen: number, label: string): string | null {
  if (percent >= 100 || seen === 0) return null;
  const expected = (percent / 100) * seen;
  const about = expected < 1 ? "fewer than one" : `about ${Math.round(expected)}`;
  return `None of ${seen} yet: at ${percent} %, expect ${about} on ${label}. Each instance's id decides its version; the guards wait for samples until one lands on it (promote to take a larger share).`;
}

/** A relative difference as a signed percentage ("+12.3 %", "−4.0 %"). */
export function formatRelative(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  const percent = value * 100;
  const sign = percent > 0.05 ? "+" : percent < -0.05 ? "−" : "";
  return `${sign}${Math.abs(percent).toFixed(1)} %`;
}

export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined) return "—";
  if (p >= 0.9995) return "1";
  if (p >= 0.001) return p.toFixed(3);
  return p.toExponential(1);
}

export type GuardState = "insufficient" | "holding" | "breached" | "skipped";

export const GUARD_STATE: Record<GuardState, { label: string; tone: Tone }> = {
  holding: { label: "Holds", tone: "good" },
  insufficient: { label: "Insufficient evidence", tone: "warn" },
  breached: { label: "Breached", tone: "bad" },
  skipped: { label: "Skipped this stage", tone: "neutral" },
};

export type RolloutPhase = "running" | "ready" | "awaiting_approval" | "paused" | "completed" | "rolled_back";

export const PHASE: Record<RolloutPhase, { label: string; tone: Tone }> = {
  running: { label: "Running", tone: "info" },
  ready: { label: "Ready to promote", tone: "good" },
  awaiting_approval: { label: "Awaiting second approval", tone: "warn" },
  paused: { label: "Paused", tone: "warn" },
  completed: { label: "Completed", tone: "good" },
  rolled_back: { label: "Rolled back", tone: "bad" },
};

/** What a rollout is doing, from its status and its last evaluation's decision. */
export function phaseOf(rollout: { status: string; lastEvaluation: { decision: { kind: string } } | null }): RolloutPhase {
  if (rollout.status === "completed" || rollout.status === "rolled_back" || rollout.status === "paused") return rollout.status;
  const kind = rollout.lastEvaluation?.decision.kind;
  if (kind === "ready") return "ready";
  if (kind === "awaiting_approval") return "awaiting_approval";
  return "running";
}

export interface StageStep {
  percent: number;
  state: "done" | "current" | "pending";
}

/** The rollout's stages as steps: those passed, the current one, those to come. */
export function stageSteps(stages: readonly { percent: number }[], stageIndex: number, status: string): StageStep[] {
  return stages.map((stage, index) => ({
    percent: stage.percent,
    state: status === "completed" ? "done" : index < stageIndex ? "done" : index === stageIndex && status !== "rolled_back" ? "current" : "pending",
  }));
}

/** "12 min", "2 h 5 min", "3 d 4 h". */
export function formatMinutes(minutes: number): string {
  const whole = Math.max(0, Math.floor(minutes));
  if (whole < 60) return `${whole} min`;
  if (whole < 24 * 60) return `${Math.floor(whole / 60)} h${whole % 60 ? ` ${whole % 60} min` : ""}`;
  return `${Math.floor(whole / 1440)} d${Math.floor((whole % 1440) / 60) ? ` ${Math.floor((whole % 1440) / 60)} h` : ""}`;
}

export interface LedgerLine {
  kind: string;
  from: { label: string } | null;
  to: { label: string } | null;
  fromPercent: number | null;
  toPercent: number | null;
  details?: unknown;
}

const GUARD_NAMES: Record<string, string> = { error_rate: "error rate", cost_per_task: "cost per task", latency_p95: "latency p95", denial_rate: "policy-denial rate" };

/** The headline of one ledger line. */
export function ledgerTitle(event: LedgerLine): string {
  const to = event.to?.label ?? "?";
  const from = event.from?.label ?? "?";
  const percents = `${event.fromPercent ?? 0} % → ${event.toPercent ?? 0} %`;
  switch (event.kind) {
    case "version_created":
      return `Version ${to} created (draft)`;
    case "version_released":
      return `Version ${to} released`;
    case "version_deprecated":
      return `Version ${from} deprecated`;
    case "version_retired":
      return `Version ${from} retired`;
    case "stable_changed":
      return event.from ? `Stable version changed: ${from} → ${to}` : `Version ${to} is the stable version`;
    case "rollout_started":
      return `Rollout started: ${from} → ${to} at ${event.toPercent ?? 0} %`;
    case "stage_advanced":
      return `Stage advanced: ${percents}`;
    case "ready_to_promote":
      return `Ready to promote to ${event.toPercent ?? 0} %`;
    case "awaiting_approval":
      return "Awaiting a second approval before 100 %";
    case "approved":
      return "Approved for 100 %";
    case "held":
      return `Held at ${event.fromPercent ?? 0} %`;
    case "resumed":
      return `Resumed at ${event.fromPercent ?? 0} %`;
    case "guard_skipped": {
      const guard = (event.details as { guard?: string } | null)?.guard ?? "";
      return `Guard skipped for this stage: ${GUARD_NAMES[guard] ?? guard}`;
    }
    case "breach_paused":
      return `Paused by a guard at ${event.fromPercent ?? 0} %`;
    case "sample_ratio_paused":
      return `Paused: sample ratio mismatch at ${event.fromPercent ?? 0} %`;
    case "rolled_back":
      return `Rolled back: ${from} → ${to} (from ${event.fromPercent ?? 0} %)`;
    case "completed":
      return `Rollout complete: ${to} is stable at 100 %`;
    default:
      return event.kind.replace(/_/g, " ");
  }
}

export function ledgerTone(kind: string): Tone {
  if (kind === "rolled_back" || kind === "breach_paused" || kind === "version_retired") return "bad";
  if (kind === "sample_ratio_paused" || kind === "held" || kind === "version_deprecated" || kind === "awaiting_approval") return "warn";
  if (kind === "completed" || kind === "stable_changed" || kind === "version_released" || kind === "ready_to_promote") return "good";
  return "info";
}

export const VERSION_STATUS: Record<string, { label: string; tone: Tone }> = {
  draft: { label: "Draft", tone: "neutral" },
  released: { label: "Released", tone: "info" },
  deprecated: { label: "Deprecated", tone: "warn" },
  retired: { label: "Retired", tone: "bad" },
};
