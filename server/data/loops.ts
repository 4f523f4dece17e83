// Loop detection on what agents report (tool_call events), and their spend rate. Decisions count
// their own tool calls in their commit (server/data/decisions.ts); reported calls are logged and
// counted here, by the events.follow-up job, under the same per-agent advisory lock, so calls
// spread over several app processes are counted once each. The same call N times within the
// agent's window, or a spend rate far above its own baseline, engages a system kill switch on the
// agent (reason loop_detected). Calls made before a person last resumed the agent from a loop do
// not count again, so resuming is not undone by the old calls.
import "server-only";
import type pg from "pg";
import { getPool, inTransaction, retryingConflicts } from "../db/pool";
import { microsToUsdString } from "../domain/cost/money";
import type { AgentProfile } from "../domain/decide/types";
import { baselineWindows, isLooping, loopSettings, MAX_LOOP_WINDOW_SEC, peakCallsInWindow, SPEND_RATE_MULTIPLIER, SPEND_WINDOW_MS, spendRateCheck } from "../domain/loops/detect";
import { engageSystemSwitch } from "./killswitches";

/** Reported calls are logged under this source: asking (decide) and then reporting is one call, not two. */
const EVENT_SOURCE = "event";

/** The advisory lock that serialises loop counting for one agent; decisions.ts takes the same one. */
export const loopLockKey = (agentId: string) => `loops:${agentId}`;

/**
 * An agent's loop state as two SQL columns, for the org and agent-id (text) expressions given:
 * `resumed`, when it was last released from a loop switch, and `active_switch`, the loop switch
 * holding it now. Counting (of calls and of spend) starts again at the resume.
 */
const loopStateColumns = (org: string, agentIdText: string) =>
  `(SELECT max(k.released_at) FROM kill_switches k
     WHERE k.org_id = ${org} AND k.scope = 'agent' AND k.target = ${agentIdText} AND k.reason_code = 'loop_detected') AS resumed,
   (SELECT k.id::text FROM kill_switches k
     WHERE k.org_id = ${org} AND k.scope = 'agent' AND k.target = ${agentIdText} AND k.reason_code = 'loop_detected' AND k.released_at IS NULL
     LIMIT 1) AS active_switch`;

export interface ReportedCall {
  agentId: string;
  tool: string;
  /** callHash(tool, arguments) */
  hash: string;
  at: string;
}

/**
 * Logs reported tool calls and engages a loop switch (once) on every agent that now repeats a call
 * too often, inside the caller's transaction. Returns the agents found looping, or already halted for it.
 */
export async function recordReportedCalls(client: pg.PoolClient, orgId: string, agents: ReadonlyMap<string, AgentProfile>, calls: readonly ReportedCall[]): Promise<string[]> {
  const known = calls.filter((call) => agents.has(call.agentId));
  if (known.length === 0) return [];
  const agentIds = [...new Set(known.map((call) => call.agentId))].sort();
  await client.query("SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM (SELECT unnest($1::text[]) AS k ORDER BY 1) keys", [agentIds.map(loopLockKey)]);

  // Per agent: when it was last resumed from a loop, and the loop switch holding it now, if any.
  const { rows: states } = await client.query<{ agent_id: string; resumed: Date | null; active_switch: string | null }>(
    `SELECT a.agent_id::text, ${loopStateColumns("$1", "a.agent_id::text")} FROM unnest($2::uuid[]) AS a(agent_id)`,
    [orgId, agentIds],
  );
  const resumedAt = new Map(states.map((state) => [state.agent_id, state.resumed]));
  // An agent already halted for looping is not counted again, and logs nothing: once resumed it is
  // counted from its resume on, so the calls it reports while halted could never count (a runaway
  // that keeps reporting costs no writes).
  const looping = new Set(states.filter((state) => state.active_switch !== null).map((state) => state.agent_id));
  const counted = known.filter((call) => !looping.has(call.agentId));
  if (counted.length === 0) return [...looping];

  // Per (agent, call): the batch's earliest and latest call, and the agent's window.
  const groups = new Map<string, { agentId: string; tool: string; hash: string; first: number; last: number; windowSec: number }>();
  for (const call of counted) {
    const key = `${call.agentId}|${call.hash}`;
    const at = Date.parse(call.at);
    const group = groups.get(key);
    if (group) {
      group.first = Math.min(group.first, at);
      group.last = Math.max(group.last, at);
    } else {
      groups.set(key, { agentId: call.agentId, tool: call.tool, hash: call.hash, first: at, last: at, windowSec: loopSettings(agents.get(call.agentId) as AgentProfile).windowSec });
    }
  }
  const list = [...groups.values()];
  await client.query(
    `INSERT INTO tool_call_log (org_id, agent_id, call_hash, at)
     SELECT $1, x.agent_id, x.call_hash, x.at FROM unnest($2::uuid[], $3::text[], $4::timestamptz[]) AS x(agent_id, call_hash, at)`,
    [orgId, counted.map((call) => call.agentId), counted.map((call) => `${EVENT_SOURCE}:${call.hash}`), counted.map((call) => call.at)],
  );
  // Calls arrive out of order (retried batches, several instances), so a loop may end at a call that
  // was logged before these: every window (end − window, end] ending at a call from the batch's first
  // on (and so holding its calls) is counted; the fullest is the count.
  const { rows } = await client.query<{ agent_id: string; call_hash: string; times: string[] | null }>(
    `SELECT g.agent_id::text, g.call_hash,
       (SELECT array_agg((extract(epoch FROM t.at) * 1000000)::bigint ORDER BY t.at) FROM tool_call_log t
         WHERE t.agent_id = g.agent_id AND t.call_hash = g.call_hash
           AND t.at > g.first_at - make_interval(secs => g.window_sec) AND t.at <= g.last_at + make_interval(secs => g.window_sec)
           AND t.at > COALESCE(g.resumed, '-infinity')) AS times
     FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::float8[], $6::timestamptz[]) AS g(agent_id, call_hash, first_at, last_at, window_sec, resumed)`,
    [
      list.map((group) => group.agentId),
      list.map((group) => `${EVENT_SOURCE}:${group.hash}`),
      list.map((group) => new Date(group.first).toISOString()),
      list.map((group) => new Date(group.last).toISOString()),
      list.map((group) => group.windowSec),
      list.map((group) => resumedAt.get(group.agentId)?.toISOString() ?? null),
    ],
  );

  for (const row of rows) {
    if (looping.has(row.agent_id)) continue;
    const group = groups.get(`${row.agent_id}|${row.call_hash.slice(EVENT_SOURCE.length + 1)}`);
    const agent = agents.get(row.agent_id);
    if (!group || !agent) continue;
    const settings = loopSettings(agent);
    const count = peakCallsInWindow((row.times ?? []).map(Number), group.first * 1000, settings.windowSec * 1_000_000);
    if (!isLooping(count, settings)) continue;
    looping.add(row.agent_id);
    await engageSystemSwitch(client, {
      orgId,
      scope: "agent",
      target: agent.id,
      teamId: agent.teamId,
      reasonCode: "loop_detected",
      reason: `Loop detected: the same call to ${group.tool} was made ${count} times within ${settings.windowSec} s.`,
    });
  }
  return [...looping];
}

// ---------------------------------------------------------------------------------------------
// Spend rate.

interface SpendRow {
  team_id: string | null;
  recent: string;
  baseline: string;
  first_hour: Date | null;
  current_hour: Date;
  halted: boolean;
}

/**
 * The agent's spend in the last 5 minutes, in whole minutes from SpendMinute (counted from the first
 * whole minute after it was last resumed from a loop, if later), against
 * its baseline from the hourly rollups: the average per 5 minutes over the (up to) 7 days of history
 * before the current hour (excluded, so the runaway itself does not raise the bar). Engages a loop switch when far above. Returns the switch id, or null.
 */
export async function checkSpendRate(orgId: string, agentId: string, now = new Date()): Promise<string | null> {
  const { rows } = await getPool().query<SpendRow>(
    `WITH state AS (SELECT ${loopStateColumns("$1::uuid", "$2::text")})
     SELECT
       (SELECT team_id::text FROM agents WHERE id = $2::uuid) AS team_id,
       (SELECT coalesce(sum(m.cost_micros), 0) FROM spend_minutes m, state
         WHERE m.org_id = $1::uuid AND m.agent_id = $2::uuid
           AND m.minute >= date_trunc('minute', $3::timestamptz - make_interval(secs => $4)) AND m.minute <= $3::timestamptz
           AND (state.resumed IS NULL OR m.minute > state.resumed))::text AS recent,
       (SELECT coalesce(sum(cost_micros), 0) FROM event_rollups_hourly
         WHERE org_id = $1::uuid AND agent_id = $2::uuid
           AND hour >= date_trunc('hour', $3::timestamptz) - interval '7 days' AND hour < date_trunc('hour', $3::timestamptz))::text AS baseline,
       (SELECT min(hour) FROM event_rollups_hourly
         WHERE org_id = $1::uuid AND agent_id = $2::uuid
           AND hour >= date_trunc('hour', $3::timestamptz) - interval '7 days' AND hour < date_trunc('hour', $3::timestamptz)) AS first_hour,
       date_trunc('hour', $3::timestamptz) AS current_hour,
       (SELECT active_switch IS NOT NULL FROM state) AS halted`,
    [orgId, agentId, now.toISOString(), SPEND_WINDOW_MS / 1000],
  );
  const row = rows[0];
  if (!row || row.halted) return null;
  const verdict = spendRateCheck(BigInt(row.recent), BigInt(row.baseline), baselineWindows(row.first_hour, row.current_hour));
  if (!verdict.runaway) return null;
  const sw = await retryingConflicts(() =>
    inTransaction(getPool(), (client) =>
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
    ),
  );
  return sw.id;
}

/** Spend per minute older than an hour is past every spend-rate window (and its margin). */
export async function pruneSpendMinutes(): Promise<number> {
  const { rowCount } = await getPool().query("DELETE FROM spend_minutes WHERE minute < now() - interval '1 hour'");
  return rowCount ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Pruning: rows older than the longest window any agent can have are useless.

const PRUNE_BATCH = 10_000;

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
