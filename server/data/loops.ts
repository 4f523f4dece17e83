// Loop detection against the database: every tool call an agent asks about (decide) or reports
// (tool_call events) is logged by hash; the same call N times within the agent's window, or a spend
// rate far above its own baseline, engages a system kill switch on the agent (reason loop_detected),
// which audits, raises the alert and pushes the halt directive. Calls made before a person last
// resumed the agent from a loop do not count again, so resuming is not undone by the old calls.
import "server-only";
import { getPool, inTransaction } from "../db/pool";
import { microsToUsdString } from "../domain/cost/money";
import {
  baselineWindows,
  callHash,
  Debouncer,
  isLooping,
  loopSettings,
  MAX_LOOP_WINDOW_SEC,
  SPEND_CHECK_DEBOUNCE_MS,
  SPEND_RATE_MULTIPLIER,
  SPEND_WINDOW_MS,
  spendRateCheck,
  type LoopSettings,
} from "../domain/loops/detect";
import type { ReportedToolCall } from "../domain/loops/events";
import { engageSystemSwitch, forgetKillSwitches } from "./killswitches";

export interface LoopAgent {
  id: string;
  teamId: string | null;
  loopThreshold: number | null;
  loopWindowSec: number | null;
}

/** Where a call was seen. Counted apart: an agent that asks before a call and then reports it has made one call, not two. */
export type CallSource = "decide" | "event";

export type LoopVerdict = { looping: false } | { looping: true; switchId: string; count: number };

interface PendingCall {
  agent: { id: string; teamId: string | null };
  settings: LoopSettings;
  tool: string;
  hash: string;
  at: Date;
}

interface GroupRow {
  agent_id: string;
  call_hash: string;
  prior: string;
  active_switch: string | null;
}

// One statement: log the calls, and per (agent, hash) count the earlier calls in the window (since the
// agent was last resumed from a loop) and find a loop switch that already halts it. The inserted rows
// are not visible to the counts of the same statement; the caller adds the batch's own calls.
const RECORD_SQL = `
WITH ins AS (
  INSERT INTO tool_call_log (org_id, agent_id, call_hash, at)
  SELECT $1::uuid, x.agent_id, x.call_hash, x.at FROM unnest($2::uuid[], $3::text[], $4::timestamptz[]) AS x(agent_id, call_hash, at)
), g AS (
  SELECT * FROM unnest($5::uuid[], $6::text[], $7::timestamptz[], $8::timestamptz[]) AS g(agent_id, call_hash, since, until)
), r AS (
  SELECT g.*,
    (SELECT max(k.released_at) FROM kill_switches k
      WHERE k.org_id = $1::uuid AND k.scope = 'agent' AND k.target = g.agent_id::text AND k.reason_code = 'loop_detected') AS resumed_at
  FROM g
)
SELECT r.agent_id::text AS agent_id, r.call_hash,
  (SELECT count(*) FROM tool_call_log t
    WHERE t.agent_id = r.agent_id AND t.call_hash = r.call_hash AND t.at > r.since AND t.at <= r.until
      AND (r.resumed_at IS NULL OR t.at > r.resumed_at))::text AS prior,
  (SELECT k.id::text FROM kill_switches k
    WHERE k.org_id = $1::uuid AND k.scope = 'agent' AND k.target = r.agent_id::text AND k.reason_code = 'loop_detected'
      AND k.released_at IS NULL LIMIT 1) AS active_switch
FROM r`;

/**
 * Logs the calls and engages a loop switch (once) on every agent that now repeats a call too often.
 * Returns, per looping agent, the switch that halts it and the repeat count.
 */
export async function recordToolCalls(orgId: string, calls: readonly PendingCall[], source: CallSource): Promise<Map<string, { switchId: string; count: number; tool: string }>> {
  const looping = new Map<string, { switchId: string; count: number; tool: string }>();
  if (calls.length === 0) return looping;
  const hashOf = (call: PendingCall) => `${source}:${call.hash}`;

  // Per (agent, hash): the latest call, its window, and the batch's own calls within it.
  const groups = new Map<string, { call: PendingCall; until: Date; since: Date; inBatch: number }>();
  for (const call of calls) {
    const key = `${call.agent.id}\u0000${hashOf(call)}`;
    const group = groups.get(key);
    if (!group || call.at > group.until) groups.set(key, { call, until: call.at, since: new Date(call.at.getTime() - call.settings.windowSec * 1000), inBatch: 0 });
  }
  for (const call of calls) {
    const group = groups.get(`${call.agent.id}\u0000${hashOf(call)}`);
    if (group && call.at > group.since && call.at <= group.until) group.inBatch += 1;
  }
  const list = [...groups.values()];

  const { rows } = await getPool().query<GroupRow>(RECORD_SQL, [
    orgId,
    calls.map((call) => call.agent.id),
    calls.map(hashOf),
    calls.map((call) => call.at.toISOString()),
    list.map((group) => group.call.agent.id),
    list.map((group) => hashOf(group.call)),
    list.map((group) => group.since.toISOString()),
    list.map((group) => group.until.toISOString()),
  ]);
  maybePrune();

  for (const row of rows) {
    const group = groups.get(`${row.agent_id}\u0000${row.call_hash}`);
    if (!group || looping.has(row.agent_id)) continue;
    const count = Number(row.prior) + group.inBatch;
    if (!isLooping(count, group.call.settings)) continue;
    if (row.active_switch) {
      looping.set(row.agent_id, { switchId: row.active_switch, count, tool: group.call.tool });
      continue;
    }
    const { call } = group;
    const sw = await inTransaction(getPool(), (client) =>
      engageSystemSwitch(client, {
        orgId,
        scope: "agent",
        target: call.agent.id,
        teamId: call.agent.teamId,
        reasonCode: "loop_detected",
        reason: `Loop detected: the same call to ${call.tool} was made ${count} times within ${call.settings.windowSec} s.`,
      }),
    );
    // This process answers the next request from its snapshot: drop it now rather than on the NOTIFY.
    forgetKillSwitches(orgId);
    looping.set(row.agent_id, { switchId: sw.id, count, tool: call.tool });
  }
  return looping;
}

/** Loop detection for one tool call an agent asks about (the decide pipeline). */
export async function recordToolCall(input: {
  orgId: string;
  agent: LoopAgent;
  tool: string;
  arguments: unknown;
  now: Date;
  source?: CallSource;
}): Promise<LoopVerdict> {
  const call: PendingCall = {
    agent: { id: input.agent.id, teamId: input.agent.teamId },
    settings: loopSettings(input.agent),
    tool: input.tool,
    hash: callHash(input.tool, input.arguments),
    at: input.now,
  };
  const result = (await recordToolCalls(input.orgId, [call], input.source ?? "decide")).get(input.agent.id);
  return result ? { looping: true, switchId: result.switchId, count: result.count } : { looping: false };
}

/**
 * Loop detection for reported tool_call events (after the batch committed). The agents' loop
 * settings are read here: the ingest pipeline does not carry them.
 */
export async function detectLoopsFromEvents(orgId: string, reported: readonly ReportedToolCall[]): Promise<void> {
  if (reported.length === 0) return;
  const agentIds = [...new Set(reported.map((call) => call.agentId))];
  const { rows } = await getPool().query<{ id: string; team_id: string | null; loop_threshold: number | null; loop_window_sec: number | null }>(
    "SELECT id::text, team_id::text, loop_threshold, loop_window_sec FROM agents WHERE org_id = $1 AND id = ANY($2::uuid[])",
    [orgId, agentIds],
  );
  const agents = new Map(rows.map((row) => [row.id, row]));
  const calls: PendingCall[] = [];
  for (const call of reported) {
    const agent = agents.get(call.agentId);
    if (!agent) continue;
    calls.push({
      agent: { id: agent.id, teamId: agent.team_id },
      settings: loopSettings({ loopThreshold: agent.loop_threshold, loopWindowSec: agent.loop_window_sec }),
      tool: call.tool,
      hash: callHash(call.tool, call.arguments),
      at: call.at,
    });
  }
  await recordToolCalls(orgId, calls, "event");
}

// ---------------------------------------------------------------------------------------------
// Spend rate.

interface SpendRow {
  team_id: string | null;
  recent: string;
  baseline: string;
  first_hour: Date | null;
  current_hour: Date;
  resumed_at: Date | null;
  halted: boolean;
}

/**
 * The agent's spend in the last 5 minutes (since it was last resumed from a loop, if later) against
 * its baseline from the hourly rollups: the average per 5 minutes over the (up to) 7 days of history
 * before the current hour (excluded, so the runaway itself does not raise the bar). Engages a loop switch when far above. Returns the switch id, or null.
 */
export async function checkSpendRate(orgId: string, agentId: string, now = new Date()): Promise<string | null> {
  const { rows } = await getPool().query<SpendRow>(
    `WITH resumed AS (
       SELECT max(released_at) AS at FROM kill_switches
       WHERE org_id = $1::uuid AND scope = 'agent' AND target = $2::text AND reason_code = 'loop_detected'
     )
     SELECT
       (SELECT team_id::text FROM agents WHERE id = $2::uuid) AS team_id,
       (SELECT coalesce(sum(cost_micros), 0) FROM events, resumed
         WHERE org_id = $1::uuid AND agent_id = $2::uuid AND ts > $3::timestamptz - make_interval(secs => $4) AND ts <= $3::timestamptz
           AND (resumed.at IS NULL OR ts > resumed.at))::text AS recent,
       (SELECT coalesce(sum(cost_micros), 0) FROM event_rollups_hourly
         WHERE org_id = $1::uuid AND agent_id = $2::uuid
           AND hour >= date_trunc('hour', $3::timestamptz) - interval '7 days' AND hour < date_trunc('hour', $3::timestamptz))::text AS baseline,
       (SELECT min(hour) FROM event_rollups_hourly
         WHERE org_id = $1::uuid AND agent_id = $2::uuid
           AND hour >= date_trunc('hour', $3::timestamptz) - interval '7 days' AND hour < date_trunc('hour', $3::timestamptz)) AS first_hour,
       date_trunc('hour', $3::timestamptz) AS current_hour,
       (SELECT at FROM resumed) AS resumed_at,
       EXISTS (SELECT 1 FROM kill_switches WHERE org_id = $1::uuid AND scope = 'agent' AND target = $2::text AND reason_code = 'loop_detected' AND released_at IS NULL) AS halted`,
    [orgId, agentId, now.toISOString(), SPEND_WINDOW_MS / 1000],
  );
  const row = rows[0];
  if (!row || row.halted) return null;
  const verdict = spendRateCheck(BigInt(row.recent), BigInt(row.baseline), baselineWindows(row.first_hour, row.current_hour));
  if (!verdict.runaway) return null;
  const sw = await inTransaction(getPool(), (client) =>
    engageSystemSwitch(client, {
      orgId,
      scope: "agent",
      target: agentId,
      teamId: row.team_id,
      reasonCode: "loop_detected",
      reason:
        `Spend rate far above baseline: $${microsToUsdString(verdict.recentMicros)} in the last ${SPEND_WINDOW_MS / 60_000} minutes, ` +
        `more than ${SPEND_RATE_MULTIPLIER.toString()}× its usual $${microsToUsdString(verdict.baselineMicros)}.`,
    }),
  );
  forgetKillSwitches(orgId);
  return sw.id;
}

const globalForLoops = globalThis as unknown as { agentrySpendDebounce?: Debouncer; agentryToolCallPrunedAt?: number };

/** Checks the spend rate of agents that just reported cost, each at most every 10 s per process. */
export async function checkSpendRatesDebounced(orgId: string, agentIds: readonly string[], now = new Date()): Promise<void> {
  const debouncer = (globalForLoops.agentrySpendDebounce ??= new Debouncer(SPEND_CHECK_DEBOUNCE_MS));
  for (const agentId of agentIds) {
    if (!debouncer.admit(agentId, Date.now())) continue;
    await checkSpendRate(orgId, agentId, now);
  }
}

/**
 * The ingest pipeline's hook, after a batch committed: loops among the reported tool calls, and the
 * spend rate of the agents that reported cost. Never throws: telemetry is stored whatever happens here.
 */
export async function detectLoopsAfterIngest(orgId: string, batch: { toolCalls: readonly ReportedToolCall[]; spentAgentIds: readonly string[] }): Promise<void> {
  try {
    await detectLoopsFromEvents(orgId, batch.toolCalls);
    await checkSpendRatesDebounced(orgId, batch.spentAgentIds);
  } catch (error) {
    console.error("loop detection after ingest failed:", error instanceof Error ? error.message : error);
  }
}

// ---------------------------------------------------------------------------------------------
// Pruning: rows older than the longest window any agent can have are useless.

const PRUNE_INTERVAL_MS = 30_000;
const PRUNE_BATCH = 10_000;

function maybePrune(): void {
  const now = Date.now();
  if (now - (globalForLoops.agentryToolCallPrunedAt ?? 0) < PRUNE_INTERVAL_MS) return;
  globalForLoops.agentryToolCallPrunedAt = now;
  void pruneToolCallLog().catch((error: unknown) => console.error("tool_call_log prune failed:", error instanceof Error ? error.message : error));
}

/** Deletes log rows older than the longest loop window configured (at least the default), in small batches. */
export async function pruneToolCallLog(): Promise<number> {
  const pool = getPool();
  let total = 0;
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM tool_call_log WHERE id IN (
         SELECT id FROM tool_call_log
         WHERE at < now() - make_interval(secs => LEAST($1, GREATEST(60, (SELECT coalesce(max(loop_window_sec), 60) FROM agents))) + 60)
         LIMIT $2)`,
      [MAX_LOOP_WINDOW_SEC, PRUNE_BATCH],
    );
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < PRUNE_BATCH) return total;
  }
}
