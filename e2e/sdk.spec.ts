// The SDK against the running app: an agent that has nothing but the SDK and its key reports
// telemetry, heartbeats and follows its directives; a batch whose answer was lost is retried with
// the same ids and stored once; a batch with a bad event is partly taken (207) and the bad one is
// reported, not retried. Node-side only: no browser.
import { randomUUID } from "node:crypto";
import { AgentryClient, type Directives, type Rejection } from "../sdk";
import { demoFile, expect, test, withDatabase } from "./fixtures";
import { agentStatusOf } from "./stored";

// A quiet demo agent, so other specs' kill switches and budgets are unlikely to touch it.
const AGENT = "access-reviewer";

function agentKey(name = AGENT): string {
  const key = demoFile().agentKeys[name];
  if (!key) throw new Error(`demo.json has no key for ${name}`);
  return key;
}

const clients: AgentryClient[] = [];
function sdk(baseURL: string | undefined, options: Partial<ConstructorParameters<typeof AgentryClient>[0]> = {}): AgentryClient {
  if (!baseURL) throw new Error("no baseURL");
  const client = new AgentryClient({ baseUrl: baseURL, apiKey: agentKey(), retry: { retries: 4, baseDelayMs: 50, maxDelayMs: 500 }, ...options });
  clients.push(client);
  return client;
}

test.afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

async function storedEvents(taskId: string) {
  return withDatabase(async (db) => {
    const { rows } = await db.query<{ event_id: string; type: string; cost_micros: string | null; cost_source: string | null; instance_id: string; agent: string }>(
      `SELECT e.event_id, e.type, e.cost_micros, e.cost_source, e.instance_id, a.name AS agent
         FROM events e JOIN agents a ON a.id = e.agent_id WHERE e.task_id = $1 ORDER BY e.ts, e.id`,
      [taskId],
    );
    return rows;
  });
}

test.describe("the TypeScript SDK", () => {
  test("an agent with only the SDK and its key reports a task and heartbeats", async ({ baseURL }) => {
    const instanceId = `sdk-e2e-${randomUUID().slice(0, 8)}`;
    const client = sdk(baseURL, { instanceId, version: "0.6.0" });
    const taskId = `task-${randomUUID()}`;
    client.track({ type: "task_start", taskId });
    client.track({ type: "llm_call", taskId, model: "gpt-4.1-mini", provider: "openai", inputTokens: 1200, outputTokens: 300, latencyMs: 850 });
    client.track({ type: "tool_call", taskId, tool: "idp_list_groups", latencyMs: 120, status: "ok" });
    client.track({ type: "task_end", taskId, status: "ok", latencyMs: 1100 });
    await client.flush();
    expect(client.stats).toMatchObject({ accepted: 4, duplicates: 0, rejected: 0, failed: 0 });

    const rows = await storedEvents(taskId);
    expect(rows.map((row) => row.type)).toEqual(["task_start", "llm_call", "tool_call", "task_end"]);
    expect(rows.every((row) => row.agent === AGENT && row.instance_id === instanceId)).toBe(true);
    // Priced from the registry: 1200 × $0.40/M + 300 × $1.60/M = $0.00096.
    expect(rows[1]).toMatchObject({ cost_source: "computed", cost_micros: "960" });

    const directives = await client.heartbeat({ status: "ok" });
    expect(typeof directives.halt).toBe("boolean");
    expect(client.directives).toEqual(directives);
    const instance = await withDatabase(async (db) => {
      const { rows: instances } = await db.query<{ version: string; seconds: number }>(
        `SELECT i.version, EXTRACT(EPOCH FROM now() - i.last_heartbeat_at)::float AS seconds
           FROM agent_instances i JOIN agents a ON a.id = i.agent_id WHERE a.name = $1 AND i.instance_id = $2`,
        [AGENT, instanceId],
      );
      return instances[0];
    });
    expect(instance?.version).toBe("0.6.0");
    expect(instance?.seconds).toBeLessThan(60);
  });

  test("a batch whose answer was lost is retried with the same ids and counted once", async ({ baseURL }) => {
    let calls = 0;
    // The server stores the batch, then the connection drops before the answer arrives.
    const lossy: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      calls++;
      if (calls === 1) {
        await response.body?.cancel();
        throw new TypeError("fetch failed: socket hang up");
      }
      return response;
    };
    const client = sdk(baseURL, { fetch: lossy });
    const taskId = `task-${randomUUID()}`;
    const ids = [
      client.track({ type: "task_start", taskId }),
      client.track({ type: "llm_call", taskId, model: "gpt-4.1-mini", inputTokens: 500, outputTokens: 50 }),
      client.track({ type: "task_end", taskId, status: "ok" }),
    ];
    await client.flush();
    expect(calls).toBe(2);
    expect(client.stats).toMatchObject({ retries: 1, accepted: 0, duplicates: 3, failed: 0 });
    const rows = await storedEvents(taskId);
    expect(rows.map((row) => row.event_id)).toEqual(ids);
  });

  test("a batch with a bad event is taken in part (207) and the bad event is reported, not retried", async ({ baseURL }) => {
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests++;
      return fetch(input, init);
    };
    const rejected: Rejection[] = [];
    const client = sdk(baseURL, { fetch: counting, onRejected: (items) => rejected.push(...items) });
    const taskId = `task-${randomUUID()}`;
    const good = client.track({ type: "log", taskId, attributes: { note: "fine" } });
    const bad = client.track({ type: "log", taskId, timestamp: "2999-01-01T00:00:00Z" });
    await client.flush();
    expect(requests).toBe(1);
    expect(client.stats).toMatchObject({ accepted: 1, rejected: 1, failed: 0 });
    expect(rejected).toEqual([expect.objectContaining({ index: 1, code: "invalid_timestamp", event: expect.objectContaining({ id: bad }) })]);
    expect((await storedEvents(taskId)).map((row) => row.event_id)).toEqual([good]);
  });

  test("an agent the registry does not know reports through the ingest key and is discovered", async ({ baseURL }) => {
    const ingestKey = demoFile().ingestKey;
    if (!ingestKey) throw new Error("demo.json has no ingest key");
    const name = `sdk-shadow-${randomUUID().slice(0, 8)}`;
    const client = sdk(baseURL, { apiKey: ingestKey });
    const taskId = `task-${randomUUID()}`;
    client.track({ type: "llm_call", agent: name, taskId, model: "gpt-4o-mini", inputTokens: 100, outputTokens: 10 });
    await client.flush();
    expect(client.stats.accepted).toBe(1);
    expect(await agentStatusOf(name)).toBe("discovered");
  });

  test("follows the directives stream", async ({ baseURL }) => {
    const client = sdk(baseURL, { instanceId: `sdk-stream-${randomUUID().slice(0, 8)}` });
    const received: Directives[] = [];
    const unsubscribe = client.subscribeDirectives((directives) => received.push(directives));
    await expect.poll(() => received.length, { timeout: 10_000 }).toBeGreaterThan(0);
    unsubscribe();
    expect(typeof received[0]?.halt).toBe("boolean");
    expect(received[0]?.revision).toBeGreaterThanOrEqual(0);
    expect(client.directives).toEqual(received.at(-1));
  });
});
