// Words for the Kill switches page. Pure, so the page and its tests agree.
import type { AckStats } from "@/server/domain/killswitch/acks";
import type { KillSwitchScope } from "@/server/domain/killswitch/match";

/** The scope the engage form opens on: the whole organisation for those who may stop it, one agent for team leads. */
export function firstScope(canOrg: boolean): KillSwitchScope {
  return canOrg ? "org" : "agent";
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** "N of M acknowledged, p95 x ms" — or why there is nothing to count. */
export function ackSummary(acks: AckStats | null): string {
  if (!acks) return "—";
  if (acks.connected === 0) return "No connected instances";
  const base = `${acks.acknowledged} of ${acks.connected} acknowledged`;
  return acks.p95Ms === null ? base : `${base}, p95 ${formatMs(acks.p95Ms)}`;
}

/** Whether every connected instance has applied the switch. */
export function allAcknowledged(acks: AckStats | null): boolean {
  return acks !== null && acks.connected > 0 && acks.acknowledged === acks.connected;
}

export function scopeTitle(scope: KillSwitchScope, targetName: string): string {
  switch (scope) {
    case "org":
      return `Whole organisation (${targetName})`;
    case "agent":
      return `Agent ${targetName}`;
    case "team":
      return `Team ${targetName}`;
    case "model":
      return `Model ${targetName}`;
    case "tag":
      return `Tag ${targetName}`;
  }
}

/** What an engaged switch does, in a sentence. */
export function effectOf(scope: KillSwitchScope): string {
  return scope === "model"
    ? "Every request for this model is denied; routing moves to its fallbacks. Agents keep running."
    : "Covered agents are told to halt and every decision they ask for is denied. Their telemetry is still stored.";
}
