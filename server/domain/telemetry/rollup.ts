// Hourly rollups: what a batch of newly stored events adds to each (agent, model, version, hour)
// row. Deltas come out sorted by key so concurrent batches lock rollup rows in the same order.
import { addLatency } from "./latency-histogram";

export interface RollupEvent {
  orgId: string;
  agentId: string;
  teamId: string | null;
  model: string | null;
  /** The agent version the event reports (label or id, as sent); rollups keep versions apart for rollouts. */
  version: string | null;
  ts: Date;
  type: string;
  status: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costMicros: bigint | null;
  latencyMs: number | null;
}

export interface RollupDelta {
  orgId: string;
  agentId: string;
  teamId: string | null;
  model: string;
  version: string;
  hour: Date;
  events: number;
  llmCalls: number;
  toolCalls: number;
  errors: number;
  inputTokens: bigint;
  outputTokens: bigint;
  costMicros: bigint;
  latencySumMs: bigint;
  latencyCount: number;
  /** task_end events, and those of them that ended in error: tasks and their success rate. */
  tasks: number;
  failedTasks: number;
  /** Latency histogram (server/domain/telemetry/latency-histogram.ts). */
  latencyHist: number[];
}

const ERROR_STATUSES = new Set(["error", "failed", "failure", "timeout"]);

export function isErrorEvent(event: Pick<RollupEvent, "type" | "status">): boolean {
  return event.type === "error" || (event.status !== null && ERROR_STATUSES.has(event.status.toLowerCase()));
}

export function hourOf(ts: Date): Date {
  const hour = new Date(ts.getTime());
  hour.setUTCMinutes(0, 0, 0);
  return hour;
}

export function rollupDeltas(events: readonly RollupEvent[]): RollupDelta[] {
  const byKey = new Map<string, RollupDelta>();
  for (const event of events) {
    const model = event.model ?? "";
    const version = event.version ?? "";
    const hour = hourOf(event.ts);
    const key = `${event.agentId}\u0000${model}\u0000${version}\u0000${hour.toISOString()}`;
    let delta = byKey.get(key);
    if (!delta) {
      delta = {
        orgId: event.orgId,
        agentId: event.agentId,
        teamId: event.teamId,
        model,
        version,
        hour,
        events: 0,
        llmCalls: 0,
        toolCalls: 0,
        errors: 0,
        inputTokens: 0n,
        outputTokens: 0n,
        costMicros: 0n,
        latencySumMs: 0n,
        latencyCount: 0,
        tasks: 0,
        failedTasks: 0,
        latencyHist: [],
      };
      byKey.set(key, delta);
    }
    delta.events += 1;
    if (event.type === "llm_call") delta.llmCalls += 1;
    if (event.type === "tool_call") delta.toolCalls += 1;
    const failed = isErrorEvent(event);
    if (failed) delta.errors += 1;
    if (event.type === "task_end") {
      delta.tasks += 1;
      if (failed) delta.failedTasks += 1;
    }
    delta.inputTokens += BigInt(event.inputTokens ?? 0);
    delta.outputTokens += BigInt(event.outputTokens ?? 0);
    delta.costMicros += event.costMicros ?? 0n;
    if (event.latencyMs !== null) {
      delta.latencySumMs += BigInt(event.latencyMs);
      delta.latencyCount += 1;
      addLatency(delta.latencyHist, event.latencyMs);
    }
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, delta]) => delta);
}
