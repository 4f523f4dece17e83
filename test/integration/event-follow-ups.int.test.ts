// The follow-up outbox of ingested batches: a batch writes its follow-up in its own transaction
// (so it exists exactly when the events do), and drains take each row once, however many run at
// the same moment: the reported tool calls are logged once, the outbox is left empty.
import { expect, test } from "vitest";
import type { AgentEvent } from "../../server/agent-api/schemas";
import { drainFollowUps } from "../../server/data/event-follow-ups";
import { storeEvents } from "../../server/data/event-store";
import { forgetFacts, orgFacts } from "../../server/data/facts";
import { getPool } from "../../server/db/pool";
import { createTestOrg, testDb } from "./helpers";

test("each batch's follow-up is done once, though drains race; events without a follow-up (seeded history) write none", async () => {
  const org = await createTestOrg();
  const agent = await testDb().agent.create({ data: { orgId: org.id, name: "outbox-agent", teamId: org.leadTeamId } });
  forgetFacts(org.id);
  const facts = await orgFacts(org.id);
  const profile = facts.agents.get(agent.id) ?? null;
  const started = Date.now() - 3_600_000;
  // 20 batches of 5 tool calls, each call different (no loop), reported by the agent.
  for (let batch = 0; batch < 20; batch++) {
    const events = Array.from({ length: 5 }, (_, i): AgentEvent => ({
      id: `b${batch}-${i}`,
      type: "tool_call",
      tool: "search",
      attributes: { arguments: { q: `${batch}-${i}` } },
      timestamp: new Date(started + batch * 1000 + i).toISOString(),
    }));
    const result = await storeEvents({ orgId: org.id, agent: profile, facts, valid: events.map((event, index) => ({ index, event })) });
    expect(result.accepted).toBe(5);
  }
  const history = await storeEvents({
    orgId: org.id,
    agent: profile,
    facts,
    followUp: false,
    valid: [{ index: 0, event: { id: "seeded", type: "tool_call", tool: "search", timestamp: new Date(started).toISOString() } }],
  });
  expect(history.accepted).toBe(1);
  const waiting = async () => Number((await getPool().query<{ n: string }>("SELECT count(*) AS n FROM event_follow_ups WHERE org_id = $1", [org.id])).rows[0]?.n);
  expect(await waiting()).toBe(20);

  await Promise.all(Array.from({ length: 6 }, () => drainFollowUps()));
  expect(await waiting()).toBe(0);
  const logged = await getPool().query<{ n: string }>("SELECT count(*) AS n FROM tool_call_log WHERE agent_id = $1", [agent.id]);
  expect(Number(logged.rows[0]?.n)).toBe(100);
  expect(await testDb().killSwitch.count({ where: { orgId: org.id } })).toBe(0);
});
