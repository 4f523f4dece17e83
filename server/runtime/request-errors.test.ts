import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { captureStderr } from "../../test/stderr-lines";
import { logRequestError, routeLoneErrorsToLog } from "./request-errors";

const originalError = console.error;
const flagHolder = globalThis as unknown as { agentryConsoleErrorRouted?: boolean };

const { lines, parsed } = captureStderr();
beforeAll(() => {
  routeLoneErrorsToLog();
});
afterAll(() => {
  console.error = originalError;
  flagHolder.agentryConsoleErrorRouted = false;
});

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("a page's unhandled error is one JSON line with its request id", () => {
  test("Next's console.error(error) followed by onRequestError gives exactly one line, with the request", async () => {
    const error = Object.assign(new Error('relation "x" does not exist'), { digest: "12345" });
    console.error(error);
    logRequestError(error, { path: "/acme/agents", method: "GET", headers: { "x-request-id": "req-abc-123" } }, { routePath: "/[org]/agents", routeType: "render" });
    await nextTurn();
    expect(lines()).toHaveLength(1);
    expect(lines()[0]?.endsWith("\n")).toBe(true);
    expect(lines()[0]?.trimEnd().includes("\n")).toBe(false);
    expect(parsed()[0]).toMatchObject({
      level: "error",
      requestId: "req-abc-123",
      method: "GET",
      path: "/acme/agents",
      route: "/[org]/agents",
      digest: "12345",
      error: { name: "Error", message: 'relation "x" does not exist' },
    });
    // No stack unless AGENTRY_LOG_STACKS is on.
    expect((parsed()[0]?.error as Record<string, unknown>).stack).toBeUndefined();
  });

  test("a lone error nobody claims is still logged, once, as one line", async () => {
    console.error(new Error("background failure"));
    expect(lines()).toHaveLength(0);
    await nextTurn();
    expect(parsed()).toEqual([expect.objectContaining({ requestId: "unknown", error: expect.objectContaining({ message: "background failure" }) })]);
  });
});
