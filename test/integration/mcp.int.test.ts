// The MCP server through the MCP SDK's own client (Streamable HTTP) over real HTTP to the agent
// API: the tools an MCP-speaking agent sees, and that they do what the HTTP endpoints do (same
// pipeline, same records), with the agent key and only with it.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generateApiKey } from "../../server/domain/keys/api-key";
import { agentApiUrl } from "./agent-api";
import { createTestOrg, testDb, type TestOrg } from "./helpers";

const mcpUrl = async () => `${await agentApiUrl()}/api/v1/mcp`;

async function connect(key: string): Promise<Client> {
  const client = new Client({ name: "test-agent", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(await mcpUrl()), { requestInit: { headers: { Authorization: `Bearer ${key}` } } });
  await client.connect(transport);
  return client;
}

describe("MCP server", () => {
  let org: TestOrg;
  let agentId: string;
  let agentKey: string;
  let ingestKey: string;
  let client: Client;

  beforeAll(async () => {
    org = await createTestOrg();
    const agent = await testDb().agent.create({ data: { orgId: org.id, name: "mcp-agent", teamId: org.leadTeamId } });
    agentId = agent.id;
    const key = generateApiKey();
    await testDb().apiKey.create({ data: { orgId: org.id, kind: "agent", agentId, name: "mcp", prefix: key.prefix, hash: key.hash } });
    agentKey = key.key;
    const ingest = generateApiKey();
    await testDb().apiKey.create({ data: { orgId: org.id, kind: "ingest", name: "collector", prefix: ingest.prefix, hash: ingest.hash } });
    ingestKey = ingest.key;
    client = await connect(agentKey);
  });

  afterAll(async () => {
    await client.close();
  });

  test("lists the three tools with JSON Schemas built from the API's zod schemas", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(["decide", "get_directives", "report_events"]);
    const decide = tools.find((tool) => tool.name === "decide");
    expect(decide?.inputSchema.type).toBe("object");
    expect(decide?.inputSchema.required).toEqual(["action"]);
    expect(JSON.stringify(decide?.inputSchema.properties?.action)).toContain('"delegate"');
    const report = tools.find((tool) => tool.name === "report_events");
    expect(JSON.stringify(report?.inputSchema)).toContain('"llm_call"');
    expect(tools.find((tool) => tool.name === "get_directives")?.annotations?.readOnlyHint).toBe(true);
  });

  test("get_directives answers the agent's directives", async () => {
    const answer = await client.callTool({ name: "get_directives", arguments: {} });
    expect(answer.isError).toBeFalsy();
    expect(answer.structuredContent).toMatchObject({ halt: false, budget: null });
  });

  test("report_events stores through the ingest pipeline: counted once, redacted", async () => {
    const events = [
      { id: "mcp-1", type: "llm_call", timestamp: new Date().toISOString(), model: "gpt-test", inputTokens: 10, outputTokens: 5, costUsd: "0.002" },
      { id: "mcp-2", type: "tool_call", timestamp: new Date().toISOString(), tool: "search", attributes: { contact: "jane.doe@example.com" } },
    ];
    const first = await client.callTool({ name: "report_events", arguments: { events } });
    expect(first.structuredContent).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] });
    const again = await client.callTool({ name: "report_events", arguments: { events } });
    expect(again.structuredContent).toMatchObject({ accepted: 0, duplicates: 2 });
    const stored = await testDb().event.findMany({ where: { orgId: org.id, agentId }, orderBy: { eventId: "asc" } });
    expect(stored.map((event) => event.eventId)).toEqual(["mcp-1", "mcp-2"]);
    expect(JSON.stringify(stored[1]?.attributes)).not.toContain("jane.doe@example.com");
  });

  test("report_events with an invalid event is refused with the reason", async () => {
    const answer = await client.callTool({ name: "report_events", arguments: { events: [{ id: "x", type: "nonsense", timestamp: "yesterday" }] } });
    expect(answer.isError).toBe(true);
    expect(JSON.stringify(answer.content)).toMatch(/type|timestamp/);
  });

  test("decide answers like POST /api/v1/decide and records the decision", async () => {
    const answer = await client.callTool({ name: "decide", arguments: { action: { type: "tool", name: "delete_records", arguments: { table: "customers" } } } });
    expect(answer.isError).toBeFalsy();
    const body = answer.structuredContent as { decision: string; decisionId: string; reasons: unknown[] };
    expect(["allow", "deny", "require_approval"]).toContain(body.decision);
    expect(body.reasons.length).toBeGreaterThan(0);
    const record = await testDb().decisionRecord.findUniqueOrThrow({ where: { id: body.decisionId } });
    expect(record).toMatchObject({ orgId: org.id, agentId, actionType: "tool", actionName: "delete_records" });
  });

  test("decide with an unknown action type is refused before anything is recorded", async () => {
    const before = await testDb().decisionRecord.count({ where: { orgId: org.id } });
    const answer = await client.callTool({ name: "decide", arguments: { action: { type: "teleport", name: "x" } } }).catch((error: unknown) => error);
    const text = answer instanceof Error ? answer.message : JSON.stringify((answer as { content: unknown }).content);
    expect(text).toMatch(/Invalid arguments for tool decide/);
    expect(await testDb().decisionRecord.count({ where: { orgId: org.id } })).toBe(before);
  });

  test("without a key: 401 with WWW-Authenticate, and the MCP client cannot connect", async () => {
    const response = await fetch(await mcpUrl(), {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
    await expect(connect("agt_" + "x".repeat(43))).rejects.toThrow();
  });

  test("an org ingest key speaks for no single agent: 403", async () => {
    const response = await fetch(await mcpUrl(), {
      method: "POST",
      headers: { authorization: `Bearer ${ingestKey}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(response.status).toBe(403);
  });

  test("GET (no standalone stream in stateless mode) is 405", async () => {
    const response = await fetch(await mcpUrl(), { headers: { authorization: `Bearer ${agentKey}`, accept: "text/event-stream" } });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });
});
