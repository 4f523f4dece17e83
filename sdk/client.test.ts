import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Directives } from "../server/agent-api/schemas";
import { AgentryClient, type AgentryClientOptions, type Rejection } from "./client";
import { AgentryApiError } from "./errors";
import { acceptAll, json, startTestServer, waitFor, type TestServer } from "./test-server";

let server: TestServer;
const clients: AgentryClient[] = [];

beforeEach(async () => {
  server = await startTestServer();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await server.close();
});

function client(options: Partial<AgentryClientOptions> = {}): AgentryClient {
  const made = new AgentryClient({ baseUrl: server.url, apiKey: "agt_test", retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 20 }, ...options });
  clients.push(made);
  return made;
}

const eventIds = (index: number) => ((server.to("/api/v1/events")[index]?.body as { events: { id: string }[] }).events ?? []).map((event) => event.id);

const running: Directives = { halt: false, budget: null, revision: 3 };
const killed: Directives = { halt: true, reason: "kill_switch", killSwitchId: "ks-1", budget: null, revision: 4 };

describe("batching", () => {
  it("sends a full batch at once, without waiting for the timer", async () => {
    const agent = client({ batchSize: 3, flushIntervalMs: 60_000 });
    for (let i = 0; i < 7; i++) agent.track({ type: "log", attributes: { i } });
    await waitFor(() => server.to("/api/v1/events").length === 2);
    expect(eventIds(0)).toHaveLength(3);
    expect(eventIds(1)).toHaveLength(3);
    expect(agent.queued).toBe(1);
    await agent.flush();
    expect(eventIds(2)).toHaveLength(1);
    expect(agent.stats).toMatchObject({ tracked: 7, sent: 7, accepted: 7, batches: 3 });
  });

  it("sends a partial batch when the flush interval passes", async () => {
    const agent = client({ batchSize: 100, flushIntervalMs: 50 });
    const started = Date.now();
    agent.track({ type: "llm_call", model: "gpt-5-mini", inputTokens: 10, outputTokens: 2 });
    agent.track({ type: "tool_call", tool: "kb_search" });
    await waitFor(() => server.to("/api/v1/events").length === 1, 2000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(eventIds(0)).toHaveLength(2);
  });

  it("fills id, timestamp, instance and version, and keeps ids the agent chose", async () => {
    const agent = client({ instanceId: "worker-7", version: "2.1.0" });
    const chosen = agent.track({ type: "log", id: "my-id-1", timestamp: new Date("2026-11-01T00:00:00Z") });
    const made = agent.track({ type: "log" });
    await agent.flush();
    const sent = (server.to("/api/v1/events")[0]?.body as { events: Record<string, unknown>[] }).events;
    expect(chosen).toBe("my-id-1");
    expect(sent[0]).toMatchObject({ id: "my-id-1", timestamp: "2026-11-01T00:00:00.000Z", instanceId: "worker-7", version: "2.1.0" });
    expect(sent[1]?.id).toBe(made);
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(String(sent[1]?.timestamp)))).toBe(false);
  });

  it("drops the oldest events when the queue is full, and counts them", async () => {
    const agent = client({ batchSize: 100, flushIntervalMs: 60_000, maxQueue: 5 });
    const ids = Array.from({ length: 8 }, (_, i) => agent.track({ type: "log", attributes: { i } }));
    expect(agent.stats.dropped).toBe(3);
    await agent.flush();
    expect(eventIds(0)).toEqual(ids.slice(3));
  });
});

describe("retries", () => {
  it("retries a 503 and a dropped connection with the same event ids", async () => {
    server.handle((request, response, index) => {
      if (index === 0) return json(response, 503, { error: { code: "internal_error", message: "busy" } });
      if (index === 1) return void response.socket?.destroy();
      acceptAll(request, response);
    });
    const agent = client();
    agent.track({ type: "log" });
    agent.track({ type: "log" });
    await agent.flush();
    expect(server.to("/api/v1/events")).toHaveLength(3);
    expect(eventIds(1)).toEqual(eventIds(0));
    expect(eventIds(2)).toEqual(eventIds(0));
    expect(agent.stats).toMatchObject({ retries: 2, accepted: 2, failed: 0 });
  });

  it("waits as long as a 429's Retry-After says", async () => {
    server.handle((request, response, index) => {
      if (index === 0) return json(response, 429, { error: { code: "rate_limited", message: "slow down" } }, { "retry-after": "1" });
      acceptAll(request, response);
    });
    const agent = client();
    agent.track({ type: "log" });
    await agent.flush();
    const [first, second] = server.to("/api/v1/events");
    expect(second && first && second.at - first.at).toBeGreaterThanOrEqual(950);
    expect(eventIds(1)).toEqual(eventIds(0));
  });

  it("does not retry a 400, and reports the refused events and the error", async () => {
    server.handle((_request, response) =>
      json(response, 400, {
        error: { code: "invalid_request", message: "No event in the batch is valid", details: [{ path: "events.0.type", message: "Invalid option", index: 0 }] },
      }),
    );
    const rejected: Rejection[] = [];
    const errors: unknown[] = [];
    const agent = client({ onRejected: (items) => rejected.push(...items), onError: (error) => errors.push(error) });
    const id = agent.track({ type: "log" });
    await agent.flush();
    expect(server.to("/api/v1/events")).toHaveLength(1);
    expect(agent.stats).toMatchObject({ failed: 1, retries: 0 });
    expect(rejected.map((item) => item.event.id)).toEqual([id]);
    const error = errors[0];
    expect(error).toBeInstanceOf(AgentryApiError);
    expect(error).toMatchObject({ status: 400, code: "invalid_request", details: [{ path: "events.0.type", index: 0 }] });
  });

  it("gives up after the configured retries and says so", async () => {
    server.handle((_request, response) => json(response, 500, { error: { code: "internal_error", message: "down" } }));
    const errors: unknown[] = [];
    const agent = client({ retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 }, onError: (error) => errors.push(error) });
    agent.track({ type: "log" });
    await agent.flush();
    expect(server.to("/api/v1/events")).toHaveLength(3);
    expect(agent.stats).toMatchObject({ failed: 1, retries: 2 });
    expect(errors[0]).toMatchObject({ status: 500, code: "internal_error" });
  });

  it("reports a 207's rejected events without resending them", async () => {
    server.handle((_request, response) =>
      json(response, 207, { accepted: 1, duplicates: 0, rejected: [{ index: 1, code: "invalid_timestamp", message: "timestamp: more than a day in the future" }], directives: running }),
    );
    const rejected: Rejection[] = [];
    const agent = client({ onRejected: (items) => rejected.push(...items) });
    agent.track({ type: "log" });
    const bad = agent.track({ type: "log", timestamp: "2999-01-01T00:00:00Z" });
    await agent.flush();
    expect(server.to("/api/v1/events")).toHaveLength(1);
    expect(rejected).toEqual([expect.objectContaining({ index: 1, code: "invalid_timestamp", event: expect.objectContaining({ id: bad }) })]);
    expect(agent.stats).toMatchObject({ accepted: 1, rejected: 1, failed: 0 });
  });

  it("splits a batch the server finds too large, keeping its ids", async () => {
    server.handle((request, response) => {
      const events = (request.body as { events: unknown[] }).events;
      if (events.length > 2) return json(response, 413, { error: { code: "payload_too_large", message: "too big" } });
      acceptAll(request, response);
    });
    const agent = client({ batchSize: 4, flushIntervalMs: 60_000 });
    const ids = Array.from({ length: 4 }, () => agent.track({ type: "log" }));
    await agent.flush();
    expect([...eventIds(1), ...eventIds(2)]).toEqual(ids);
    expect(agent.stats.accepted).toBe(4);
  });
});

describe("heartbeats, decisions and approvals", () => {
  it("heartbeats with the instance and version and keeps the directives", async () => {
    server.handle((_request, response) => json(response, 200, { directives: running }));
    const agent = client({ instanceId: "i-1", version: "1.0.0" });
    const directives = await agent.heartbeat({ status: "ok" });
    expect(directives).toEqual(running);
    expect(agent.directives).toEqual(running);
    expect(server.to("/api/v1/heartbeat")[0]?.body).toEqual({ instanceId: "i-1", version: "1.0.0", status: "ok" });
    await agent.heartbeat();
    // The next heartbeat acknowledges the directives revision it was given.
    expect(server.to("/api/v1/heartbeat")[1]?.body).toEqual({ instanceId: "i-1", version: "1.0.0", directiveVersion: 3 });
    expect(server.to("/api/v1/heartbeat")[0]?.headers.authorization).toBe("Bearer agt_test");
  });

  it("throws a typed error for a refused key", async () => {
    server.handle((_request, response) => json(response, 401, { error: { code: "unauthorized", message: "That key is not valid." } }));
    const agent = client();
    const error = await agent.heartbeat().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentryApiError);
    expect(error).toMatchObject({ status: 401, code: "unauthorized", message: "That key is not valid." });
    expect(server.requests).toHaveLength(1);
  });

  it("posts a decision request and waits for its approval by long polling", async () => {
    let polls = 0;
    server.handle((request, response) => {
      if (request.path === "/api/v1/decide") {
        return json(response, 200, {
          decision: "require_approval",
          decisionId: "d-1",
          reasons: [{ code: "policy", message: "refunds above 100 need approval", policyId: "p-1" }],
          approvalId: "a-1",
          directives: running,
        });
      }
      polls++;
      json(response, 200, polls < 2 ? { status: "pending" } : { status: "approved", decidedBy: "owner@acme.test", decidedAt: "2026-11-25T10:00:00Z" });
    });
    const agent = client({ instanceId: "i-9" });
    const answer = await agent.decide({ action: { type: "tool", name: "issue_refund", arguments: { amount: 250 } } });
    expect(answer).toMatchObject({ decision: "require_approval", approvalId: "a-1" });
    expect(server.to("/api/v1/decide")[0]?.body).toMatchObject({ action: { type: "tool", name: "issue_refund" }, instanceId: "i-9" });
    const approval = await agent.waitForApproval("a-1", { timeoutMs: 10_000, pollMs: 1500 });
    expect(approval).toMatchObject({ status: "approved", decidedBy: "owner@acme.test" });
    expect(server.to("/api/v1/approvals/a-1").map((request) => request.path)).toEqual(["/api/v1/approvals/a-1?waitMs=1500", "/api/v1/approvals/a-1?waitMs=1500"]);
  });
});

describe("directives", () => {
  it("calls onHalt once per halt episode, from any answer", async () => {
    const answers = [killed, killed, running, killed, { ...killed, reason: "budget_exhausted", killSwitchId: undefined }];
    server.handle((_request, response, index) => json(response, 200, { directives: answers[index] }));
    const agent = client();
    const halts: Directives[] = [];
    agent.onHalt((directives) => halts.push(directives));
    for (let i = 0; i < answers.length; i++) await agent.heartbeat();
    expect(halts.map((directives) => directives.reason)).toEqual(["kill_switch", "kill_switch", "budget_exhausted"]);
    expect(agent.directives?.halt).toBe(true);
  });

  it("follows the directives stream, reconnects with Last-Event-ID when it ends, and halts", async () => {
    server.handle((request, response, index) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      if (index === 0) {
        response.write(`retry: 10\n: hello\nevent: directives\nid: 1\ndata: ${JSON.stringify(running)}\n\n`);
        response.end(); // the server goes away; the client must come back
        return;
      }
      response.write(`event: directives\nid: 2\ndata: ${JSON.stringify({ directives: killed })}\n\n`);
      // Left open, as a live stream is.
    });
    const agent = client();
    const seen: Directives[] = [];
    const halts: Directives[] = [];
    agent.onHalt((directives) => halts.push(directives));
    const unsubscribe = agent.subscribeDirectives((directives) => seen.push(directives));
    await waitFor(() => seen.length === 2);
    unsubscribe();
    expect(seen).toEqual([running, killed]);
    expect(halts).toHaveLength(1);
    expect(agent.directives).toEqual(killed);
    const streams = server.to("/api/v1/directives/stream");
    expect(streams).toHaveLength(2);
    expect(streams[0]?.headers.accept).toBe("text/event-stream");
    expect(streams[0]?.path).toBe(`/api/v1/directives/stream?instanceId=${agent.instanceId}`);
    expect(streams[1]?.headers["last-event-id"]).toBe("1");
  });

  it("stops following the stream on a 4xx and reports it", async () => {
    server.handle((_request, response) => json(response, 403, { error: { code: "forbidden", message: "This endpoint needs an agent key" } }));
    const errors: unknown[] = [];
    const agent = client({ onError: (error) => errors.push(error) });
    agent.subscribeDirectives(() => {});
    await waitFor(() => errors.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requests).toHaveLength(1);
    expect(errors[0]).toMatchObject({ status: 403, code: "forbidden" });
  });
});
