// An agent registered a moment ago works at once, on every process. Found by the two-process
// tests: a process that had not yet heard the new agent's notification refused its brand-new key
// as revoked (the key is read fresh, the org's agents were the cached ones). Here the notification
// cannot arrive at all: this process stops listening, so its facts are what it read before
// (the file's connections, LISTEN included, are closed after it as after every file).
import { expect, test } from "vitest";
import { orgFacts } from "../../server/data/facts";
import { stopListening } from "../../server/db/notify";
import { api, createKey } from "./agent-api";
import { createTestOrg, testDb } from "./helpers";

test("a new agent's key is accepted before its notification reaches this process", async () => {
  const org = await createTestOrg();
  const first = await testDb().agent.create({ data: { orgId: org.id, name: "first-agent", teamId: org.leadTeamId } });
  const firstKey = await createKey(org.id, first.id);
  expect((await api("POST", "/api/v1/heartbeat", firstKey, { instanceId: "a-1" })).status).toBe(200);
  expect((await orgFacts(org.id)).agents.has(first.id)).toBe(true);

  await stopListening();
  const fresh = await testDb().agent.create({ data: { orgId: org.id, name: "registered-just-now", teamId: org.leadTeamId } });
  const freshKey = await createKey(org.id, fresh.id);
  const answer = await api("POST", "/api/v1/heartbeat", freshKey, { instanceId: "b-1" });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
});

test("agents registered one after the other, each answering a burst of parallel calls at once, are all accepted", async () => {
  // Found by the two-process tests: the reload was allowed once a second per org, so the second
  // agent's burst, within that second of the first's reload, was refused as revoked.
  const org = await createTestOrg();
  const warm = await testDb().agent.create({ data: { orgId: org.id, name: "warm-agent", teamId: org.leadTeamId } });
  expect((await api("POST", "/api/v1/heartbeat", await createKey(org.id, warm.id), { instanceId: "w-1" })).status).toBe(200);

  await stopListening();
  for (const name of ["burst-agent-1", "burst-agent-2", "burst-agent-3"]) {
    const agent = await testDb().agent.create({ data: { orgId: org.id, name, teamId: org.leadTeamId } });
    const key = await createKey(org.id, agent.id);
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => api("POST", "/api/v1/heartbeat", key, { instanceId: `${name}-${i}` })));
    expect(
      answers.map((answer) => answer.status),
      name,
    ).toEqual([200, 200, 200, 200, 200]);
  }
});
