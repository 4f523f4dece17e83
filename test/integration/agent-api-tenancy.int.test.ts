// The agent API's side of the tenancy matrix (docs/security.md); the console's side
// is tenancy-matrix.int.test.ts. Two organisations: B, with one of everything an agent can name
// (agents, an approved and a pending approval, an instance, events, a kill switch on the whole
// org), and A, whose keys try to reach it. Every endpoint is tried over HTTP with every key type
// that must open nothing of B: a revoked key, the key of an agent that was archived, B's ingest
// key where an agent key is needed, and A's agent and ingest keys naming B's ids and names. After
// every test, every row of B (in every table that has an org_id) is exactly as it was, and no
// answer carried anything of B.
import { randomUUID } from "node:crypto";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { generateApiKey } from "../../server/domain/keys/api-key";
import { getPool } from "../../server/db/pool";
import { protobufBody, recordSpans } from "../otel/spans";
import { agentApiUrl } from "./agent-api";
import { callerFor, createTestOrg, testDb, type TestOrg } from "./helpers";
import { apiRefusalProblem, otlpStatusProblem, send, type RawAnswer, type RawRequest } from "./raw-http";

interface Agent {
  id: string;
  name: string;
  key: string;
}

interface Side {
  org: TestOrg;
  agent: Agent;
  ingestKey: string;
}

let a: Side;
let b: Side & {
  revokedKey: string;
  archived: Agent;
  approved: string;
  pending: string;
  killSwitchId: string;
};
/** Strings only B's things carry: no answer to anyone but B may contain one. */
let markersOfB: string[];
const answersToOthers: RawAnswer[] = [];

const REFUND = { type: "tool", name: "refund", arguments: { amount: 120 } } as const;

async function agentOf(org: TestOrg, name: string): Promise<Agent> {
  const agent = await testDb().agent.create({ data: { orgId: org.id, name, teamId: org.leadTeamId } });
  const key = generateApiKey();
  await testDb().apiKey.create({ data: { orgId: org.id, kind: "agent", agentId: agent.id, name: "tenancy", prefix: key.prefix, hash: key.hash } });
  return { id: agent.id, name, key: key.key };
}

async function ingestKeyOf(org: TestOrg): Promise<string> {
  const key = generateApiKey();
  await testDb().apiKey.create({ data: { orgId: org.id, kind: "ingest", name: "tenancy ingest", prefix: key.prefix, hash: key.hash } });
  return key.key;
}

/** An org whose agents may act unless a policy says otherwise, and whose refunds need a person. */
async function governedOrg(): Promise<TestOrg> {
  const org = await createTestOrg();
  await testDb().org.update({ where: { id: org.id }, data: { settings: { policyDefault: "allow" } } });
  await testDb().policy.create({
    data: { orgId: org.id, name: "refunds need a person", status: "enforced", cedar: '@approval("true")\npermit (principal, action == Action::"tool", resource == Tool::"refund");' },
  });
  return org;
}

beforeAll(async () => {
  const [orgA, orgB] = [await governedOrg(), await governedOrg()];
  const tag = randomUUID().slice(0, 8);
  a = { org: orgA, agent: await agentOf(orgA, `a-agent-${tag}`), ingestKey: await ingestKeyOf(orgA) };

  const agentB = await agentOf(orgB, `b-agent-${tag}`);
  const approval = (status: "approved" | "pending") =>
    testDb().approval.create({
      data: {
        orgId: orgB.id,
        agentId: agentB.id,
        teamId: orgB.leadTeamId,
        decisionId: randomUUID(),
        actionType: REFUND.type,
        actionName: REFUND.name,
        arguments: REFUND.arguments,
        status,
        ...(status === "approved" ? { decidedAt: new Date(), decidedBy: `approver-${tag}` } : {}),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
  const [approved, pending] = [await approval("approved"), await approval("pending")];
  // B's own traffic, through B's own key, before anyone else tries: an instance and an event.
  const base = await agentApiUrl();
  expect((await send(base, json("POST", "/api/v1/heartbeat", agentB.key, { instanceId: "shared-instance" }))).status).toBe(200);
  expect((await send(base, json("POST", "/api/v1/events", agentB.key, { events: [{ id: `b-event-${tag}`, type: "log", timestamp: new Date().toISOString() }] }))).status).toBe(200);

  // The archived agent's key: archived the way the console does it (which revokes its keys).
  const archived = await agentOf(orgB, `b-archived-${tag}`);
  await callerFor(orgB.users.owner.userId).agents.archive({ orgId: orgB.id, agentId: archived.id, reason: "tenancy test" });
  const revoked = generateApiKey();
  await testDb().apiKey.create({ data: { orgId: orgB.id, kind: "agent", agentId: agentB.id, name: "revoked", prefix: revoked.prefix, hash: revoked.hash, revokedAt: new Date() } });
  const { name: orgName } = await testDb().org.findUniqueOrThrow({ where: { id: orgB.id }, select: { name: true } });
  const engaged = await callerFor(orgB.users.owner.userId).killSwitches.engage({ orgId: orgB.id, scope: "org", target: "", reason: `stop-${tag}`, confirmation: orgName });

  b = { org: orgB, agent: agentB, ingestKey: await ingestKeyOf(orgB), revokedKey: revoked.key, archived, approved: approved.id, pending: pending.id, killSwitchId: engaged.id };
  markersOfB = [orgB.id, agentB.id, agentB.name, archived.id, archived.name, approved.id, pending.id, engaged.id, `approver-${tag}`, `stop-${tag}`, `b-event-${tag}`];
  snapshotOfB = await snapshot(orgB.id);
});

// ---------------------------------------------------------------------------------------------
// Every row of B, in every table that has an org_id (listed from the database, so a new table is covered).

let snapshotOfB: Map<string, string>;

async function snapshot(orgId: string): Promise<Map<string, string>> {
  const { rows: tables } = await getPool().query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema = 'public' AND c.column_name = 'org_id' AND t.table_type = 'BASE TABLE'
        -- The rate limiter's counts of a key's requests (published every 250 ms) are bookkeeping, as
        -- last_used_at is: a key of B that authenticated and was then refused still counts against B's limit.
        AND c.table_name <> 'rate_limit_windows'
        -- The follow-up outbox is drained by whichever process (or test file) drains first: its rows
        -- come and go with the system's own work, not with what A's callers do.
        AND c.table_name <> 'event_follow_ups'
      ORDER BY 1`,
  );
  const out = new Map<string, string>();
  for (const { table_name: table } of tables) {
    // When a key was last used is bookkeeping, not data: B's ingest key refused on an agent endpoint still authenticated.
    const { rows } = await getPool().query<{ digest: string; n: string }>(
      `SELECT md5(coalesce(string_agg(row, '|' ORDER BY row), '')) AS digest, count(*) AS n
         FROM (SELECT (to_jsonb(t) - 'last_used_at')::text AS row FROM "${table}" t WHERE org_id = $1) rows`,
      [orgId],
    );
    out.set(table, `${rows[0]?.n} rows, ${rows[0]?.digest}`);
  }
  return out;
}

afterEach(async () => {
  expect(await snapshot(b.org.id)).toEqual(snapshotOfB);
  for (const answer of answersToOthers.splice(0)) {
    for (const marker of markersOfB) expect(answer.text, `an answer carried B's "${marker}"`).not.toContain(marker);
  }
});

// ---------------------------------------------------------------------------------------------
// Calls.

function json(method: string, path: string, key: string | null, body?: unknown): RawRequest {
  return {
    method,
    path,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  };
}

/** A call by anyone but B: its answer must carry nothing of B. */
async function call(request: RawRequest): Promise<RawAnswer> {
  const answer = await send(await agentApiUrl(), request);
  answersToOthers.push(answer);
  return answer;
}

function mcpCall(key: string, tool: string, args: unknown): RawRequest {
  const request = json("POST", "/api/v1/mcp", key, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: tool, arguments: args } });
  request.headers = { ...request.headers, accept: "application/json, text/event-stream" };
  return request;
}

const mcpResult = (answer: RawAnswer) => (JSON.parse(answer.text) as { result: { isError?: boolean; structuredContent?: Record<string, unknown>; content: { text: string }[] } }).result;

/** The first directives message of a stream. */
async function firstDirectives(key: string): Promise<{ halt: boolean; killSwitchId?: string; raw: string }> {
  const response = await fetch(`${await agentApiUrl()}/api/v1/directives/stream?instanceId=tenancy`, { headers: { authorization: `Bearer ${key}` } });
  expect(response.status).toBe(200);
  const reader = response.body?.getReader();
  if (!reader) throw new Error("no stream");
  let text = "";
  try {
    for (;;) {
      const match = /event: directives\ndata: (.*)\n\n/.exec(text);
      if (match?.[1]) return { ...(JSON.parse(match[1]) as { halt: boolean; killSwitchId?: string }), raw: match[1] };
      const chunk = await reader.read();
      if (chunk.done) throw new Error(`the stream ended: ${text}`);
      text += new TextDecoder().decode(chunk.value);
    }
  } finally {
    await reader.cancel();
  }
}

const now = () => new Date().toISOString();

/** One request per endpoint, each naming B's things where the endpoint takes a name or an id. */
function everyEndpoint(key: string): { name: string; request: RawRequest; protobuf?: boolean }[] {
  return [
    { name: "decide", request: json("POST", "/api/v1/decide", key, { action: REFUND, approvalId: b.approved }) },
    { name: "events", request: json("POST", "/api/v1/events", key, { events: [{ id: `x-${randomUUID()}`, type: "log", timestamp: now(), agent: b.agent.name }] }) },
    { name: "heartbeat", request: json("POST", "/api/v1/heartbeat", key, { instanceId: "shared-instance" }) },
    { name: "approvals/:id", request: json("GET", `/api/v1/approvals/${b.approved}`, key) },
    { name: "approvals/:id?waitMs", request: json("GET", `/api/v1/approvals/${b.pending}?waitMs=50`, key) },
    { name: "directives/stream", request: json("GET", "/api/v1/directives/stream?instanceId=shared-instance", key) },
    { name: "otlp (JSON)", request: json("POST", "/api/v1/otlp/v1/traces", key, otlpNaming(b.agent.id, `span${randomUUID().slice(0, 12)}`)) },
    { name: "mcp", request: mcpCall(key, "get_directives", {}) },
  ];
}

function otlpNaming(agent: string, spanId: string) {
  const nanos = `${BigInt(Date.now()) * 1_000_000n}`;
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "gen_ai.agent.id", value: { stringValue: agent } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: "5b8efff798038103d269b633813fc60c",
                spanId,
                name: "chat",
                startTimeUnixNano: nanos,
                endTimeUnixNano: nanos,
                attributes: [{ key: "gen_ai.operation.name", value: { stringValue: "chat" } }],
              },
            ],
          },
        ],
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------

describe("the agent API across the org boundary", () => {
  test("B's revoked key and the key of B's archived agent open nothing: 401 everywhere", async () => {
    for (const key of [b.revokedKey, b.archived.key]) {
      for (const { name, request } of everyEndpoint(key)) {
        const answer = await call(request);
        expect(answer.status, name).toBe(401);
        expect(apiRefusalProblem(answer), name).toBeNull();
      }
      const protobuf = await call({
        method: "POST",
        path: "/api/v1/otlp/v1/traces",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/x-protobuf" },
        body: await spansNaming(b.agent.name),
      });
      expect(protobuf.status).toBe(401);
      expect(otlpStatusProblem(protobuf)).toBeNull();
    }
  });

  test("B's ingest key is refused (403) on every endpoint that acts as one agent", async () => {
    const agentOnly = new Set(["decide", "heartbeat", "approvals/:id", "approvals/:id?waitMs", "directives/stream", "mcp"]);
    for (const { name, request } of everyEndpoint(b.ingestKey).filter((endpoint) => agentOnly.has(endpoint.name))) {
      const answer = await call(request);
      expect(answer.status, name).toBe(403);
      expect(apiRefusalProblem(answer), name).toBeNull();
    }
  });

  test("A's ingest key is refused (403) on every endpoint that acts as one agent, naming B's things or not", async () => {
    const agentOnly = new Set(["decide", "heartbeat", "approvals/:id", "approvals/:id?waitMs", "directives/stream", "mcp"]);
    for (const { name, request } of everyEndpoint(a.ingestKey).filter((endpoint) => agentOnly.has(endpoint.name))) {
      const answer = await call(request);
      expect(answer.status, name).toBe(403);
      expect(apiRefusalProblem(answer), name).toBeNull();
    }
  });

  test("A's agent cannot read, wait on or use B's approvals", async () => {
    for (const id of [b.approved, b.pending]) {
      for (const query of ["", "?waitMs=100"]) {
        const answer = await call(json("GET", `/api/v1/approvals/${id}${query}`, a.agent.key));
        expect(answer.status).toBe(404);
        expect(apiRefusalProblem(answer)).toBeNull();
      }
    }
    // The very action B's approval was granted for, with its id: not allowed, and B's approval stays unused.
    const decided = await call(json("POST", "/api/v1/decide", a.agent.key, { action: REFUND, approvalId: b.approved }));
    expect(decided.status).toBe(200);
    const body = JSON.parse(decided.text) as { decision: string; reasons: { code: string }[] };
    expect(body.decision).not.toBe("allow");
    expect(body.reasons.map((reason) => reason.code)).toContain("approval_not_found");
    const viaMcp = mcpResult(await call(mcpCall(a.agent.key, "decide", { action: REFUND, approvalId: b.approved })));
    expect(viaMcp.structuredContent?.decision).not.toBe("allow");
    expect(await testDb().approval.findUniqueOrThrow({ where: { id: b.approved }, select: { usedAt: true } })).toEqual({ usedAt: null });
  });

  test("events naming B's agent by name or id are discovered in A, never attached to B's agent", async () => {
    const references = [b.agent.name, b.agent.id];
    const sent = await call(
      json("POST", "/api/v1/events", a.ingestKey, { events: references.map((agent, i) => ({ id: `cross-${i}-${randomUUID()}`, type: "llm_call", timestamp: now(), agent, costUsd: "0.5" })) }),
    );
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.text)).toMatchObject({ accepted: 2, rejected: [] });
    // OTLP names the agent through gen_ai.agent.* attributes, JSON and protobuf alike.
    const otlp = await call(json("POST", "/api/v1/otlp/v1/traces", a.ingestKey, otlpNaming(b.agent.id, `span${randomUUID().replaceAll("-", "").slice(0, 12)}`)));
    expect([otlp.status, otlp.text]).toEqual([200, "{}"]);
    const protobuf = await call({
      method: "POST",
      path: "/api/v1/otlp/v1/traces",
      headers: { authorization: `Bearer ${a.ingestKey}`, "content-type": "application/x-protobuf" },
      body: await spansNaming(b.agent.name),
    });
    expect(protobuf.status).toBe(200);

    for (const reference of references) {
      const discovered = await testDb().agent.findUniqueOrThrow({ where: { orgId_name: { orgId: a.org.id, name: reference } } });
      expect(discovered.status).toBe("discovered");
      expect(discovered.id).not.toBe(b.agent.id);
      expect(await testDb().event.count({ where: { agentId: discovered.id, orgId: a.org.id } })).toBeGreaterThanOrEqual(2);
    }
    expect(await testDb().event.count({ where: { agentId: b.agent.id, orgId: { not: b.org.id } } })).toBe(0);
  });

  test("A's agent key may not report events as B's agent: refused, nothing stored anywhere", async () => {
    const before = await testDb().event.count({ where: { orgId: a.org.id } });
    for (const agent of [b.agent.name, b.agent.id]) {
      const answer = await call(json("POST", "/api/v1/events", a.agent.key, { events: [{ id: `as-b-${randomUUID()}`, type: "log", timestamp: now(), agent }] }));
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text)).toMatchObject({ error: { code: "invalid_request", details: [{ path: "events.0.agent" }] } });
      const viaMcp = mcpResult(await call(mcpCall(a.agent.key, "report_events", { events: [{ id: `as-b-${randomUUID()}`, type: "log", timestamp: now(), agent }] })));
      expect(viaMcp.isError).toBe(true);
      expect(viaMcp.content[0]?.text).toMatch(/agent/);
    }
    expect(await testDb().event.count({ where: { orgId: a.org.id } })).toBe(before);
  });

  test("A's agent hears A's directives, never B's: B's org-wide kill switch halts B alone", async () => {
    // The control: B's own agent is halted by B's switch (so the switch is live and the test could fail).
    const ofB = await firstDirectives(b.agent.key);
    expect(ofB).toMatchObject({ halt: true, killSwitchId: b.killSwitchId });
    // B's stream just marked its instance alive: that is B's own doing, so it becomes part of B's picture.
    await new Promise((resolve) => setTimeout(resolve, 100));
    snapshotOfB = await snapshot(b.org.id);

    const stream = await firstDirectives(a.agent.key);
    expect(stream.halt).toBe(false);
    answersToOthers.push({ status: 200, headers: {}, body: Buffer.from(stream.raw), text: stream.raw });
    const heartbeat = await call(json("POST", "/api/v1/heartbeat", a.agent.key, { instanceId: "shared-instance" }));
    expect(JSON.parse(heartbeat.text)).toMatchObject({ directives: { halt: false } });
    const decided = await call(json("POST", "/api/v1/decide", a.agent.key, { action: { type: "tool", name: "lookup", arguments: { q: randomUUID() } } }));
    expect(JSON.parse(decided.text)).toMatchObject({ decision: "allow", directives: { halt: false } });
    const viaMcp = mcpResult(await call(mcpCall(a.agent.key, "get_directives", {})));
    expect(viaMcp.structuredContent).toMatchObject({ halt: false });
    // A's instance of the same name is A's own.
    expect(await testDb().agentInstance.count({ where: { orgId: a.org.id, agentId: a.agent.id, instanceId: "shared-instance" } })).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100)); // A's stream marks A's instance alive: let it land before B is compared
  });

  test("every endpoint with A's own keys, naming B's ids and names, answers about A only", async () => {
    for (const key of [a.agent.key, a.ingestKey]) {
      for (const { name, request } of everyEndpoint(key)) {
        const answer = name === "directives/stream" ? null : await call(request);
        if (answer && answer.status >= 400) expect(apiRefusalProblem(answer), `${name}: ${answer.text}`).toBeNull();
        if (answer) expect(answer.status, `${name}: ${answer.text}`).toBeLessThan(500);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  });
});

async function spansNaming(agentName: string): Promise<Buffer> {
  const spans = await recordSpans((tracer) => tracer.startSpan("chat", { attributes: { "gen_ai.operation.name": "chat", "gen_ai.agent.name": agentName } }).end());
  return protobufBody(spans);
}
