// Unpaired UTF-16 surrogates and NUL at the agent API's edge (docs/security.md), through the
// real ingest path on a real database. Node writes a lone surrogate to PostgreSQL as U+FFFD, so
// before the fix an event `agent` holding one failed the whole batch (500 on every retry), and an
// event `id` holding one was stored but reported as a duplicate, its cost never reaching rollups,
// daily spend or budgets. Now such a string is refused per event (207, the others stored), and
// whatever is stored is counted, exactly once.
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import type { AgentPrincipal } from "../../server/agent-api/auth";
import { ingestEvents, validateBatch } from "../../server/agent-api/ingest";
import { ingestOtlpTraces } from "../../server/agent-api/otlp";
import { forgetFacts, orgFacts } from "../../server/data/facts";
import { getPool } from "../../server/db/pool";
import { REDACTION_DETECTORS } from "../../server/domain/redaction/redact";
import { TEXT_MESSAGES } from "../../server/domain/text/strings";
import { createTestOrg, testDb, type TestOrg } from "./helpers";

const NOW = new Date(Date.UTC(2026, 10, 20, 12, 0, 0));
const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 9, minute)).toISOString();

function ingestPrincipal(org: TestOrg): AgentPrincipal {
  return { keyId: "00000000-0000-0000-0000-000000000000", orgId: org.id, kind: "ingest", agent: null, redaction: new Set(REDACTION_DETECTORS) };
}

async function agentKeyPrincipal(org: TestOrg, name: string): Promise<AgentPrincipal> {
  const agent = await testDb().agent.create({ data: { orgId: org.id, name, teamId: org.leadTeamId } });
  forgetFacts(org.id);
  const profile = (await orgFacts(org.id)).agents.get(agent.id) ?? null;
  return { keyId: "00000000-0000-0000-0000-000000000000", orgId: org.id, kind: "agent", agent: profile, redaction: new Set(REDACTION_DETECTORS) };
}

/** The org's facts, as the agent API hands them to the ingest pipeline. */
const factsOf = (principal: AgentPrincipal) => orgFacts(principal.orgId);

/** What the org's tables say: events stored, and the cost the rollups and daily spend counted. */
async function ledger(orgId: string) {
  const pool = getPool();
  const [events, rollups, spend] = await Promise.all([
    pool.query<{ n: string; cost: string | null }>("SELECT count(*) AS n, sum(cost_micros) AS cost FROM events WHERE org_id = $1", [orgId]),
    pool.query<{ n: string | null; cost: string | null }>("SELECT sum(events) AS n, sum(cost_micros) AS cost FROM event_rollups_hourly WHERE org_id = $1", [orgId]),
    pool.query<{ cost: string | null }>("SELECT sum(cost_micros) AS cost FROM spend_daily WHERE org_id = $1", [orgId]),
  ]);
  return {
    events: Number(events.rows[0]?.n ?? 0),
    eventCost: BigInt(events.rows[0]?.cost ?? 0),
    rolledUp: Number(rollups.rows[0]?.n ?? 0),
    rolledUpCost: BigInt(rollups.rows[0]?.cost ?? 0),
    spent: BigInt(spend.rows[0]?.cost ?? 0),
  };
}

describe("lone surrogates and NUL in events", () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await createTestOrg();
  });

  test("a lone surrogate in `agent` (ingest key) rejects that event only; the others are stored", async () => {
    const outcome = await ingestEvents(
      ingestPrincipal(org),
      await factsOf(ingestPrincipal(org)),
      {
        events: [
          { id: "a-1", type: "log", timestamp: at(1), agent: "surrogate-ok" },
          { id: "a-2", type: "log", timestamp: at(2), agent: "bad-\uD800-agent" },
          { id: "a-3", type: "log", timestamp: at(3), agent: "surrogate-ok" },
        ],
      },
      NOW,
    );
    expect(outcome.status).toBe(207);
    expect(outcome.body.accepted).toBe(2);
    expect(outcome.body.duplicates).toBe(0);
    expect(outcome.body.rejected).toEqual([{ index: 1, code: "invalid_event", message: `agent: ${TEXT_MESSAGES.wellFormed}` }]);
    // No agent was discovered under the mangled name.
    expect(await testDb().agent.count({ where: { orgId: org.id, name: { contains: "bad-" } } })).toBe(0);
  });

  test("a lone surrogate in `id` is refused, so no cost is ever stored without being counted", async () => {
    const principal = await agentKeyPrincipal(org, "surrogate-id-agent");
    const before = await ledger(org.id);
    const outcome = await ingestEvents(
      principal,
      await factsOf(principal),
      {
        events: [
          { id: "evt-\uD83D", type: "llm_call", timestamp: at(4), costUsd: "1.25" },
          { id: "evt-ok", type: "llm_call", timestamp: at(5), costUsd: "0.50" },
          { id: "evt-\u0000", type: "llm_call", timestamp: at(6), costUsd: "2" },
        ],
      },
      NOW,
    );
    expect(outcome.status).toBe(207);
    expect(outcome.body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(outcome.body.rejected).toEqual([
      { index: 0, code: "invalid_event", message: `id: ${TEXT_MESSAGES.wellFormed}` },
      { index: 2, code: "invalid_event", message: `id: ${TEXT_MESSAGES.nul}` },
    ]);
    const after = await ledger(org.id);
    expect(after.events - before.events).toBe(1);
    expect(after.eventCost - before.eventCost).toBe(500_000n);
    expect(after.rolledUpCost - before.rolledUpCost).toBe(500_000n);
    expect(after.spent - before.spent).toBe(500_000n);
  });

  test("every other string field refuses them the same way", async () => {
    const principal = await agentKeyPrincipal(org, "surrogate-fields-agent");
    const fields = ["taskId", "traceId", "instanceId", "version", "model", "provider", "tool", "status", "decisionId"];
    const events = fields.map((field, index) => ({ id: `f-${index}`, type: "log", timestamp: at(index), [field]: `x\uDC00` }));
    const { valid, rejected } = validateBatch(principal, { events }, NOW);
    expect(valid).toEqual([]);
    expect(rejected.map((rejection) => rejection.message)).toEqual(fields.map((field) => `${field}: ${TEXT_MESSAGES.wellFormed}`));
  });

  test("attributes are stored as validated: lone surrogates become U+FFFD and NUL is dropped, in keys and values", async () => {
    const principal = await agentKeyPrincipal(org, "surrogate-attributes-agent");
    const outcome = await ingestEvents(
      principal,
      await factsOf(principal),
      { events: [{ id: "attr-1", type: "log", timestamp: at(7), attributes: { "k\uD800": "v\uDC00", nul: "a\u0000b", nested: [{ "x\u0000": "\uD83D\uDE00" }] } }] },
      NOW,
    );
    expect(outcome.status).toBe(200);
    const { rows } = await getPool().query<{ attributes: unknown }>("SELECT attributes FROM events WHERE org_id = $1 AND event_id = 'attr-1'", [org.id]);
    expect(rows[0]?.attributes).toEqual({ "k\uFFFD": "v\uFFFD", nul: "ab", nested: [{ x: "\uD83D\uDE00" }] });
  });

  test("OTLP: a span whose agent name or span id holds a lone surrogate is reported, the others are stored", async () => {
    const span = (spanId: string) => ({ traceId: "5b8efff798038103d269b633813fc60c", spanId, name: "step", startTimeUnixNano: "1763629200000000000" });
    const response = await ingestOtlpTraces(
      ingestPrincipal(org),
      await orgFacts(org.id),
      {
        resourceSpans: [
          { resource: { attributes: [{ key: "service.name", value: { stringValue: "otlp-\uD800" } }] }, scopeSpans: [{ spans: [span("aaaa000000000001")] }] },
          { resource: { attributes: [{ key: "service.name", value: { stringValue: "otlp-fine" } }] }, scopeSpans: [{ spans: [span("aaaa00000000\uDC02"), span("aaaa000000000003")] }] },
        ],
      },
      NOW,
    );
    expect(response.partialSuccess?.rejectedSpans).toBe(2);
    expect(response.partialSuccess?.errorMessage).toContain(`span 0: agent: ${TEXT_MESSAGES.wellFormed}`);
    expect(response.partialSuccess?.errorMessage).toContain(`span 1: `);
    const stored = await getPool().query<{ event_id: string }>("SELECT e.event_id FROM events e JOIN agents a ON a.id = e.agent_id WHERE e.org_id = $1 AND a.name = 'otlp-fine'", [org.id]);
    expect(stored.rows.map((row) => row.event_id)).toEqual(["aaaa000000000003"]);
  });
});

describe("whatever a client sends, no stored event escapes the counts", () => {
  // Ids and agent names drawn from every UTF-16 code unit (lone surrogates and NUL included),
  // often colliding so that duplicates within and across batches are exercised too.
  const text = fc.oneof(fc.constantFrom("a", "b", "\uD800", "\uDFFF", "a\u0000", "\uD83D\uDE00", "\u202Eb"), fc.string({ unit: "binary", minLength: 1, maxLength: 4 }));
  const event = fc.record({
    id: text,
    agent: fc.constantFrom("prop-a", "prop-b", "prop-\uD800", "prop-\u0000"),
    costMicros: fc.integer({ min: 0, max: 5_000_000 }),
    minute: fc.integer({ min: 0, max: 59 }),
  });

  test("events stored = events counted in rollups, and their cost = rolled-up cost = daily spend", async () => {
    const org = await createTestOrg();
    const principal = ingestPrincipal(org);
    let sent = 0;
    let acknowledged = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 12 }), async (batch) => {
        const payload = {
          events: batch.map((item) => ({
            id: item.id,
            agent: item.agent,
            type: "llm_call",
            timestamp: at(item.minute),
            costUsd: (item.costMicros / 1e6).toFixed(6),
          })),
        };
        let accepted = 0;
        let duplicates = 0;
        let rejected = 0;
        try {
          const outcome = await ingestEvents(principal, await factsOf(principal), payload, NOW);
          ({ accepted, duplicates } = outcome.body);
          rejected = outcome.body.rejected.length;
        } catch (error) {
          // Only "nothing in the batch is valid" may be thrown, never a database error.
          expect((error as { code?: string }).code).toBe("invalid_request");
          rejected = batch.length;
        }
        expect(accepted + duplicates + rejected).toBe(batch.length);
        sent += batch.length;
        acknowledged += accepted;

        const now = await ledger(org.id);
        expect(now.events).toBe(acknowledged);
        expect(now.rolledUp).toBe(now.events);
        expect(now.rolledUpCost).toBe(now.eventCost);
        expect(now.spent).toBe(now.eventCost);
      }),
      { numRuns: 40 },
    );
    expect(sent).toBeGreaterThan(0);
  });
});
