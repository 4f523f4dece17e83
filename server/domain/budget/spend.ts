// What a batch of newly stored events adds to SpendDaily (one delta per agent and UTC day) and to
// SpendMinute (per agent and UTC minute, for the spend-rate check), in key order so that
// concurrent batches lock the same rows in the same order (no deadlocks).
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

/** The events' cost per agent and bucket (events without cost, or whose bucket is null, left out), in key order. */
function sumSpend<B>(events: readonly SpendEvent[], bucketOf: (ts: Date) => B | null, keyOf: (bucket: B) => string): { first: SpendEvent; bucket: B; costMicros: bigint }[] {
  const byKey = new Map<string, { first: SpendEvent; bucket: B; costMicros: bigint }>();
  for (const event of events) {
    if (event.costMicros === null || event.costMicros === 0n) continue;
    const bucket = bucketOf(event.ts);
    if (bucket === null) continue;
    const key = `${event.agentId}\u0000${keyOf(bucket)}`;
    const sum = byKey.get(key);
    if (sum) sum.costMicros += event.costMicros;
    else byKey.set(key, { first: event, bucket, costMicros: event.costMicros });
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, sum]) => sum);
}

export function spendDeltas(events: readonly SpendEvent[]): SpendDelta[] {
  return sumSpend(events, utcDay, (day) => day).map(({ first, bucket, costMicros }) => ({ orgId: first.orgId, agentId: first.agentId, teamId: first.teamId, day: bucket, costMicros }));
}

export interface MinuteSpendDelta {
  orgId: string;
  agentId: string;
  /** The start of the UTC minute. */
  minute: Date;
  costMicros: bigint;
}

const MINUTE_MS = 60_000;

/** Per (agent, UTC minute), the spend of the events at or after `since` (older ones are no spend rate's business). */
export function minuteSpendDeltas(events: readonly SpendEvent[], since: Date): MinuteSpendDelta[] {
  const from = since.getTime();
  const minuteOf = (ts: Date) => (ts.getTime() < from ? null : Math.floor(ts.getTime() / MINUTE_MS) * MINUTE_MS);
  // Keys sort as text: a fixed width keeps the minutes in time order.
  return sumSpend(events, minuteOf, (ms) => String(ms).padStart(16, "0")).map(({ first, bucket, costMicros }) => ({ orgId: first.orgId, agentId: first.agentId, minute: new Date(bucket), costMicros }));
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
