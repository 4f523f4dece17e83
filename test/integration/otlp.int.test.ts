// OTLP traces through the real ingest path on a real database: a GenAI span is stored as a
// priced, redacted event of the agent it names (discovered if new), a re-sent export is not
// counted again, and a bad span is reported in partialSuccess without sinking the others.
import { beforeAll, describe, expect, test } from "vitest";
import type { AgentPrincipal } from "../../server/agent-api/auth";
import { ingestEvents } from "../../server/agent-api/ingest";
import { ingestOtlpTraces } from "../../server/agent-api/otlp";
import { orgFacts } from "../../server/data/facts";
import { getPool } from "../../server/db/pool";
import { REDACTION_DETECTORS } from "../../server/domain/redaction/redact";
import { createTestOrg, testDb, type TestOrg } from "./helpers";

const START = BigInt(Date.UTC(2026, 10, 20, 9, 0, 0)) * 1_000_000n;
const NOW = new Date(Date.UTC(2026, 10, 20, 12, 0, 0));
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

function chatSpan(spanId: string, extra: { key: string; value: Record<string, unknown> }[] = []) {
  return {
    traceId: "5b8efff798038103d269b633813fc60c",
    spanId,
    name: "chat gpt-test",
    startTimeUnixNano: START.toString(),
    endTimeUnixNano: (START + 400_000_000n).toString(),
    attributes: [
      str("gen_ai.operation.name", "chat"),
      str("gen_ai.provider.name", "openai"),
      str("gen_ai.request.model", "gpt-test"),
      { key: "gen_ai.usage.input_tokens", value: { intValue: "1000" } },
      { key: "gen_ai.usage.output_tokens", value: { intValue: 500 } },
      str("gen_ai.conversation.id", "conv-1"),
      ...extra,
    ],
  };
}

const exportOf = (spans: unknown[], agentName: string) => ({
  resourceSpans: [{ resource: { attributes: [str("gen_ai.agent.name", agentName)] }, scopeSpans: [{ spans }] }],
});

describe("OTLP traces", () => {
  let org: TestOrg;
  let principal: AgentPrincipal;

  beforeAll(async () => {
    org = await createTestOrg();
    await testDb().model.create({
      data: { orgId: org.id, provider: "openai", name: "gpt-test", inputMicrosPerMTok: 1_000_000n, outputMicrosPerMTok: 4_000_000n, qualityTier: 3 },
    });
    principal = { keyId: "00000000-0000-0000-0000-000000000000", orgId: org.id, kind: "ingest", agent: null, redaction: new Set(REDACTION_DETECTORS) };
  });

  async function eventsOf(agentName: string) {
    const { rows } = await getPool().query<{
      event_id: string;
      type: string;
      model: string | null;
      provider: string | null;
      cost_micros: string | null;
      latency_ms: number | null;
      task_id: string | null;
      attributes: Record<string, unknown> | null;
      agent_status: string;
    }>(
      `SELECT e.event_id, e.type, e.model, e.provider, e.cost_micros::text, e.latency_ms, e.task_id, e.attributes, a.status AS agent_status
         FROM events e JOIN agents a ON a.id = e.agent_id WHERE a.org_id = $1 AND a.name = $2 ORDER BY e.event_id`,
      [org.id, agentName],
    );
    return rows;
  }

  test("stores a GenAI span as a priced, redacted event of a discovered agent, once", async () => {
    const body = exportOf([chatSpan("aaaa000000000001", [str("gen_ai.prompt.note", "mail jane.doe@example.com")])], "otel-agent");
    expect(await ingestOtlpTraces(principal, await orgFacts(org.id), body, NOW)).toEqual({});
    expect(await ingestOtlpTraces(principal, await orgFacts(org.id), body, NOW)).toEqual({});

    const rows = await eventsOf("otel-agent");
    expect(rows).toHaveLength(1);
    // 1000 × $1/M + 500 × $4/M = $0.003
    expect(rows[0]).toMatchObject({ event_id: "aaaa000000000001", type: "llm_call", model: "gpt-test", provider: "openai", cost_micros: "3000", latency_ms: 400, task_id: "conv-1", agent_status: "discovered" });
    expect(rows[0]?.attributes?.["gen_ai.prompt.note"]).toBe("mail [REDACTED:EMAIL]");

    const { rows: rollups } = await getPool().query<{ events: number; cost_micros: string }>(
      "SELECT r.events, r.cost_micros::text FROM event_rollups_hourly r JOIN agents a ON a.id = r.agent_id WHERE a.org_id = $1 AND a.name = 'otel-agent'",
      [org.id],
    );
    expect(rollups).toEqual([{ events: 1, cost_micros: "3000" }]);
  });

  test("reports bad spans in partialSuccess and stores the good ones", async () => {
    const future = { ...chatSpan("bbbb000000000002"), startTimeUnixNano: (BigInt(NOW.getTime() + 3 * 86_400_000) * 1_000_000n).toString() };
    const result = await ingestOtlpTraces(principal, await orgFacts(org.id), exportOf([chatSpan("bbbb000000000001"), { spanId: "x" }, future], "otel-partial"), NOW);
    expect(result.partialSuccess?.rejectedSpans).toBe(2);
    expect(result.partialSuccess?.errorMessage).toMatch(/span 1: startTimeUnixNano.*span 2: timestamp: more than a day in the future/);
    expect((await eventsOf("otel-partial")).map((row) => row.event_id)).toEqual(["bbbb000000000001"]);
  });

  test("events with text PostgreSQL cannot hold are cleaned or refused one by one, not failed as a batch", async () => {
    const outcome = await ingestEvents(
      principal,
      await orgFacts(org.id),
      {
        events: [
          { id: "odd-1", type: "log", timestamp: NOW.toISOString(), agent: "odd-agent", attributes: { "k\u0000": "v\u0000", half: "\ud800" } },
          { id: "odd\u00002", type: "log", timestamp: NOW.toISOString(), agent: "odd-agent" },
          { id: "odd-3", type: "log", timestamp: "0000-01-01T00:00:00Z", agent: "odd-agent" },
        ],
      },
      NOW,
    );
    expect(outcome.status).toBe(207);
    expect(outcome.body.rejected.map((rejection) => rejection.index)).toEqual([1, 2]);
    // NUL is dropped, a lone surrogate becomes U+FFFD (server/domain/telemetry/pg-json.ts).
    expect((await eventsOf("odd-agent"))[0]?.attributes).toEqual({ k: "v", half: "\uFFFD" });
  });
});
