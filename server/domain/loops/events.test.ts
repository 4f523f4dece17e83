import { describe, expect, it } from "vitest";
import { callHash } from "./detect";
import { reportedToolCalls } from "./events";

const ts = new Date("2026-01-01T00:00:00Z");

describe("reportedToolCalls", () => {
  it("takes tool_call events with a tool, and their attributes.arguments", () => {
    const calls = reportedToolCalls([
      { type: "tool_call", agentId: "a", tool: "search", attributes: { arguments: { q: "x" }, other: 1 }, ts },
      { type: "tool_call", agentId: "a", tool: "search", attributes: null, ts },
      { type: "tool_call", agentId: "a", tool: null, attributes: { arguments: { q: "x" } }, ts },
      { type: "llm_call", agentId: "a", tool: "search", attributes: { arguments: { q: "x" } }, ts },
      { type: "tool_call", agentId: "b", tool: "fetch", attributes: ["not", "an", "object"], ts },
    ]);
    expect(calls).toEqual([
      { agentId: "a", tool: "search", arguments: { q: "x" }, at: ts },
      { agentId: "a", tool: "search", arguments: undefined, at: ts },
      { agentId: "b", tool: "fetch", arguments: undefined, at: ts },
    ]);
  });

  it("hashes a reported call without arguments by its name alone, apart from calls with arguments", () => {
    const [withArgs, without] = reportedToolCalls([
      { type: "tool_call", agentId: "a", tool: "search", attributes: { arguments: { q: "x" } }, ts },
      { type: "tool_call", agentId: "a", tool: "search", attributes: {}, ts },
    ]);
    if (!withArgs || !without) throw new Error("calls missing");
    expect(callHash(without.tool, without.arguments)).toBe(callHash("search", undefined));
    expect(callHash(withArgs.tool, withArgs.arguments)).not.toBe(callHash(without.tool, without.arguments));
  });
});
