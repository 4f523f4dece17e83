import { describe, expect, it } from "vitest";
import { eventSchema } from "../../server/agent-api/schemas";
import { SEED_AGENTS } from "../../prisma/seed/agents";
import { SEED_MODELS } from "../../prisma/seed/models";
import { assertLoopback, parseSimulateArgs } from "./args";
import { createRng } from "./prng";
import { getScenario, scenarioFleet, scenarioNames } from "./scenarios";
import { demoFleet, eventCostUsd, generateTask, nextTask, profileFor, SpendPacer, toolArguments, type DraftEvent } from "./traffic";

const END = new Date("2026-11-25T10:00:00Z");

function manyTasks(seed: number, agent: string, count: number, errorRate?: number): DraftEvent[][] {
  const rng = createRng(seed);
  const member = demoFleet().find((candidate) => candidate.agent === agent);
  if (!member) throw new Error(agent);
  return Array.from({ length: count }, () => generateTask(rng, member.profile, { end: END, instanceId: member.instances[0] ?? "i", version: member.version, ...(errorRate !== undefined ? { errorRate } : {}) }));
}

describe("the traffic model", () => {
  it("is deterministic for a seed, and differs between seeds", () => {
    expect(manyTasks(42, "support-chatbot", 20)).toEqual(manyTasks(42, "support-chatbot", 20));
    expect(manyTasks(43, "support-chatbot", 20)).not.toEqual(manyTasks(42, "support-chatbot", 20));
  });

  it("makes tasks the API accepts: task_start … task_end sharing a taskId, in time order, none in the future", () => {
    for (const agent of SEED_AGENTS) {
      for (const events of manyTasks(7, agent.name, 30)) {
        expect(events[0]?.type).toBe("task_start");
        expect(events.at(-1)?.type).toBe("task_end");
        expect(new Set(events.map((event) => event.taskId)).size).toBe(1);
        const times = events.map((event) => Date.parse(event.timestamp));
        expect([...times].sort((a, b) => a - b)).toEqual(times);
        expect(Math.max(...times)).toBeLessThanOrEqual(END.getTime());
        for (const event of events) expect(eventSchema.safeParse({ ...event, id: "x" }).success).toBe(true);
      }
    }
  });

  it("uses each agent's own models and tools, with token counts of the right size per agent", () => {
    const registry = new Set(SEED_MODELS.map((model) => model.name));
    const medianInput = (agent: string) => {
      const tokens = manyTasks(1, agent, 200)
        .flat()
        .filter((event) => event.type === "llm_call")
        .map((event) => event.inputTokens ?? 0)
        .sort((a, b) => a - b);
      return tokens[Math.floor(tokens.length / 2)] ?? 0;
    };
    for (const agent of SEED_AGENTS) {
      const events = manyTasks(3, agent.name, 50).flat();
      for (const event of events.filter((candidate) => candidate.type === "llm_call")) {
        expect(agent.models).toContain(event.model);
        expect(registry.has(event.model ?? "")).toBe(true);
        expect(event.provider).toBe(SEED_MODELS.find((model) => model.name === event.model)?.provider);
      }
      for (const event of events.filter((candidate) => candidate.type === "tool_call")) expect(agent.tools).toContain(event.tool);
    }
    // An analyst reads whole ledgers; a ticket router reads one ticket.
    expect(medianInput("financial-analyst")).toBeGreaterThan(5 * medianInput("ticket-router"));
  });

  it("fails at about the profile's error rate, and far more during an incident", () => {
    const failedShare = (tasks: DraftEvent[][]) => tasks.filter((events) => events.at(-1)?.status === "failed").length / tasks.length;
    const normal = failedShare(manyTasks(5, "support-chatbot", 2000));
    const incident = failedShare(manyTasks(5, "support-chatbot", 2000, 0.25));
    expect(normal).toBeGreaterThan(0.01);
    expect(normal).toBeLessThan(0.15);
    expect(incident).toBeGreaterThan(3 * normal);
  });

  it("mixes the fleet in proportion to each agent's volume and skips halted agents", () => {
    const rng = createRng(11);
    const fleet = demoFleet();
    const counts = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      const next = nextTask(rng, fleet, END, (member) => member.agent !== "ticket-router");
      if (next) counts.set(next.member.agent, (counts.get(next.member.agent) ?? 0) + 1);
    }
    expect(counts.get("ticket-router")).toBeUndefined();
    expect(counts.get("support-chatbot") ?? 0).toBeGreaterThan(10 * (counts.get("access-reviewer") ?? 0));
    expect(nextTask(rng, fleet, END, () => false)).toBeNull();
  });

  it("calls tools with arguments that differ from call to call, so normal work is not a loop", () => {
    const calls = manyTasks(4, "ticket-router", 100)
      .flat()
      .filter((event) => event.type === "tool_call");
    const keys = calls.map((event) => `${event.tool} ${JSON.stringify((event.attributes as { arguments?: unknown }).arguments)}`);
    expect(calls.length).toBeGreaterThan(100);
    expect(new Set(keys).size).toBe(keys.length);
    expect(toolArguments(createRng(1), "issue_refund")).toEqual({ orderId: expect.stringMatching(/^A-\d{6}$/), amount: expect.any(Number) });
  });

  it("prices events at list price and paces an agent's spend over a sliding five minutes", () => {
    expect(eventCostUsd({ model: "gpt-4.1-mini", inputTokens: 1200, outputTokens: 300 })).toBeCloseTo(0.00096, 8);
    expect(eventCostUsd({ model: "no-such-model", inputTokens: 1 })).toBe(0);
    const pacer = new SpendPacer();
    const analyst = demoFleet().find((member) => member.agent === "financial-analyst");
    if (!analyst) throw new Error("financial-analyst");
    const t0 = END.getTime();
    expect(pacer.allows(analyst, t0)).toBe(true);
    pacer.record("financial-analyst", t0, 0.6);
    expect(pacer.allows(analyst, t0 + 60_000)).toBe(false);
    expect(pacer.allows(analyst, t0 + 5 * 60_000 + 1)).toBe(true);
    expect(pacer.allows({ ...analyst, maxUsdPer5Min: undefined }, t0 + 60_000)).toBe(true);
  });

  it("has discovered agents report through the ingest key, naming themselves", () => {
    const rng = createRng(2);
    const shadow = scenarioFleet("normal", ["shadow-gpt"]);
    expect(shadow.map((member) => member.via)).toEqual(["ingest-key"]);
    const next = nextTask(rng, shadow, END);
    expect(next?.events.every((event) => event.agent === "shadow-gpt")).toBe(true);
    expect(SEED_AGENTS.some((agent) => agent.name === "shadow-gpt")).toBe(false);
    expect(profileFor({ name: "unknown-bot", models: ["gpt-5"], tools: [] }).models).toEqual([{ name: "gpt-5", share: 1 }]);
  });
});

describe("simulator scenarios and flags", () => {
  it("registers the normal scenario and refuses unknown names and agents", () => {
    expect(scenarioNames()).toContain("normal");
    expect(() => getScenario("nope")).toThrow(/known: .*normal/);
    expect(() => scenarioFleet("normal", ["nobody"])).toThrow(/Not in the "normal" fleet/);
    expect(scenarioFleet("normal").length).toBe(SEED_AGENTS.length + 2);
  });

  it("parses rate, duration, agents and scenario, with defaults", () => {
    expect(parseSimulateArgs([], () => 5)).toEqual({ rate: 20, duration: 60, scenario: "normal", seed: 5, heartbeatSeconds: 10 });
    expect(parseSimulateArgs(["--rate", "200", "--duration", "0", "--agents", "ticket-router, support-chatbot", "--seed", "9"])).toMatchObject({
      rate: 200,
      duration: 0,
      agents: ["ticket-router", "support-chatbot"],
      seed: 9,
    });
    expect(() => parseSimulateArgs(["--rate", "-1"])).toThrow(/--rate/);
    expect(() => parseSimulateArgs(["--rate", "0"])).toThrow(/--rate/);
    expect(() => parseSimulateArgs(["--bogus"])).toThrow();
  });

  it("talks only to this machine", () => {
    expect(assertLoopback("http://localhost:3000").port).toBe("3000");
    expect(assertLoopback("http://127.0.0.2:80").hostname).toBe("127.0.0.2");
    expect(assertLoopback("http://[::1]:3000").hostname).toBe("[::1]");
    expect(() => assertLoopback("http://10.0.0.5:3000")).toThrow(/only talks to this machine/);
    expect(() => assertLoopback("https://example.com")).toThrow(/only talks to this machine/);
  });
});

describe("the governance scenarios", () => {
  it("register a runaway loop and a budget exhaustion that act through decide, beside the rest of the fleet", () => {
    expect(scenarioNames()).toEqual(expect.arrayContaining(["runaway-loop", "budget-exhaustion"]));
    for (const [name, agent] of [
      ["runaway-loop", "reconciliation-agent"],
      ["budget-exhaustion", "doc-classifier"],
    ] as const) {
      expect(typeof getScenario(name).drive).toBe("function");
      const fleet = scenarioFleet(name).map((member) => member.agent);
      expect(fleet).not.toContain(agent);
      expect(fleet.length).toBe(demoFleet().length - 1);
    }
  });
});
