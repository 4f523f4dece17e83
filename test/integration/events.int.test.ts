// The console's Events list: what a team lead sees, that paging never loses or repeats an event,
// and that the filters filter. Events go in through the real ingest path (storeEvents), so they
// are redacted, priced and rolled up exactly as the agent API stores them.
import { beforeAll, describe, expect, test } from "vitest";
import type { AgentEvent } from "../../server/agent-api/schemas";
import { storeEvents } from "../../server/data/event-store";
import { forgetFacts, orgFacts } from "../../server/data/facts";
import { getPool } from "../../server/db/pool";
import { callerFor, createTestOrg, errorCode, testDb, type TestOrg } from "./helpers";

interface TestAgent {
  id: string;
  name: string;
  teamId: string | null;
}

async function createAgent(org: TestOrg, name: string, teamId: string | null): Promise<TestAgent> {
  const agent = await testDb().agent.create({ data: { orgId: org.id, name, teamId } });
  forgetFacts(org.id);
  return { id: agent.id, name: agent.name, teamId: agent.teamId };
}

/** Stores events as the agent's key would, through the ingest pipeline's store. */
async function ingest(org: TestOrg, agent: TestAgent, events: AgentEvent[]) {
  const facts = await orgFacts(org.id);
  const result = await storeEvents({ orgId: org.id, agent: facts.agents.get(agent.id) ?? null, facts, valid: events.map((event, index) => ({ index, event })) });
  expect(result.accepted).toBe(events.length);
}

const at = (minute: number, second = 0) => new Date(Date.UTC(2026, 10, 20, 9, minute, second)).toISOString();

describe("events", () => {
  let org: TestOrg;
  let mine: TestAgent; // in the team lead's team
  let theirs: TestAgent; // in another team
  let orphan: TestAgent; // in no team (e.g. just discovered)

  beforeAll(async () => {
    org = await createTestOrg();
    await testDb().model.create({
      data: { orgId: org.id, provider: "openai", name: "gpt-test", inputMicrosPerMTok: 1_000_000n, outputMicrosPerMTok: 4_000_000n, qualityTier: 3 },
    });
    mine = await createAgent(org, "lead-agent", org.leadTeamId);
    theirs = await createAgent(org, "other-agent", org.otherTeamId);
    orphan = await createAgent(org, "orphan-agent", null);

    // 25 events for `mine`, in groups of five sharing one timestamp: the cursor must break ties by id.
    await ingest(
      org,
      mine,
      Array.from({ length: 25 }, (_, index): AgentEvent => ({
        id: `m-${index}`,
        type: index % 5 === 0 ? "tool_call" : "llm_call",
        timestamp: at(Math.floor(index / 5)),
        ...(index % 5 === 0 ? { tool: "search" } : { model: "gpt-test", inputTokens: 1000, outputTokens: 500 }),
        taskId: index < 10 ? "task-a" : "task-b",
        attributes: { user: `person${index}@example.com`, step: index },
      })),
    );
    await ingest(org, theirs, [
      { id: "t-1", type: "llm_call", timestamp: at(2, 30), model: "gpt-other", inputTokens: 10, outputTokens: 10, attributes: { secret: "call +1 415 555 0100" } },
      { id: "t-2", type: "error", timestamp: at(3, 30), status: "failed" },
    ]);
    await ingest(org, orphan, [{ id: "o-1", type: "log", timestamp: at(1, 30) }]);
  });

  test("the list is newest first, names the agent and prices the event as a string of micro-dollars", async () => {
    const owner = callerFor(org.users.owner.userId);
    const page = await owner.events.list({ orgId: org.id, limit: 3 });
    expect(page.events.map((event) => event.eventId)).toEqual(["m-24", "m-23", "m-22"]);
    const first = page.events[0];
    expect(first?.agent.name).toBe("lead-agent");
    // 1000 input at $1/M + 500 output at $4/M = $0.003
    expect(first?.costMicros).toBe("3000");
    expect(first?.hasAttributes).toBe(true);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  test("paging with the cursor returns every event exactly once, in order, across ties in time", async () => {
    const viewer = callerFor(org.users.viewer.userId);
    const seen: { eventId: string; ts: Date; id: bigint }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof viewer.events.list>> = await viewer.events.list({ orgId: org.id, limit: 4, cursor });
      seen.push(...page.events.map((event) => ({ eventId: event.eventId, ts: new Date(event.ts), id: BigInt(event.id) })));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);

    expect(seen).toHaveLength(28);
    expect(new Set(seen.map((event) => event.eventId)).size).toBe(28);
    for (let index = 1; index < seen.length; index++) {
      const previous = seen[index - 1];
      const current = seen[index];
      if (!previous || !current) throw new Error("gap");
      const ordered = previous.ts > current.ts || (previous.ts.getTime() === current.ts.getTime() && previous.id > current.id);
      expect(ordered, `${previous.eventId} before ${current.eventId}`).toBe(true);
    }
  });

  test("an event arriving between pages does not shift or repeat the older ones", async () => {
    const owner = callerFor(org.users.owner.userId);
    const paged = await createAgent(org, "paging-agent", org.otherTeamId);
    await ingest(
      org,
      paged,
      Array.from({ length: 6 }, (_, index): AgentEvent => ({ id: `p-${index}`, type: "log", timestamp: at(20, index) })),
    );
    const first = await owner.events.list({ orgId: org.id, agentId: paged.id, limit: 3 });
    // Newer than everything shown: it belongs at the top of a fresh list, not on the next page.
    await ingest(org, paged, [{ id: "p-late", type: "log", timestamp: at(30) }]);
    const second = await owner.events.list({ orgId: org.id, agentId: paged.id, limit: 3, cursor: first.nextCursor });
    expect([...first.events, ...second.events].map((event) => event.eventId)).toEqual(["p-5", "p-4", "p-3", "p-2", "p-1", "p-0"]);
    expect(second.nextCursor).toBeNull();
  });

  test("a team lead sees only their teams' agents' events, and cannot open or ask for the others", async () => {
    const lead = callerFor(org.users.team_lead.userId);
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof lead.events.list>> = await lead.events.list({ orgId: org.id, limit: 200, cursor });
      all.push(...page.events.map((event) => event.agent.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(all)).toEqual(new Set(["lead-agent"]));

    const owner = callerFor(org.users.owner.userId);
    const theirEvent = (await owner.events.list({ orgId: org.id, agentId: theirs.id })).events[0];
    const orphanEvent = (await owner.events.list({ orgId: org.id, agentId: orphan.id })).events[0];
    if (!theirEvent || !orphanEvent) throw new Error("fixture events missing");
    expect(await errorCode(lead.events.get({ orgId: org.id, id: theirEvent.id }))).toBe("NOT_FOUND");
    expect(await errorCode(lead.events.get({ orgId: org.id, id: orphanEvent.id }))).toBe("NOT_FOUND");
    expect(await errorCode(lead.events.list({ orgId: org.id, agentId: theirs.id }))).toBe("FORBIDDEN");
    expect((await lead.events.facets({ orgId: org.id })).models).toEqual(["gpt-test"]);
    expect((await owner.events.facets({ orgId: org.id })).models).toEqual(["gpt-other", "gpt-test"]);
  });

  test("get shows the attributes as stored: redacted", async () => {
    const lead = callerFor(org.users.team_lead.userId);
    const listed = (await lead.events.list({ orgId: org.id, taskId: "task-a", type: "llm_call", limit: 1 })).events[0];
    if (!listed) throw new Error("no event");
    const event = await lead.events.get({ orgId: org.id, id: listed.id });
    expect(event.eventId).toBe("m-9");
    expect(event.attributes).toEqual({ user: "[REDACTED:EMAIL]", step: 9 });

    const owner = callerFor(org.users.owner.userId);
    const other = (await owner.events.list({ orgId: org.id, agentId: theirs.id, type: "llm_call" })).events[0];
    if (!other) throw new Error("no event");
    expect((await owner.events.get({ orgId: org.id, id: other.id })).attributes).toEqual({ secret: "call [REDACTED:PHONE]" });
    expect(await errorCode(owner.events.get({ orgId: org.id, id: "999999999999" }))).toBe("NOT_FOUND");
  });

  test("filters: agent, type, model, task and time range combine", async () => {
    const owner = callerFor(org.users.owner.userId);
    const ids = async (filter: Omit<Parameters<typeof owner.events.list>[0], "orgId">) => (await owner.events.list({ orgId: org.id, limit: 200, ...filter })).events.map((event) => event.eventId);

    expect(await ids({ type: "error" })).toEqual(["t-2"]);
    expect(await ids({ model: "gpt-other" })).toEqual(["t-1"]);
    expect(await ids({ agentId: orphan.id })).toEqual(["o-1"]);
    expect(await ids({ type: "tool_call", agentId: mine.id })).toEqual(["m-20", "m-15", "m-10", "m-5", "m-0"]);
    expect(await ids({ type: "tool_call", taskId: "task-a" })).toEqual(["m-5", "m-0"]);
    // [09:01, 09:02): the orphan's 09:01:30 log, then the 09:01:00 group; `to` is exclusive.
    expect(await ids({ from: new Date(at(1)), to: new Date(at(2)) })).toEqual(["o-1", "m-9", "m-8", "m-7", "m-6", "m-5"]);
    expect(await ids({ model: "no-such-model" })).toEqual([]);
  });

  test("a cursor that was not written by the server is refused", async () => {
    const owner = callerFor(org.users.owner.userId);
    expect(await errorCode(owner.events.list({ orgId: org.id, cursor: "not-a-cursor" }))).toBe("BAD_REQUEST");
  });
});

describe("hourly rollups", () => {
  test("keep versions apart and add tasks and latency histograms across batches", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, "versioned-agent", org.leadTeamId);
    const task = (id: string, version: string, status: string, latencyMs: number): AgentEvent => ({ id, type: "task_end", timestamp: at(40), version, status, latencyMs });
    await ingest(org, agent, [task("a", "v1", "ok", 120), task("b", "v2", "ok", 92)]);
    await ingest(org, agent, [task("c", "v2", "error", 4000), task("d", "v2", "ok", 100)]);
    const { rows } = await getPool().query<{ version: string; events: number; tasks: number; failed_tasks: number; latency_hist: number[] }>(
      "SELECT version, events, tasks, failed_tasks, latency_hist FROM event_rollups_hourly WHERE agent_id = $1 ORDER BY version",
      [agent.id],
    );
    expect(rows.map((row) => [row.version, row.events, row.tasks, row.failed_tasks])).toEqual([
      ["v1", 1, 1, 0],
      ["v2", 3, 3, 1],
    ]);
    const v2 = rows[1]?.latency_hist ?? [];
    expect(v2.reduce((sum, count) => sum + count, 0)).toBe(3);
    // 92 ms and 100 ms share a bucket; 4 s lies far above it.
    expect(v2.filter((count) => count > 0)).toEqual([2, 1]);
  });
});
