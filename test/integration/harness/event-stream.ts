// A steady stream of SDK event batches against a running app, with a fault injected part-way,
// and the checks that nothing was lost or counted twice: every event stored exactly once, the
// agent's spend exactly the sum of the events' costs, the hourly rollups equal to the events.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { expect } from "vitest";
import { AgentryClient, type ClientStats } from "../../../sdk";
import type { Db } from "../../../server/db";
import { generateApiKey } from "../../../server/domain/keys/api-key";

export interface StreamAgent {
  orgId: string;
  agentId: string;
  apiKey: string;
}

/** A registered agent with its own key, in `orgId`, written straight to the database. */
export async function createStreamAgent(db: Db, orgId: string, teamId: string | null): Promise<StreamAgent> {
  const agent = await db.agent.create({ data: { orgId, name: `fault-agent-${randomUUID().slice(0, 8)}`, teamId } });
  const key = generateApiKey();
  await db.apiKey.create({ data: { orgId, kind: "agent", agentId: agent.id, name: "fault test", prefix: key.prefix, hash: key.hash } });
  return { orgId, agentId: agent.id, apiKey: key.key };
}

export interface SentEvent {
  id: string;
  model: string;
  /** The event's hour, as the rollups key it. */
  hour: number;
  costMicros: bigint;
  inputTokens: number;
  outputTokens: number;
}

export interface StreamResult {
  sent: SentEvent[];
  stats: ClientStats;
  errors: string[];
}

const HOUR_MS = 3_600_000;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Tracks `batches` batches of `batchSize` llm_call events, one batch every `everyMs`, through the
 * SDK (which retries with the same ids). At batch `faultAt`, `fault()` starts and runs alongside
 * the stream; the stream ends by flushing everything once the fault is over.
 */
export async function streamWithFault(options: {
  baseUrl: string;
  apiKey: string;
  batches: number;
  batchSize: number;
  everyMs: number;
  faultAt: number;
  fault: () => Promise<void>;
  /** Enough retries to outlast the fault: the assertions are not weakened, the client is told to wait. */
  retry: { retries: number; baseDelayMs: number; maxDelayMs: number };
}): Promise<StreamResult> {
  const errors: string[] = [];
  const client = new AgentryClient({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    batchSize: options.batchSize,
    flushIntervalMs: options.everyMs,
    timeoutMs: 10_000,
    retry: options.retry,
    onError: (error) => errors.push(error instanceof Error ? error.message : String(error)),
    onRejected: (rejections) => errors.push(...rejections.map((rejection) => `rejected: ${rejection.message}`)),
  });
  const sent: SentEvent[] = [];
  const now = Date.now();
  let fault: Promise<void> | null = null;
  for (let batch = 0; batch < options.batches; batch += 1) {
    if (batch === options.faultAt) fault = options.fault();
    for (let index = 0; index < options.batchSize; index += 1) {
      const n = batch * options.batchSize + index;
      // Three hours and two models, so the rollups have several rows to get right.
      const at = now - (n % 3) * HOUR_MS;
      const model = n % 2 === 0 ? "fault-model-a" : "fault-model-b";
      const costMicros = 1 + ((n * 7919) % 50_000);
      const event = {
        id: `fault-${randomUUID()}`,
        type: "llm_call" as const,
        timestamp: new Date(at).toISOString(),
        model,
        provider: "openai",
        inputTokens: 100 + (n % 50),
        outputTokens: 20 + (n % 7),
        costUsd: costMicros / 1_000_000,
        latencyMs: 50 + (n % 100),
      };
      client.track(event);
      sent.push({ id: event.id, model, hour: Math.floor(at / HOUR_MS) * HOUR_MS, costMicros: BigInt(costMicros), inputTokens: event.inputTokens, outputTokens: event.outputTokens });
    }
    await sleep(options.everyMs);
  }
  await fault;
  await client.close();
  return { sent, stats: { ...client.stats }, errors };
}

/** Every event stored exactly once, spend exactly their sum, rollups equal to the events (and to what was sent). */
export async function expectExactlyOnce(databaseUrl: string, agentId: string, sent: SentEvent[]): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const stored = await client.query<{ event_id: string }>("SELECT event_id FROM events WHERE agent_id = $1", [agentId]);
    const storedIds = stored.rows.map((row) => row.event_id).sort();
    const sentIds = sent.map((event) => event.id).sort();
    expect(storedIds.length, "events stored").toBe(sentIds.length);
    expect(new Set(storedIds).size, "no event stored twice").toBe(storedIds.length);
    expect(storedIds).toEqual(sentIds);

    const expectedCost = sent.reduce((sum, event) => sum + event.costMicros, 0n);
    const storedCost = await client.query<{ total: string | null }>("SELECT sum(cost_micros)::text AS total FROM events WHERE agent_id = $1", [agentId]);
    expect(BigInt(storedCost.rows[0]?.total ?? "0"), "the events' own costs").toBe(expectedCost);
    const spend = await client.query<{ total: string | null }>("SELECT sum(cost_micros)::text AS total FROM spend_daily WHERE agent_id = $1", [agentId]);
    expect(BigInt(spend.rows[0]?.total ?? "0"), "daily spend").toBe(expectedCost);

    // The rollups, against the events table and against what was sent.
    const rollups = await client.query<{ model: string; hour: Date; events: number; llm_calls: number; input_tokens: string; output_tokens: string; cost_micros: string }>(
      `SELECT model, hour, events, llm_calls, input_tokens::text, output_tokens::text, cost_micros::text
         FROM event_rollups_hourly WHERE agent_id = $1 ORDER BY model, hour`,
      [agentId],
    );
    const fromEvents = await client.query<{ model: string; hour: Date; events: number; input_tokens: string; output_tokens: string; cost_micros: string }>(
      `SELECT model, date_trunc('hour', ts) AS hour, count(*)::int AS events, sum(input_tokens)::text AS input_tokens,
              sum(output_tokens)::text AS output_tokens, sum(cost_micros)::text AS cost_micros
         FROM events WHERE agent_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [agentId],
    );
    const expected = new Map<string, { model: string; hour: number; events: number; inputTokens: bigint; outputTokens: bigint; costMicros: bigint }>();
    for (const event of sent) {
      const key = `${event.model}|${event.hour}`;
      const row = expected.get(key) ?? { model: event.model, hour: event.hour, events: 0, inputTokens: 0n, outputTokens: 0n, costMicros: 0n };
      row.events += 1;
      row.inputTokens += BigInt(event.inputTokens);
      row.outputTokens += BigInt(event.outputTokens);
      row.costMicros += event.costMicros;
      expected.set(key, row);
    }
    const shape = (row: {
      model: string;
      hour: Date | number;
      events: number;
      input_tokens?: string;
      inputTokens?: bigint;
      output_tokens?: string;
      outputTokens?: bigint;
      cost_micros?: string;
      costMicros?: bigint;
    }) => ({
      key: `${row.model}|${row.hour instanceof Date ? row.hour.getTime() : row.hour}`,
      events: row.events,
      inputTokens: String(row.input_tokens ?? row.inputTokens),
      outputTokens: String(row.output_tokens ?? row.outputTokens),
      costMicros: String(row.cost_micros ?? row.costMicros),
    });
    const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
    const rollupRows = rollups.rows.map(shape).sort(byKey);
    expect(rollupRows, "rollups = the events table").toEqual(fromEvents.rows.map(shape).sort(byKey));
    expect(rollupRows, "rollups = what was sent").toEqual([...expected.values()].map(shape).sort(byKey));
    expect(rollups.rows.every((row) => row.llm_calls === row.events)).toBe(true);
  } finally {
    await client.end();
  }
}
