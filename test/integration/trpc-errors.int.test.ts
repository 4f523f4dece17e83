// How the console's tRPC endpoint answers a server error, over the same handler the route uses:
// the client gets a plain sentence and the request id, never the database's message; the log
// gets exactly one JSON line with that id. Expected refusals are not logged at all.
import { afterAll, describe, expect, test } from "vitest";
import superjson from "superjson";
import { handleTrpcRequest } from "../../server/api/http-handler";
import { createDb } from "../../server/db";
import { captureStderr } from "../stderr-lines";
import { createTestOrg, testDb } from "./helpers";

// A client on a port where no database listens: every query fails, as when the database is down.
const brokenDb = createDb("postgresql://agentry:nothing@127.0.0.1:9/none", 1);
afterAll(() => brokenDb.$disconnect().catch(() => {}));

const { lines: logged } = captureStderr();

function get(path: string, input: unknown, headers: Record<string, string> = {}) {
  const encoded = encodeURIComponent(JSON.stringify(superjson.serialize(input)));
  return new Request(`http://console.test/api/trpc/${path}?input=${encoded}`, { headers });
}

function post(path: string, input: unknown, headers: Record<string, string> = {}) {
  return new Request(`http://console.test/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(superjson.serialize(input)),
  });
}

describe("server errors through the tRPC endpoint", () => {
  test("a 500 answers with a request id and no internals, and is one JSON log line with that id", async () => {
    const org = await createTestOrg();
    const response = await handleTrpcRequest(get("org.get", { orgId: org.id }, { "x-request-id": "req-test-0001" }), async (requestId) => ({
      db: brokenDb,
      userId: org.users.owner.userId,
      requestId,
    }));
    expect(response.status).toBe(500);
    expect(response.headers.get("x-request-id")).toBe("req-test-0001");
    const body = (await response.json()) as { error: { json: { message: string; data: Record<string, unknown> } } };
    expect(body.error.json.message).toBe("Something went wrong on our side. Request id: req-test-0001");
    expect(body.error.json.data.requestId).toBe("req-test-0001");
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|prisma|stack/i);

    expect(logged()).toHaveLength(1);
    const line = JSON.parse(logged()[0] ?? "{}") as Record<string, unknown>;
    expect(line).toMatchObject({ level: "error", requestId: "req-test-0001", method: "GET", path: "/api/trpc/org.get", procedure: "org.get" });
    expect(line.error).toBeTruthy();
    expect((line.error as Record<string, unknown>).stack).toBeUndefined();
  });

  test("a request without a usable id gets a fresh one", async () => {
    const org = await createTestOrg();
    const response = await handleTrpcRequest(get("org.get", { orgId: org.id }, { "x-request-id": "bad id <script>" }), async (requestId) => ({
      db: testDb(),
      userId: org.users.owner.userId,
      requestId,
    }));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(logged()).toEqual([]);
  });

  test("refusals are answers, not server errors: nothing is logged", async () => {
    const org = await createTestOrg();
    const context = async (requestId: string) => ({ db: testDb(), userId: org.users.viewer.userId, requestId });
    const forbidden = await handleTrpcRequest(post("org.update", { orgId: org.id, name: "x" }), context);
    const invalid = await handleTrpcRequest(post("org.update", { orgId: org.id, name: "a\u0000" }), context);
    expect([forbidden.status, invalid.status]).toEqual([403, 400]);
    expect(logged()).toEqual([]);
  });
});
