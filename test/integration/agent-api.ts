// The agent API for integration tests: the real handler (server/agent-api/server.ts) on an
// ephemeral node:http server in the test process, real keys in the test org, and a few calls.
// What the app's start script serves, minus the console.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll } from "vitest";
import { forgetFacts, orgFacts } from "../../server/data/facts";
import { decide } from "../../server/agent-api/decide";
import type { AgentPrincipal } from "../../server/agent-api/auth";
import { handleAgentApi } from "../../server/agent-api/server";
import type { DecideRequest, DecideResponse } from "../../server/agent-api/schemas";
import { generateApiKey } from "../../server/domain/keys/api-key";
import { testDb } from "./helpers";
import type { AuthorizedOrgId } from "../../server/auth/org-id";

let server: Server | null = null;
let baseUrl: string | null = null;

/** The agent API on 127.0.0.1, started once per test file and closed after it. */
export async function agentApiUrl(): Promise<string> {
  if (baseUrl) return baseUrl;
  server = createServer((request, response) => void handleAgentApi(request, response));
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return baseUrl;
}

afterAll(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  server = null;
  baseUrl = null;
});

/** A new key: an agent key when `agentId` is given, an org ingest key otherwise. Returns the secret. */
export async function createKey(orgId: string, agentId: string | null): Promise<string> {
  const key = generateApiKey();
  await testDb().apiKey.create({ data: { orgId, kind: agentId ? "agent" : "ingest", agentId, name: "test", prefix: key.prefix, hash: key.hash } });
  return key.key;
}

export interface ApiAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** One call over HTTP; the body is JSON when there is one. */
export async function api<T = Record<string, unknown>>(method: "GET" | "POST" | "PUT" | "DELETE", path: string, key: string | null, body?: unknown): Promise<ApiAnswer<T>> {
  const response = await fetch(`${await agentApiUrl()}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as T };
}

/**
 * A decision at a chosen moment (budget periods, loop windows and approvals are judged at `at`),
 * through the same judgement and commit as POST /api/v1/decide. A test that changed the org's facts
 * after they were first read calls forgetFacts (this process hears the change's NOTIFY a moment later).
 */
export async function decideAt(orgId: AuthorizedOrgId, agentId: string, request: DecideRequest, at: Date): Promise<DecideResponse> {
  const facts = await orgFacts(orgId);
  const agent = facts.agents.get(agentId);
  if (!agent) throw new Error(`no agent ${agentId} in org ${orgId}`);
  const principal: AgentPrincipal = { keyId: "00000000-0000-0000-0000-000000000000", orgId, kind: "agent", agent, redaction: facts.redaction };
  return decide(principal, facts, agent, request, { at });
}

/** Lets every action through unless a policy says otherwise (the tests of budgets and loops are not about policies). */
export async function allowByDefault(orgId: string): Promise<void> {
  await testDb().org.update({ where: { id: orgId }, data: { settings: { policyDefault: "allow" } } });
  forgetFacts(orgId);
}

/** Runs every job that is due now, in this process, through the real tasks (what a worker would do next). */
export async function runDueJobs(): Promise<void> {
  const [{ runOnce }, { TASKS }, { getPool }, { quietJobLogger }, { drainFollowUps }] = await Promise.all([
    import("graphile-worker"),
    import("../../server/jobs/tasks"),
    import("../../server/db/pool"),
    import("../../server/jobs/logger"),
    import("../../server/data/event-follow-ups"),
  ]);
  // The outbox's drain runs every second in the app; here, now (the jobs it queues run below if due).
  await drainFollowUps();
  await runOnce({ pgPool: getPool(), taskList: TASKS, logger: quietJobLogger, noHandleSignals: true });
}
