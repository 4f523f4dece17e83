// The agent API over real HTTP (docs/agent-api.md): what an agent, an SDK or a curl
// user sends, and what the database holds afterwards.
import { randomBytes } from "node:crypto";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import type { ConsoleApi } from "./console-api";
import { demoFile, expect, test, withDatabase } from "./fixtures";
import { agentIdOf, agentStatusOf, modelPriceOf } from "./stored";

const run = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
let counter = 0;
const uid = (label: string) => `e2e-${label}-${run}-${++counter}`;
const now = () => new Date().toISOString();

const keys = () => demoFile();
const agentKey = (name = "content-writer") => {
  const key = keys().agentKeys[name];
  if (!key) throw new Error(`no demo key for ${name}`);
  return key;
};
const ingestKey = () => {
  const key = keys().ingestKey;
  if (!key) throw new Error("the demo has no ingest key");
  return key;
};

interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string; index?: number }[] };
}

/** Every answer of the agent API is JSON, never an HTML page. */
async function jsonOf<T>(response: APIResponse): Promise<T> {
  expect(response.headers()["content-type"] ?? "").toContain("application/json");
  const text = await response.text();
  expect(text).not.toMatch(/^\s*</);
  return JSON.parse(text) as T;
}

function post(request: APIRequestContext, path: string, key: string | null, body: unknown, headers: Record<string, string> = {}) {
  return request.post(`/api/v1/${path}`, {
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    data: typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
}

async function expectError(response: APIResponse, status: number, code: string): Promise<ErrorBody["error"]> {
  expect(response.status()).toBe(status);
  const body = await jsonOf<ErrorBody>(response);
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}

async function storedEvents(eventIds: string[]) {
  return withDatabase(async (db) => {
    const { rows } = await db.query<{
      event_id: string;
      agent: string;
      type: string;
      model: string | null;
      provider: string | null;
      input_tokens: number | null;
      output_tokens: number | null;
      cost_micros: string | null;
      cost_source: string | null;
      latency_ms: number | null;
      task_id: string | null;
      trace_id: string | null;
      tool: string | null;
      status: string | null;
      attributes: Record<string, unknown> | null;
    }>(
      `SELECT e.event_id, a.name AS agent, e.type, e.model, e.provider, e.input_tokens, e.output_tokens, e.cost_micros::text, e.cost_source,
              e.latency_ms, e.task_id, e.trace_id, e.tool, e.status, e.attributes
         FROM events e JOIN agents a ON a.id = e.agent_id WHERE e.event_id = ANY($1::text[]) ORDER BY e.event_id`,
      [eventIds],
    );
    return rows;
  });
}

/** A new key for an agent of Acme, made in the console by the owner (the answer holds its secret, once). */
async function makeAgentKey(owner: ConsoleApi, agentName: string): Promise<{ key: string; id: string }> {
  const orgId = await owner.orgId();
  const agentId = await agentIdOf(agentName);
  return owner.mutate<{ id: string; key: string }>("keys.createAgentKey", { orgId, agentId, name: `e2e ${run}` });
}

test.describe("POST /api/v1/events", () => {
  test("accepts a batch and answers with counts and the agent's directives", async ({ request }) => {
    const response = await post(request, "events", agentKey(), {
      events: [
        { id: uid("ok"), type: "task_start", timestamp: now(), taskId: "t-1" },
        { id: uid("ok"), type: "tool_call", timestamp: now(), taskId: "t-1", tool: "search_web", latencyMs: 120, status: "ok" },
      ],
    });
    expect(response.status()).toBe(200);
    const body = await jsonOf<Record<string, unknown>>(response);
    expect(body).toEqual({ accepted: 2, duplicates: 0, rejected: [], directives: expect.objectContaining({ halt: false }) });
  });

  test("computes the cost from the model registry's prices when the event has none, and keeps a reported one", async ({ request }) => {
    const price = await modelPriceOf("gpt-4.1-mini");
    expect(price).toBeDefined();
    const [computed, reported] = [uid("priced"), uid("reported")];
    const response = await post(request, "events", agentKey(), {
      events: [
        { id: computed, type: "llm_call", timestamp: now(), model: "gpt-4.1-mini", provider: "openai", inputTokens: 12_345, outputTokens: 6_789 },
        { id: reported, type: "llm_call", timestamp: now(), model: "gpt-4.1-mini", inputTokens: 10, outputTokens: 10, costUsd: "0.0125" },
      ],
    });
    expect(response.status()).toBe(200);
    // By hand: tokens × micro-dollars per million tokens, rounded half up to the micro-dollar.
    const numerator = 12_345n * BigInt(price?.input ?? "0") + 6_789n * BigInt(price?.output ?? "0");
    const expected = (numerator + 500_000n) / 1_000_000n;
    const rows = await storedEvents([computed, reported]);
    const byId = new Map(rows.map((row) => [row.event_id, row]));
    expect(byId.get(computed)).toMatchObject({ cost_micros: expected.toString(), cost_source: "computed" });
    expect(byId.get(reported)).toMatchObject({ cost_micros: "12500", cost_source: "reported" });
  });

  test("a retried batch is acknowledged as duplicates and counted once, rollups included", async ({ request }) => {
    const agent = uid("retry-agent");
    const events = [1, 2, 3].map(() => ({ id: uid("dup"), type: "llm_call", timestamp: now(), agent, model: "gpt-5-nano", inputTokens: 100, outputTokens: 50 }));
    const totals = () =>
      withDatabase(async (db) => {
        const { rows } = await db.query<{ events: string; rollup_events: string | null; rollup_cost: string | null }>(
          `SELECT (SELECT count(*) FROM events e WHERE e.agent_id = a.id)::text AS events,
                  (SELECT sum(r.events) FROM event_rollups_hourly r WHERE r.agent_id = a.id)::text AS rollup_events,
                  (SELECT sum(r.cost_micros) FROM event_rollups_hourly r WHERE r.agent_id = a.id)::text AS rollup_cost
             FROM agents a WHERE a.name = $1`,
          [agent],
        );
        return rows[0];
      });

    const first = await post(request, "events", ingestKey(), { events });
    expect(await jsonOf(first)).toMatchObject({ accepted: 3, duplicates: 0 });
    const before = await totals();
    expect(before).toMatchObject({ events: "3", rollup_events: "3" });

    const retry = await post(request, "events", ingestKey(), { events });
    expect(retry.status()).toBe(200);
    expect(await jsonOf(retry)).toMatchObject({ accepted: 0, duplicates: 3, rejected: [] });
    expect(await totals()).toEqual(before);
  });

  test("one bad event does not sink the others: 207 names its index and field", async ({ request }) => {
    const good = uid("good");
    const response = await post(request, "events", agentKey(), {
      events: [
        { id: good, type: "log", timestamp: now() },
        { id: uid("bad"), type: "log", timestamp: "yesterday" },
      ],
    });
    expect(response.status()).toBe(207);
    const body = await jsonOf<{ accepted: number; rejected: { index: number; code: string; message: string }[] }>(response);
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([{ index: 1, code: "invalid_event", message: expect.stringContaining("timestamp") }]);
    expect((await storedEvents([good])).length).toBe(1);
  });

  test("refuses malformed JSON, an unknown type, a non-ISO timestamp and 1001 events with 400 and details", async ({ request }) => {
    const malformed = await expectError(await post(request, "events", agentKey(), '{"events": [ {"id": '), 400, "invalid_request");
    expect(malformed.details?.[0]?.path).toBe("(body)");

    const unknownType = await expectError(await post(request, "events", agentKey(), { events: [{ id: uid("x"), type: "telepathy", timestamp: now() }] }), 400, "invalid_request");
    expect(unknownType.details).toEqual([expect.objectContaining({ path: "events.0.type", index: 0 })]);

    const notIso = await expectError(await post(request, "events", agentKey(), { events: [{ id: uid("x"), type: "log", timestamp: "25/11/2026 10:00" }] }), 400, "invalid_request");
    expect(notIso.details).toEqual([expect.objectContaining({ path: "events.0.timestamp", index: 0 })]);

    const wrongTypes = await expectError(await post(request, "events", agentKey(), { events: [{ id: uid("x"), type: "llm_call", timestamp: now(), inputTokens: "many" }] }), 400, "invalid_request");
    expect(wrongTypes.details).toEqual([expect.objectContaining({ path: "events.0.inputTokens", index: 0 })]);

    const tooMany = Array.from({ length: 1001 }, () => ({ id: uid("many"), type: "log", timestamp: now() }));
    const limit = await expectError(await post(request, "events", agentKey(), { events: tooMany }), 400, "invalid_request");
    expect(limit.details).toEqual([expect.objectContaining({ path: "events", message: expect.stringContaining("1000") })]);
  });

  test("text PostgreSQL cannot store and absurd nesting are a 400 or cleaned, never a 500", async ({ request }) => {
    const withNul = await expectError(await post(request, "events", agentKey(), { events: [{ id: "nul\u0000id", type: "log", timestamp: now() }] }), 400, "invalid_request");
    expect(withNul.details?.[0]).toMatchObject({ path: "events.0.id", index: 0 });

    const odd = uid("odd-text");
    const cleaned = await post(request, "events", agentKey(), { events: [{ id: odd, type: "log", timestamp: now(), attributes: { note: "a\u0000b", half: "x\ud800y" } }] });
    expect(cleaned.status()).toBe(200);
    // NUL is dropped and a lone surrogate becomes U+FFFD (server/domain/telemetry/pg-json.ts).
    expect((await storedEvents([odd]))[0]?.attributes).toEqual({ note: "ab", half: "x\uFFFDy" });

    const deep = `{"events":[{"id":"${uid("deep")}","type":"log","timestamp":"${now()}","attributes":{"a":${"[".repeat(5000)}${"]".repeat(5000)}}}]}`;
    await expectError(await post(request, "events", agentKey(), deep), 400, "invalid_request");

    const yearZero = await post(request, "events", agentKey(), { events: [{ id: uid("y0"), type: "log", timestamp: "0000-01-01T00:00:00Z" }] });
    expect(yearZero.status()).toBe(400);
  });

  test("refuses a body over 1 MiB with 413", async ({ request }) => {
    const padding = "x".repeat(1024 * 1024);
    const error = await expectError(await post(request, "events", agentKey(), { events: [{ id: uid("big"), type: "log", timestamp: now(), attributes: { padding } }] }), 413, "payload_too_large");
    expect(error.message).toContain("1048576");
  });

  test("stores attributes with emails, card numbers and bearer tokens redacted", async ({ request }) => {
    const id = uid("redact");
    const secrets = { email: "jane.doe@example.com", card: "4111 1111 1111 1111", token: "Bearer sk-live-7f3a9c2e4b1d8f6a" };
    const response = await post(request, "events", agentKey(), {
      events: [{ id, type: "tool_call", timestamp: now(), tool: "send_mail", attributes: { to: secrets.email, note: `card ${secrets.card} on file`, headers: { authorization: secrets.token } } }],
    });
    expect(response.status()).toBe(200);
    const stored = JSON.stringify((await storedEvents([id]))[0]?.attributes);
    for (const secret of [secrets.email, secrets.card, "sk-live-7f3a9c2e4b1d8f6a"]) expect(stored).not.toContain(secret);
    expect(stored).toContain("[REDACTED:EMAIL]");
    expect(stored).toContain("[REDACTED:CARD]");
    expect(stored).toContain("Bearer [REDACTED:BEARER]");
  });
});

test.describe("keys", () => {
  const batch = () => ({ events: [{ id: uid("auth"), type: "log", timestamp: now() }] });

  test("a missing, garbage or unknown key gets 401", async ({ request }) => {
    await expectError(await post(request, "events", null, batch()), 401, "unauthorized");
    await expectError(await post(request, "events", "not-a-key", batch()), 401, "unauthorized");
    await expectError(await post(request, "events", `agt_${randomBytes(32).toString("base64url")}`, batch()), 401, "unauthorized");
  });

  test("a revoked key gets 401 from its next request on", async ({ request, consoleAs }) => {
    const owner = await consoleAs("owner");
    const { key, id } = await makeAgentKey(owner, "seo-optimizer");
    expect((await post(request, "events", key, batch())).status()).toBe(200);
    await owner.mutate("keys.revoke", { orgId: await owner.orgId(), keyId: id });
    await expectError(await post(request, "events", key, batch()), 401, "unauthorized");
    await expectError(await post(request, "heartbeat", key, { instanceId: "i-1" }), 401, "unauthorized");
  });

  test("an ingest key's events must name their agent; an unknown name appears as a discovered agent", async ({ request }) => {
    const missing = await expectError(await post(request, "events", ingestKey(), { events: [{ id: uid("anon"), type: "log", timestamp: now() }] }), 400, "invalid_request");
    expect(missing.details).toEqual([expect.objectContaining({ path: "events.0.agent", index: 0 })]);

    const name = uid("shadow-agent");
    const response = await post(request, "events", ingestKey(), { events: [{ id: uid("shadow"), type: "llm_call", timestamp: now(), agent: name, model: "gpt-5-mini" }] });
    expect(response.status()).toBe(200);
    expect(await jsonOf(response)).toMatchObject({ accepted: 1, directives: null });
    expect(await agentStatusOf(name)).toBe("discovered");
  });
});

test.describe("POST /api/v1/heartbeat", () => {
  test("answers with the agent's directives", async ({ request }) => {
    const response = await post(request, "heartbeat", agentKey("ticket-router"), { instanceId: uid("instance"), version: "1.0.0", status: "running" });
    expect(response.status()).toBe(200);
    const body = await jsonOf<{ directives: { halt: boolean; budget: unknown } }>(response);
    expect(body.directives.halt).toBe(false);
    expect(body.directives).toHaveProperty("budget");
  });

  test("needs an agent key and a valid body", async ({ request }) => {
    await expectError(await post(request, "heartbeat", ingestKey(), { instanceId: "i-1" }), 403, "forbidden");
    const invalid = await expectError(await post(request, "heartbeat", agentKey("ticket-router"), { instanceId: 42 }), 400, "invalid_request");
    expect(invalid.details).toEqual([expect.objectContaining({ path: "instanceId" })]);
  });
});

test.describe("POST /api/v1/otlp/v1/traces", () => {
  /** The span a user would curl: one chat call with the GenAI semantic conventions. */
  function chatSpan(spanId: string, conversation: string) {
    const start = BigInt(Date.now()) * 1_000_000n;
    const attr = (key: string, value: Record<string, unknown>) => ({ key, value });
    return {
      traceId: randomBytes(16).toString("hex"),
      spanId,
      name: "chat gpt-4.1-mini",
      kind: 3,
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: (start + 850_000_000n).toString(),
      attributes: [
        attr("gen_ai.operation.name", { stringValue: "chat" }),
        attr("gen_ai.provider.name", { stringValue: "openai" }),
        attr("gen_ai.request.model", { stringValue: "gpt-4.1-mini" }),
        attr("gen_ai.usage.input_tokens", { intValue: "1000" }),
        attr("gen_ai.usage.output_tokens", { intValue: 200 }),
        attr("gen_ai.conversation.id", { stringValue: conversation }),
        attr("gen_ai.request.temperature", { doubleValue: 0.2 }),
      ],
      status: { code: 1 },
    };
  }
  const envelope = (spans: unknown[], resource: { key: string; value: { stringValue: string } }[] = []) => ({
    resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ scope: { name: "e2e" }, spans }] }],
  });

  test("a GenAI span becomes an event with the mapped fields; a retry is not counted twice", async ({ request }) => {
    const spanId = randomBytes(8).toString("hex");
    const conversation = uid("conv");
    const span = chatSpan(spanId, conversation);
    const body = envelope([span], [{ key: "service.name", value: { stringValue: "support-chatbot" } }]);
    const response = await post(request, "otlp/v1/traces", ingestKey(), body);
    expect(response.status()).toBe(200);
    expect(await jsonOf(response)).toEqual({});
    const retry = await post(request, "otlp/v1/traces", ingestKey(), body);
    expect(await jsonOf(retry)).toEqual({});

    const rows = await storedEvents([spanId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      agent: "support-chatbot",
      type: "llm_call",
      model: "gpt-4.1-mini",
      provider: "openai",
      input_tokens: 1000,
      output_tokens: 200,
      latency_ms: 850,
      task_id: conversation,
      trace_id: span.traceId,
      status: "ok",
      cost_source: "computed",
    });
    expect(rows[0]?.attributes).toMatchObject({ "gen_ai.operation.name": "chat", "gen_ai.request.temperature": 0.2, "otel.span.name": "chat gpt-4.1-mini" });
  });

  test("rejected spans are reported in OTLP's partialSuccess; the others are stored", async ({ request }) => {
    const good = randomBytes(8).toString("hex");
    const response = await post(request, "otlp/v1/traces", agentKey("support-chatbot"), envelope([chatSpan(good, uid("conv")), { spanId: "no-start-time" }]));
    expect(response.status()).toBe(200);
    const body = await jsonOf<{ partialSuccess: { rejectedSpans: number; errorMessage: string } }>(response);
    expect(body.partialSuccess.rejectedSpans).toBe(1);
    expect(body.partialSuccess.errorMessage).toContain("span 1");
    expect(body.partialSuccess.errorMessage).toContain("startTimeUnixNano");
    expect(await storedEvents([good])).toHaveLength(1);
  });

  test("refuses other media types with 415, undecodable protobuf, a malformed envelope and more than 1000 spans with 400", async ({ request }) => {
    const text = await expectError(await post(request, "otlp/v1/traces", ingestKey(), "spans", { "content-type": "text/plain" }), 415, "unsupported_media_type");
    expect(text.message).toContain("application/x-protobuf");
    // A protobuf export is refused in protobuf: OTLP/HTTP's google.rpc.Status.
    const truncated = Buffer.from([0x0a, 0x05, 0x12, 0x03]);
    const undecodable = await post(request, "otlp/v1/traces", ingestKey(), truncated, { "content-type": "application/x-protobuf" });
    expect(undecodable.status()).toBe(400);
    expect(undecodable.headers()["content-type"]).toContain("application/x-protobuf");
    await expectError(await post(request, "otlp/v1/traces", ingestKey(), { resourceSpans: "all of them" }), 400, "invalid_request");
    const spans = Array.from({ length: 1001 }, (_, i) => ({ spanId: `s${i}`, startTimeUnixNano: "1" }));
    await expectError(await post(request, "otlp/v1/traces", ingestKey(), envelope(spans)), 400, "invalid_request");
  });
});

test.describe("the rest of /api/v1", () => {
  test("an unknown path or method answers JSON, never HTML", async ({ request }) => {
    await expectError(await request.get("/api/v1/no-such-thing"), 404, "not_found");
    await expectError(await request.post("/api/v1/no/such/thing", { data: "{}" }), 404, "not_found");
    await expectError(await request.get("/api/v1/events"), 405, "method_not_allowed");
  });

  test("serves its OpenAPI document", async ({ request }) => {
    const response = await request.get("/api/v1/openapi.json");
    expect(response.status()).toBe(200);
    const document = await jsonOf<{ openapi: string; paths: Record<string, unknown> }>(response);
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/api/v1/events", "/api/v1/heartbeat", "/api/v1/otlp/v1/traces", "/api/v1/decide"]));
  });
});
