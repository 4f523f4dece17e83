// What a batch of newly stored events adds to SpendDaily: one delta per (agent, UTC day), in key
// order so that concurrent batches lock the same rows in the same order (no deadlocks).
import { utcDay } from "./period";
import { isUuid } from "../text/uuid";

export interface SpendEvent {
  orgId: string;
  agentId: string;
  teamId: string | null;
  ts: Date;
  costMicros: bigint | null;
}

export interface SpendDelta {
  orgId: string;
  agentId: string;
  teamId: string | null;
  /** "YYYY-MM-DD", UTC. */
  day: string;
  costMicros: bigint;
}

export function spendDeltas(events: readonly SpendEvent[]): SpendDelta[] {
  const byKey = new Map<string, SpendDelta>();
  for (const event of events) {
    if (event.costMicros === null || event.costMicros === 0n) continue;
    const day = utcDay(event.ts);
    const key = `${event.agentId}\u0000${day}`;
    const delta = byKey.get(key);
    if (delta) delta.costMicros += event.costMicros;
    else byKey.set(key, { orgId: event.orgId, agentId: event.agentId, teamId: event.teamId, day, costMicros: event.costMicros });
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, delta]) => delta);
}

export interface Settlement {
  decisionId: string;
  costMicros: bigint;
}

/**
 * The settlements a batch carries: events with a decisionId (a decision's id is a UUID; anything
 * else cannot name a reservation) and a cost, summed per decision, sorted by decision id.
 */
export function settlementsOf(events: readonly { decisionId: string | null; costMicros: bigint | null }[]): Settlement[] {
  const byDecision = new Map<string, bigint>();
  for (const event of events) {
    if (event.decisionId === null || event.costMicros === null || !isUuid(event.decisionId)) continue;
    const id = event.decisionId.toLowerCase();
    byDecision.set(id, (byDecision.get(id) ?? 0n) + event.costMicros);
  }
  return [...byDecision.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([decisionId, costMicros]) => ({ decisionId, costMicros }));
}
