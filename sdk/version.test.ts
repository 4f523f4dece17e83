// The SDK follows the version Agentry directs each instance to run, and stamps its events and
// heartbeats with it: against a real HTTP server on the loopback interface.
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Directives } from "../server/agent-api/schemas";
import { AgentryClient, type DirectedVersion } from "./client";
import { acceptAll, json, startTestServer, type TestServer } from "./test-server";

let server: TestServer;
const clients: AgentryClient[] = [];

beforeEach(async () => {
  server = await startTestServer();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await server.close();
});

function client(version = "2.1.0"): AgentryClient {
  const made = new AgentryClient({ baseUrl: server.url, apiKey: "agt_test", instanceId: "router-1", version, flushIntervalMs: 60_000, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
  clients.push(made);
  return made;
}

const candidate = { id: "22222222-2222-4222-8222-222222222222", label: "2.2.0" };
const stable = { id: "11111111-1111-4111-8111-111111111111", label: "2.1.0" };
const directives = (version?: DirectedVersion): Directives => ({ halt: false, budget: null, revision: 7, ...(version ? { version } : {}) });

/** Heartbeats answer each instance with its own version: router-1 is in the canary, the others are not. */
function assignByInstance() {
  server.handle((request, response) => {
    if (request.path === "/api/v1/heartbeat") {
      const { instanceId } = request.body as { instanceId: string };
      return json(response, 200, { directives: directives(instanceId === "router-1" ? candidate : stable) });
    }
    acceptAll(request, response);
  });
}

const sentEvents = () => server.to("/api/v1/events").flatMap((request) => (request.body as { events: { instanceId: string; version?: string }[] }).events);

describe("directed versions", () => {
  test("until a version is directed, events and heartbeats carry the configured one", async () => {
    const agent = client();
    assignByInstance();
    agent.track({ type: "log" });
    await agent.flush();
    expect(sentEvents()[0]?.version).toBe("2.1.0");
    expect(agent.directedVersion()).toBeUndefined();
  });

  test("a heartbeat's directed version is followed: later events and heartbeats report it, and onVersion says so once", async () => {
    const agent = client();
    assignByInstance();
    const changes: [string, string][] = [];
    agent.onVersion((version, instanceId) => changes.push([version.label, instanceId]));
    await agent.heartbeat();
    await agent.heartbeat();
    expect(agent.directedVersion()).toEqual(candidate);
    expect(changes).toEqual([["2.2.0", "router-1"]]);
    agent.track({ type: "task_start", taskId: "t-1" });
    await agent.flush();
    expect(sentEvents()[0]).toMatchObject({ instanceId: "router-1", version: "2.2.0" });
    const beats = server.to("/api/v1/heartbeat");
    expect((beats[0]?.body as { version: string }).version).toBe("2.1.0");
    expect((beats[1]?.body as { version: string }).version).toBe("2.2.0");
  });

  test("each instance a client speaks for keeps its own version", async () => {
    const agent = client();
    assignByInstance();
    await agent.heartbeat({ instanceId: "router-1" });
    await agent.heartbeat({ instanceId: "router-2" });
    agent.track({ type: "log", instanceId: "router-1" });
    agent.track({ type: "log", instanceId: "router-2" });
    await agent.flush();
    expect(sentEvents().map((event) => [event.instanceId, event.version])).toEqual([
      ["router-1", "2.2.0"],
      ["router-2", "2.1.0"],
    ]);
  });

  test("a rollback reaches the instance through the next answer, and the SDK moves with it", async () => {
    const agent = client();
    assignByInstance();
    await agent.heartbeat();
    server.handle((request, response) => json(response, 200, { directives: directives(stable) }));
    const changes: string[] = [];
    agent.onVersion((version) => changes.push(version.label));
    await agent.heartbeat();
    expect(agent.runningVersion()).toBe("2.1.0");
    expect(changes).toEqual(["2.1.0"]);
  });

  test("decide's answer names the version too", async () => {
    const agent = client();
    server.handle((request, response) => json(response, 200, { decision: "allow", decisionId: "d-1", reasons: [{ code: "allowed", message: "Allowed." }], version: candidate, directives: directives() }));
    await agent.decide({ action: { type: "tool", name: "ticket_read" } });
    expect(agent.directedVersion()).toEqual(candidate);
    // The next decide says which version asks (a retired one is refused by the server).
    await agent.decide({ action: { type: "tool", name: "ticket_read" } });
    const asked = server.to("/api/v1/decide").map((request) => (request.body as { version?: string }).version);
    expect(asked).toEqual(["2.1.0", "2.2.0"]);
  });
});
