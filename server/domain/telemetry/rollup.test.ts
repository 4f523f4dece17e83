import { describe, expect, it } from "vitest";
import { hourOf, isErrorEvent, rollupDeltas, type RollupEvent } from "./rollup";

const event = (overrides: Partial<RollupEvent>): RollupEvent => ({
  orgId: "org",
  agentId: "a1",
  teamId: "t1",
  model: "m1",
  version: null,
  ts: new Date("2026-11-25T10:15:00Z"),
  type: "llm_call",
  status: null,
  inputTokens: 100,
  outputTokens: 10,
  costMicros: 5n,
  latencyMs: 200,
  ...overrides,
});

describe("rollupDeltas", () => {
  it("sums each (agent, model, hour) and counts calls, errors and latency", () => {
    const deltas = rollupDeltas([
      event({}),
      event({ ts: new Date("2026-11-25T10:59:59.999Z"), type: "tool_call", model: "m1", costMicros: null, latencyMs: null, inputTokens: null, outputTokens: null }),
      event({ ts: new Date("2026-11-25T11:00:00Z") }),
      event({ type: "error", model: null }),
      event({ status: "FAILED" }),
    ]);
    expect(deltas.map((delta) => [delta.model, delta.hour.toISOString(), delta.events])).toEqual([
      ["", "2026-11-25T10:00:00.000Z", 1],
      ["m1", "2026-11-25T10:00:00.000Z", 3],
      ["m1", "2026-11-25T11:00:00.000Z", 1],
    ]);
    const tenOClock = deltas[1];
    expect(tenOClock).toMatchObject({ llmCalls: 2, toolCalls: 1, errors: 1, inputTokens: 200n, outputTokens: 20n, costMicros: 10n, latencySumMs: 400n, latencyCount: 2 });
  });

  it("keeps versions apart and counts tasks, failed tasks and a latency histogram", () => {
    const deltas = rollupDeltas([
      event({ version: "v2", type: "task_end", status: "ok", latencyMs: 100 }),
      event({ version: "v2", type: "task_end", status: "error", latencyMs: 1000 }),
      event({ version: "v1", type: "task_end", status: "ok", latencyMs: 100 }),
      event({ version: "v2", type: "llm_call", latencyMs: null }),
    ]);
    expect(deltas.map((delta) => [delta.version, delta.events, delta.tasks, delta.failedTasks])).toEqual([
      ["v1", 1, 1, 0],
      ["v2", 3, 2, 1],
    ]);
    const v2 = deltas[1];
    expect(v2?.latencyHist.reduce((sum, count) => sum + count, 0)).toBe(2);
  });

  it("returns deltas sorted by key, so concurrent batches lock rows in one order", () => {
    const deltas = rollupDeltas([event({ agentId: "b" }), event({ agentId: "a" }), event({ agentId: "c" })]);
    expect(deltas.map((delta) => delta.agentId)).toEqual(["a", "b", "c"]);
  });
});

describe("isErrorEvent / hourOf", () => {
  it("treats error events and failed statuses as errors", () => {
    expect(isErrorEvent({ type: "error", status: null })).toBe(true);
    expect(isErrorEvent({ type: "tool_call", status: "timeout" })).toBe(true);
    expect(isErrorEvent({ type: "tool_call", status: "ok" })).toBe(false);
  });

  it("truncates to the UTC hour", () => {
    expect(hourOf(new Date("2026-11-25T23:59:59.999+01:00")).toISOString()).toBe("2026-11-25T22:00:00.000Z");
  });
});
