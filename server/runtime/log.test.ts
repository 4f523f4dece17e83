import { describe, expect, test } from "vitest";
import { captureStderr } from "../../test/stderr-lines";
import { logError } from "./log";

const { lines, parsed } = captureStderr();

describe("logError: a background failure is one JSON line a log shipper can read", () => {
  test("the message, its context and the error, with PostgreSQL's code and the cause", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const error = Object.assign(new Error("terminating connection due to administrator command", { cause }), { code: "57P01" });
    logError("agentry_changes LISTEN failed", { orgId: "org-1", error });
    expect(lines()).toHaveLength(1);
    expect(lines()[0]?.endsWith("\n")).toBe(true);
    expect(lines()[0]?.trimEnd().includes("\n")).toBe(false);
    const [line] = parsed();
    expect(line).toMatchObject({
      level: "error",
      message: "agentry_changes LISTEN failed",
      orgId: "org-1",
      error: { name: "Error", message: "terminating connection due to administrator command", code: "57P01", cause: { message: "connect ECONNREFUSED 127.0.0.1:5432", code: "ECONNREFUSED" } },
    });
    expect(Number.isNaN(Date.parse(String(line?.time)))).toBe(false);
    // No stack unless AGENTRY_LOG_STACKS is on.
    expect((line?.error as Record<string, unknown>).stack).toBeUndefined();
  });

  test("something thrown that is not an Error, a message with a newline, and no error at all", () => {
    logError("webhook delivery failed to record", { deliveryId: "d-1", error: "a string\nthrown" });
    logError("an enforced policy no longer validates and is not enforced", { policyId: "p-1" });
    expect(lines()).toHaveLength(2);
    expect(parsed()).toEqual([
      expect.objectContaining({ level: "error", deliveryId: "d-1", error: { message: "a string\nthrown" } }),
      expect.objectContaining({ level: "error", message: "an enforced policy no longer validates and is not enforced", policyId: "p-1" }),
    ]);
    expect(parsed()[1]).not.toHaveProperty("error");
  });
});
