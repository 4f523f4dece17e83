// An agent's health from its instances' heartbeats: healthy while any instance has beaten within
// three intervals, stale when all have gone quiet, halted when its directives say stop.

export type AgentHealth = "healthy" | "stale" | "halted" | "unknown";
export const STALE_AFTER_INTERVALS = 3;

export function instanceIsStale(lastHeartbeatAt: Date, heartbeatIntervalSec: number, now: Date): boolean {
  return now.getTime() - lastHeartbeatAt.getTime() > STALE_AFTER_INTERVALS * heartbeatIntervalSec * 1000;
}

export function agentHealth(input: { lastHeartbeats: readonly Date[]; heartbeatIntervalSec: number; halted: boolean; now: Date }): AgentHealth {
  if (input.halted) return "halted";
  if (input.lastHeartbeats.length === 0) return "unknown";
  return input.lastHeartbeats.some((at) => !instanceIsStale(at, input.heartbeatIntervalSec, input.now)) ? "healthy" : "stale";
}
