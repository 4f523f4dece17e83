// The SDK acknowledges a new directives revision from the stream at once, with a heartbeat:
// the Kill switches page times how fast a halt reaches every connected instance.
import { afterEach, expect, it } from "vitest";
import type { Directives } from "../server/agent-api/schemas";
import { AgentryClient } from "./client";
import { json, startTestServer, waitFor, type TestServer } from "./test-server";

let server: TestServer | null = null;
let agent: AgentryClient | null = null;

afterEach(async () => {
  await agent?.close();
  await server?.close();
});

it("sends a heartbeat carrying each new revision right after applying it, once per revision", async () => {
  const running: Directives = { halt: false, budget: null, revision: 6 };
  const halted: Directives = { halt: true, reason: "kill_switch", killSwitchId: "ks-9", budget: null, revision: 7 };
  server = await startTestServer((request, response) => {
    if (request.path.startsWith("/api/v1/heartbeat")) return json(response, 200, { directives: halted });
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.write(`id: 6\nevent: directives\ndata: ${JSON.stringify(running)}\n\n`);
    setTimeout(() => {
      response.write(`id: 7\nevent: directives\ndata: ${JSON.stringify(halted)}\n\n`);
      // The same revision again (a reconnect, a keep-alive recompute) is not acknowledged twice.
      response.write(`id: 7\nevent: directives\ndata: ${JSON.stringify(halted)}\n\n`);
    }, 30);
  });
  agent = new AgentryClient({ baseUrl: server.url, apiKey: "agt_test", instanceId: "worker-1" });
  const seen: Directives[] = [];
  agent.subscribeDirectives((directives) => seen.push(directives));
  await waitFor(() => (server?.to("/api/v1/heartbeat").length ?? 0) >= 2);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const acks = (server.to("/api/v1/heartbeat") ?? []).map((request) => request.body as { instanceId: string; directiveVersion: number });
  expect(acks.map((ack) => [ack.instanceId, ack.directiveVersion])).toEqual([
    ["worker-1", 6],
    ["worker-1", 7],
  ]);
  expect(seen.at(-1)).toEqual(halted);
});
