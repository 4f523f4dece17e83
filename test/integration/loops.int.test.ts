// Loop detection against the real database: the same tool call N times in the window engages a
// system kill switch once (audited, alerted); other arguments, old calls and calls before a person
// resumed the agent do not count; reported tool_call events and runaway spend are caught too.
import { describe, expect, test } from "vitest";
import { directivesFor } from "../../server/agent-api/directives";
import { storeEvents } from "../../server/data/event-store";
import { forgetFacts, orgFacts } from "../../server/data/facts";
import { checkSpendRate, recordReportedCalls } from "../../server/data/loops";
import { getPool, inTransaction } from "../../server/db/pool";
import { callHash } from "../../server/domain/loops/detect";
import { allowByDefault, api, createKey, decideAt, runDueJobs } from "./agent-api";
import { createTestOrg, testDb, type TestOrg } from "./helpers";

interface LoopAgent {
  id: string;
  name: string;
}

async function createAgent(org: TestOrg, name: string, loop: { threshold?: number; windowSec?: number } = {}): Promise<LoopAgent> {
  await allowByDefault(org.id);
  const agent = await testDb().agent.create({
    data: { orgId: org.id, name, teamId: org.leadTeamId, loopThreshold: loop.threshold ?? null, loopWindowSec: loop.windowSec ?? null },
  });
  forgetFacts(org.id);
  return { id: agent.id, name: agent.name };
}

/** One decide about a tool call at `now`: looping when the answer names loop detection. */
async function call(org: TestOrg, agent: LoopAgent, args: Record<string, unknown>, now: Date, tool = "lookup_invoice") {
  const answer = await decideAt(org.id, agent.id, { action: { type: "tool", name: tool, arguments: args } }, now);
  const looping = answer.decision === "deny" && answer.reasons[0]?.code === "loop_detected";
  return { looping, message: answer.reasons[0]?.message ?? "", switchId: answer.directives.killSwitchId ?? null };
}

/** Reported tool calls, as the follow-up of ingested batches records them. */
async function report(org: TestOrg, calls: { agentId: string; tool: string; arguments: unknown; at: Date }[]) {
  const facts = await orgFacts(org.id);
  await inTransaction(getPool(), (client) =>
    recordReportedCalls(
      client,
      org.id,
      facts.agents,
      calls.map((c) => ({ agentId: c.agentId, tool: c.tool, hash: callHash(c.tool, c.arguments), at: c.at.toISOString() })),
    ),
  );
}

const loopSwitches = (org: TestOrg, agent: LoopAgent) => testDb().killSwitch.findMany({ where: { orgId: org.id, scope: "agent", target: agent.id, reasonCode: "loop_detected" } });

describe("loop detection", () => {
  test("calls committed first count, even when stamped a moment after the call that waited for them", async () => {
    // Two processes: one decision is stamped at T and waits for the agent's lock while another
    // process commits four identical calls stamped at T + 1 ms. They came first, so the fifth is a
    // loop. (Counting only calls stamped up to T let all five through.)
    const org = await createTestOrg();
    const agent = await createAgent(org, "raced-looper");
    const stamped = Date.now();
    for (let i = 0; i < 4; i++) expect((await call(org, agent, { id: 7 }, new Date(stamped + 1))).looping).toBe(false);
    expect((await call(org, agent, { id: 7 }, new Date(stamped))).looping).toBe(true);
  });

  test("the 5th identical call within 60 s halts the agent once: system switch, audit entry, alert", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, "looper");
    const start = Date.now();
    for (let i = 0; i < 4; i++) {
      // Same arguments in another key order: the same call.
      expect((await call(org, agent, i % 2 ? { id: 42, page: 1 } : { page: 1, id: 42 }, new Date(start + i * 1000))).looping).toBe(false);
    }
    const fifth = await call(org, agent, { id: 42, page: 1 }, new Date(start + 4000));
    expect(fifth.looping).toBe(true);
    expect(fifth.message).toContain("made 5 times");

    const switches = await loopSwitches(org, agent);
    expect(switches).toHaveLength(1);
    expect(switches[0]).toMatchObject({ engagedBy: "system", releasedAt: null, teamId: org.leadTeamId });
    expect(fifth.switchId).toBe(switches[0]?.id);

    const sixth = await call(org, agent, { id: 42, page: 1 }, new Date(start + 5000));
    expect(sixth).toMatchObject({ looping: true, switchId: switches[0]?.id });
    expect(await loopSwitches(org, agent)).toHaveLength(1);

    const alerts = await testDb().alert.findMany({ where: { orgId: org.id, kind: "loop_detected" } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ agentId: agent.id, severity: "critical" });
    const audit = await testDb().auditEntry.findMany({ where: { orgId: org.id, action: "killswitch.engaged" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actorType).toBe("system");
  });

  test("different arguments, another tool, or calls outside the window do not count", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, "busy");
    const start = Date.now();
    for (let i = 0; i < 10; i++) expect((await call(org, agent, { id: i }, new Date(start + i))).looping).toBe(false);
    for (let i = 0; i < 4; i++) expect((await call(org, agent, { id: 1 }, new Date(start + i), `tool_${i}`)).looping).toBe(false);
    // One call every 16 s: never five within any 60 s.
    for (let i = 0; i < 8; i++) expect((await call(org, agent, { same: true }, new Date(start + i * 16_000))).looping).toBe(false);
    expect(await loopSwitches(org, agent)).toHaveLength(0);
  });

  test("the agent's own threshold and window override the defaults", async () => {
    const org = await createTestOrg();
    const strict = await createAgent(org, "strict", { threshold: 3, windowSec: 600 });
    const start = Date.now();
    expect((await call(org, strict, { q: "x" }, new Date(start))).looping).toBe(false);
    expect((await call(org, strict, { q: "x" }, new Date(start + 200_000))).looping).toBe(false);
    expect((await call(org, strict, { q: "x" }, new Date(start + 400_000))).looping).toBe(true);
  });

  test("after a person resumes the agent, the calls before do not halt it again", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, "resumed");
    const start = Date.now() - 30_000;
    for (let i = 0; i < 5; i++) await call(org, agent, { same: 1 }, new Date(start + i * 1000));
    const [sw] = await loopSwitches(org, agent);
    if (!sw) throw new Error("no switch was engaged");
    await testDb().killSwitch.update({ where: { id: sw.id }, data: { releasedAt: new Date(), releasedBy: "owner" } });
    forgetFacts(org.id);

    expect((await call(org, agent, { same: 1 }, new Date())).looping).toBe(false);
    // … but it is caught again if it keeps looping.
    for (let i = 1; i < 4; i++) expect((await call(org, agent, { same: 1 }, new Date(Date.now() + i))).looping).toBe(false);
    expect((await call(org, agent, { same: 1 }, new Date(Date.now() + 10))).looping).toBe(true);
    expect(await loopSwitches(org, agent)).toHaveLength(2);
  });

  test("reported tool_call events are checked too (name-only when they carry no arguments)", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, "reporter");
    const now = Date.now();
    await report(
      org,
      Array.from({ length: 4 }, (_, i) => ({ agentId: agent.id, tool: "search", arguments: undefined, at: new Date(now + i) })),
    );
    expect(await loopSwitches(org, agent)).toHaveLength(0);
    await report(org, [{ agentId: agent.id, tool: "search", arguments: undefined, at: new Date(now + 10) }]);
    expect(await loopSwitches(org, agent)).toHaveLength(1);
  });

  test("reported calls arriving out of order are counted where they happened: a later batch first, then the earlier one", async () => {
    // Two instances of one agent, or a retried batch: the calls at T+3 and T+4 s are logged first,
    // then those at T, T+1 and T+2 s. Five in 60 s is a loop, whichever batch came last.
    const org = await createTestOrg();
    const agent = await createAgent(org, "out-of-order");
    const now = Date.now() - 10_000;
    const at = (second: number) => ({ agentId: agent.id, tool: "search", arguments: { q: "same" }, at: new Date(now + second * 1000) });
    await report(org, [at(3), at(4)]);
    expect(await loopSwitches(org, agent)).toHaveLength(0);
    await report(org, [at(0), at(1), at(2)]);
    const switches = await loopSwitches(org, agent);
    expect(switches).toHaveLength(1);
    expect(switches[0]?.reason).toContain("made 5 times");
  });

  test("calls spread wider than the window are not a loop, whatever order they arrive in", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, "spread-out", { threshold: 3, windowSec: 10 });
    const now = Date.now() - 60_000;
    const at = (second: number) => ({ agentId: agent.id, tool: "search", arguments: { q: "same" }, at: new Date(now + second * 1000) });
    await report(org, [at(20), at(30)]);
    await report(org, [at(0), at(10)]);
    await report(org, [at(40)]);
    expect(await loopSwitches(org, agent)).toHaveLength(0);
    // Three within 10 s (at 40, 45 and 49.999): a loop.
    await report(org, [at(49.999), at(45)]);
    expect(await loopSwitches(org, agent)).toHaveLength(1);
  });

  test("an agent halted for looping logs none of the calls it keeps reporting, and after its resume is counted afresh", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, "halted-reporter", { threshold: 3, windowSec: 60 });
    const now = Date.now() - 30_000;
    const at = (ms: number) => ({ agentId: agent.id, tool: "search", arguments: { q: "same" }, at: new Date(now + ms) });
    const logged = async () => Number((await getPool().query<{ n: string }>("SELECT count(*) AS n FROM tool_call_log WHERE agent_id = $1", [agent.id])).rows[0]?.n);
    await report(org, [at(0), at(1), at(2)]);
    const [halt] = await loopSwitches(org, agent);
    expect(halt).toBeDefined();
    expect(await logged()).toBe(3);
    // Halted, it goes on reporting the same call: nothing is written for it.
    await report(org, [at(3), at(4), at(5), at(6)]);
    expect(await logged()).toBe(3);
    expect(await loopSwitches(org, agent)).toHaveLength(1);
    // Resumed: its calls are logged and counted from the resume on; three more halt it again.
    await testDb().killSwitch.update({ where: { id: halt?.id ?? "" }, data: { releasedAt: new Date(now + 10), releasedBy: "test" } });
    await report(org, [at(20), at(21)]);
    expect(await logged()).toBe(5);
    expect(await loopSwitches(org, agent)).toHaveLength(1);
    await report(org, [at(22)]);
    expect(await loopSwitches(org, agent)).toHaveLength(2);
  });

  test("a batch of repeated events halts the agent in one go", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, "batcher");
    const now = Date.now();
    await report(
      org,
      Array.from({ length: 50 }, (_, i) => ({ agentId: agent.id, tool: "fetch", arguments: { url: "https://x" }, at: new Date(now + i) })),
    );
    expect(await loopSwitches(org, agent)).toHaveLength(1);
  });
});

describe("through the events API", () => {
  test("an agent reporting the same tool call over and over is told to halt with loop_detected once its events are followed up", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, "event-looper");
    const key = await createKey(org.id, agent.id);
    const ingest = async (body: unknown) => {
      const answer = await api<{ accepted: number; duplicates: number; directives: { halt: boolean } }>("POST", "/api/v1/events", key, body);
      // What follows the events (loop checks among them) runs in the job queue, after the answer.
      await runDueJobs();
      return answer;
    };
    const directives = async () => {
      forgetFacts(org.id);
      const facts = await orgFacts(org.id);
      const profile = facts.agents.get(agent.id);
      if (!profile) throw new Error("no agent");
      return directivesFor(facts, profile);
    };
    const now = Date.now();
    const batch = (from: number, count: number) => ({
      events: Array.from({ length: count }, (_, i) => ({
        id: `e-${from + i}`,
        type: "tool_call",
        tool: "read_file",
        timestamp: new Date(now + (from + i) * 100).toISOString(),
        attributes: { arguments: { path: "/tmp/a" } },
      })),
    });
    expect((await ingest(batch(0, 4))).body.accepted).toBe(4);
    expect((await directives()).halt).toBe(false);
    // Re-sent duplicates are not calls made again.
    const resent = await ingest(batch(0, 4));
    expect(resent.body.duplicates).toBe(4);
    expect((await directives()).halt).toBe(false);
    const fifth = await ingest(batch(4, 1));
    expect(fifth.body.accepted).toBe(1);
    expect(await directives()).toMatchObject({ halt: true, reason: "loop_detected" });
  });
});

describe("spend rate", () => {
  /** An llm_call event with its cost, stored as ingest stores it (events, rollups, spend per day and minute). */
  async function spend(org: TestOrg, agent: LoopAgent, costMicros: bigint, ts: Date, id: string) {
    const facts = await orgFacts(org.id);
    const event = { id, type: "llm_call" as const, timestamp: ts.toISOString(), costUsd: (Number(costMicros) / 1e6).toFixed(6) };
    const stored = await storeEvents({ orgId: org.id, agent: facts.agents.get(agent.id) ?? null, facts, valid: [{ index: 0, event }], followUp: false });
    expect(stored.accepted).toBe(1);
  }

  const hourStart = (now: Date) => new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);

  test("spend far above the agent's own baseline halts it", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, "spender");
    const now = new Date();
    // A week of history at $0.12 per hour ($0.01 per 5 minutes), then $6 in the last minutes.
    await testDb().eventRollupHourly.create({
      data: { orgId: org.id, agentId: agent.id, teamId: org.leadTeamId, model: "", hour: new Date(hourStart(now).getTime() - 7 * 24 * 3_600_000), events: 168, costMicros: 20_160_000n },
    });
    await spend(org, agent, 3_000_000n, new Date(now.getTime() - 60_000), "s1");
    await spend(org, agent, 3_000_000n, new Date(now.getTime() - 1_000), "s2");
    const switchId = await checkSpendRate(org.id, agent.id, now);
    expect(switchId).not.toBeNull();
    const [sw] = await loopSwitches(org, agent);
    expect(sw?.id).toBe(switchId);
    expect(sw?.reason).toContain("Spend rate far above baseline");
    // Already halted: nothing more is engaged.
    expect(await checkSpendRate(org.id, agent.id, now)).toBeNull();
    expect(await loopSwitches(org, agent)).toHaveLength(1);
  });

  // Now, and two minutes after the next hour turns, when the spends below fall in the baseline's hour
  // (an hour later than the clock: ingest keeps spend per minute for events from the last minutes on).
  const nextHourTurned = () => new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 2 * 60_000 + 17_000);
  test.each([
    ["now", () => new Date()],
    ["just after the hour turns", nextHourTurned],
  ])("spend counts from the minute that began five minutes ago, and from the first whole minute after a resume (%s)", async (_, clock) => {
    const org = await createTestOrg();
    const agent = await createAgent(org, "edge-spender");
    const now = clock();
    const minuteStart = (at: number) => new Date(Math.floor(at / 60_000) * 60_000);
    // $6 spent before the window's first minute: not recent, so no halt.
    await spend(org, agent, 6_000_000n, new Date(minuteStart(now.getTime() - 5 * 60_000).getTime() - 1), "old");
    expect(await checkSpendRate(org.id, agent.id, now)).toBeNull();
    // Within it: halted (enough to be a runaway even when both spends fall in the baseline's hour).
    await spend(org, agent, 60_000_000n, minuteStart(now.getTime() - 5 * 60_000), "edge");
    const first = await checkSpendRate(org.id, agent.id, now);
    expect(first).not.toBeNull();
    // A person resumes it: the spend before the resume, and in the minute of the resume, is not counted again.
    const resumedAt = new Date(now.getTime() - 1);
    await testDb().killSwitch.update({ where: { id: first ?? "" }, data: { releasedAt: resumedAt, releasedBy: "test" } });
    expect(await checkSpendRate(org.id, agent.id, now)).toBeNull();
    // The next minute's runaway is.
    const later = new Date(minuteStart(now.getTime()).getTime() + 60_000 + 5_000);
    await spend(org, agent, 100_000_000n, new Date(later.getTime() - 1_000), "after");
    expect(await checkSpendRate(org.id, agent.id, later)).not.toBeNull();
  });

  test("an agent spending at its usual rate, or below the $5 floor, is left alone", async () => {
    const org = await createTestOrg();
    const busy = await createAgent(org, "busy-spender");
    const cheap = await createAgent(org, "cheap");
    const now = new Date();
    // One day of history at $12 per hour ($1 per 5 minutes): compared with that day, not a week.
    for (let hour = 1; hour <= 24; hour++) {
      await testDb().eventRollupHourly.create({
        data: { orgId: org.id, agentId: busy.id, teamId: org.leadTeamId, model: "", hour: new Date(hourStart(now).getTime() - hour * 3_600_000), events: 1, costMicros: 12_000_000n },
      });
    }
    await spend(org, busy, 8_000_000n, new Date(now.getTime() - 30_000), "b1");
    await spend(org, cheap, 4_900_000n, new Date(now.getTime() - 30_000), "c1");
    expect(await checkSpendRate(org.id, busy.id, now)).toBeNull();
    expect(await checkSpendRate(org.id, cheap.id, now)).toBeNull();
  });
});
