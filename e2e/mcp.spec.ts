// An MCP-speaking agent governed with no custom code: the MCP SDK's own client, over Streamable
// HTTP, against the running app's /api/v1/mcp with the agent's key.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { demoFile, expect, test } from "./fixtures";
import { recordedDecisionOf, storedCopiesOf } from "./stored";

const AGENT = "doc-classifier";

async function connect(baseURL: string | undefined, key: string | null): Promise<Client> {
  if (!baseURL) throw new Error("no baseURL");
  const client = new Client({ name: "e2e-mcp-agent", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL("/api/v1/mcp", baseURL), {
    ...(key ? { requestInit: { headers: { Authorization: `Bearer ${key}` } } } : {}),
  });
  await client.connect(transport);
  return client;
}

function agentKey(): string {
  const key = demoFile().agentKeys[AGENT];
  if (!key) throw new Error(`the demo has no key for ${AGENT}`);
  return key;
}

test("an MCP client lists the tools and calls them as the agent", async ({ baseURL }) => {
  const client = await connect(baseURL, agentKey());
  try {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(["decide", "get_directives", "report_events"]);

    const directives = await client.callTool({ name: "get_directives", arguments: {} });
    expect(directives.isError).toBeFalsy();
    expect(directives.structuredContent).toMatchObject({ halt: false });

    const eventId = `mcp-e2e-${Date.now().toString(36)}`;
    const reported = await client.callTool({
      name: "report_events",
      arguments: { events: [{ id: eventId, type: "llm_call", timestamp: new Date().toISOString(), model: "gpt-4o-mini", inputTokens: 120, outputTokens: 30 }] },
    });
    expect(reported.structuredContent).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] });
    expect(await storedCopiesOf(AGENT, eventId)).toHaveLength(1);

    // The demo's policies: no agent may call delete_records.
    const decided = await client.callTool({ name: "decide", arguments: { action: { type: "tool", name: "delete_records", arguments: { table: "tickets" } } } });
    expect(decided.isError).toBeFalsy();
    expect(decided.structuredContent).toMatchObject({ decision: "deny" });
    const { decisionId } = decided.structuredContent as { decisionId: string };
    expect(await recordedDecisionOf(decisionId)).toBe("deny");
  } finally {
    await client.close();
  }
});

test("without a key the MCP endpoint answers 401 and the client cannot connect", async ({ baseURL, request }) => {
  const response = await request.post("/api/v1/mcp", {
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    data: { jsonrpc: "2.0", id: 1, method: "tools/list" },
  });
  expect(response.status()).toBe(401);
  expect(response.headers()["www-authenticate"]).toMatch(/^Bearer/);
  expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
  await expect(connect(baseURL, null)).rejects.toThrow();
});
