// Kill switches end to end: engage/release through the console's procedures (audited, revision
// bumped, alert raised, NOTIFY on commit), who may switch what, the directives agents get, the
// system switch of loop detection, the SSE stream over HTTP, and acknowledgements.
import { beforeAll, describe, expect, test } from "vitest";
import { directivesFor } from "../../server/agent-api/directives";
import { connectedInstances, revalidateDirectiveStreams } from "../../server/agent-api/directives-stream";
import type { Directives } from "../../server/agent-api/schemas";
import { forgetFacts, orgFacts } from "../../server/data/facts";
import { engageSystemSwitch } from "../../server/data/killswitches";
import { listenerBackendPid, notifyChange, onChange, whenListening, type Change } from "../../server/db/notify";
import { getPool, inTransaction } from "../../server/db/pool";
import { killedModels } from "../../server/domain/killswitch/match";
import { agentApiUrl, api, createKey } from "./agent-api";
import { auditCount, callerFor, createTestOrg, errorCode, testDb, type TestOrg } from "./helpers";

let org: TestOrg;
let orgName: string;

async function agentIn(teamId: string | null, tags: string[] = []) {
  const agent = await testDb().agent.create({ data: { orgId: org.id, name: `agent-${Math.random().toString(36).slice(2, 10)}`, teamId, tags } });
  forgetFacts(org.id);
  return { id: agent.id, name: agent.name, teamId: agent.teamId, tags: agent.tags };
}

/** The agent's directives as this process answers them now (the console's mutations drop its facts at once). */
async function directivesOf(agent: { id: string }): Promise<Directives> {
  const facts = await orgFacts(org.id);
  const profile = facts.agents.get(agent.id);
  if (!profile) throw new Error("agent not in the facts");
  return directivesFor(facts, profile);
}

const activeSwitches = async () => (await orgFacts(org.id)).switches;

const revisionOf = async (orgId: string) => (await testDb().directiveRevision.findUnique({ where: { orgId } }))?.revision ?? 0;

beforeAll(async () => {
  org = await createTestOrg();
  orgName = (await testDb().org.findUniqueOrThrow({ where: { id: org.id } })).name;
  expect(await whenListening()).toBe(true);
});

describe("engaging and releasing an org switch", () => {
  test("is audited, bumps the revision, raises an alert, notifies, and halts every agent", async () => {
    const agent = await agentIn(org.leadTeamId);
    const changes: Change[] = [];
    const stop = onChange((change) => changes.push(change));
    const auditBefore = await auditCount(org.id);
    const revisionBefore = await revisionOf(org.id);
    const owner = callerFor(org.users.owner.userId);

    const engaged = await owner.killSwitches.engage({ orgId: org.id, scope: "org", target: "", reason: "Incident 42: runaway spend", confirmation: orgName });

    expect(engaged.revision).toBe(revisionBefore + 1);
    expect(await revisionOf(org.id)).toBe(revisionBefore + 1);
    // The switch's entry, and the incident it opened (docs/compliance.md) just before it.
    expect(await auditCount(org.id)).toBe(auditBefore + 2);
    const entry = await testDb().auditEntry.findFirstOrThrow({ where: { orgId: org.id }, orderBy: { seq: "desc" } });
    expect(entry).toMatchObject({ action: "killswitch.engaged", targetId: engaged.id, actorId: org.users.owner.userId, reason: "Incident 42: runaway spend" });
    const alert = await testDb().alert.findFirstOrThrow({ where: { orgId: org.id, kind: "kill_switch" }, orderBy: { createdAt: "desc" } });
    expect(alert.severity).toBe("critical");
    expect(alert.details).toMatchObject({ killSwitchId: engaged.id, scope: "org" });

    const directives = await directivesOf(agent);
    expect(directives).toMatchObject({ halt: true, reason: "kill_switch", killSwitchId: engaged.id, revision: engaged.revision });
    await expect.poll(() => changes.some((change) => change.orgId === org.id && change.kind === "killswitch"), { timeout: 3000 }).toBe(true);

    const listed = await owner.killSwitches.list({ orgId: org.id });
    expect(listed.active.map((sw) => [sw.id, sw.targetName, sw.engagedBy])).toEqual([[engaged.id, orgName, org.users.owner.email]]);

    // A duplicate is refused, and changes nothing.
    expect(await errorCode(owner.killSwitches.engage({ orgId: org.id, scope: "org", target: "", reason: "again", confirmation: orgName }))).toBe("CONFLICT");
    expect(await revisionOf(org.id)).toBe(revisionBefore + 1);

    await owner.killSwitches.release({ orgId: org.id, id: engaged.id, reason: "Resolved" });
    expect(await revisionOf(org.id)).toBe(revisionBefore + 2);
    const released = await testDb().auditEntry.findFirstOrThrow({ where: { orgId: org.id }, orderBy: { seq: "desc" } });
    expect(released).toMatchObject({ action: "killswitch.released", targetId: engaged.id, reason: "Resolved" });
    expect(await testDb().alert.count({ where: { orgId: org.id, kind: "kill_switch" } })).toBe(2);
    expect(await directivesOf(agent)).toEqual({ halt: false, budget: null, revision: revisionBefore + 2 });
    const after = await owner.killSwitches.list({ orgId: org.id });
    expect(after.active).toEqual([]);
    expect(after.history.map((sw) => sw.id)).toContain(engaged.id);
    expect(await errorCode(owner.killSwitches.release({ orgId: org.id, id: engaged.id, reason: "twice" }))).toBe("BAD_REQUEST");
    stop();
  });

  test("a wrong typed confirmation is refused and changes nothing", async () => {
    const auditBefore = await auditCount(org.id);
    const revisionBefore = await revisionOf(org.id);
    const owner = callerFor(org.users.owner.userId);
    expect(await errorCode(owner.killSwitches.engage({ orgId: org.id, scope: "org", target: "", reason: "oops", confirmation: orgName.toLowerCase() }))).toBe("BAD_REQUEST");
    expect(await auditCount(org.id)).toBe(auditBefore);
    expect(await revisionOf(org.id)).toBe(revisionBefore);
    expect(await activeSwitches()).toEqual([]);
  });
});

describe("scopes", () => {
  test("team, agent and tag switches halt exactly the agents they cover; a model switch halts none", async () => {
    const owner = callerFor(org.users.owner.userId);
    const inTeam = await agentIn(org.leadTeamId);
    const tagged = await agentIn(org.otherTeamId, ["payments"]);
    const bystander = await agentIn(org.otherTeamId);
    await testDb().model.create({ data: { orgId: org.id, name: "kill-test-model", provider: "test", inputMicrosPerMTok: 1n, outputMicrosPerMTok: 1n, qualityTier: 3 } });
    const team = org.teams[0];
    if (!team) throw new Error("no team");

    const teamSwitch = await owner.killSwitches.engage({ orgId: org.id, scope: "team", target: team.id, reason: "team", confirmation: team.name });
    const tagSwitch = await owner.killSwitches.engage({ orgId: org.id, scope: "tag", target: "payments", reason: "tag", confirmation: "payments" });
    const modelSwitch = await owner.killSwitches.engage({ orgId: org.id, scope: "model", target: "kill-test-model", reason: "model", confirmation: "kill-test-model" });

    expect(await directivesOf(inTeam)).toMatchObject({ halt: true, killSwitchId: teamSwitch.id });
    expect(await directivesOf(tagged)).toMatchObject({ halt: true, killSwitchId: tagSwitch.id });
    expect(await directivesOf(bystander)).toMatchObject({ halt: false });
    expect(killedModels(await activeSwitches()).has("kill-test-model")).toBe(true);

    for (const id of [teamSwitch.id, tagSwitch.id, modelSwitch.id]) await owner.killSwitches.release({ orgId: org.id, id, reason: "done" });
    expect(await activeSwitches()).toEqual([]);
  });

  test("a team lead may stop their own team's agent, and nothing outside their reach", async () => {
    const lead = callerFor(org.users.team_lead.userId);
    const own = await agentIn(org.leadTeamId);
    const other = await agentIn(org.otherTeamId);
    const engaged = await lead.killSwitches.engage({ orgId: org.id, scope: "agent", target: own.id, reason: "misbehaving", confirmation: own.name });
    expect(await directivesOf(own)).toMatchObject({ halt: true, killSwitchId: engaged.id });

    const auditBefore = await auditCount(org.id);
    expect(await errorCode(lead.killSwitches.engage({ orgId: org.id, scope: "agent", target: other.id, reason: "reach", confirmation: other.name }))).toBe("FORBIDDEN");
    expect(await errorCode(lead.killSwitches.engage({ orgId: org.id, scope: "org", target: "", reason: "reach", confirmation: orgName }))).toBe("FORBIDDEN");
    expect(await errorCode(callerFor(org.users.compliance.userId).killSwitches.engage({ orgId: org.id, scope: "agent", target: own.id, reason: "x", confirmation: own.name }))).toBe("FORBIDDEN");
    expect(await auditCount(org.id)).toBe(auditBefore);
    // The lead's target list offers only their own team's agents, and nothing org-wide.
    const targets = await lead.killSwitches.targets({ orgId: org.id, scope: "agent" });
    expect(targets.map((t) => t.value)).toContain(own.id);
    expect(targets.map((t) => t.value)).not.toContain(other.id);
    expect(await lead.killSwitches.targets({ orgId: org.id, scope: "org" })).toEqual([]);
    // The agent's page banner.
    expect(await lead.killSwitches.forAgent({ orgId: org.id, agentId: own.id })).toMatchObject({ id: engaged.id, scope: "agent", targetName: own.name });

    await lead.killSwitches.release({ orgId: org.id, id: engaged.id, reason: "fixed" });
    expect(await directivesOf(own)).toMatchObject({ halt: false });
  });
});

describe("the system switch of loop detection", () => {
  test("is audited as system, alerts loop_detected, halts with loop_detected, and is engaged once", async () => {
    const agent = await agentIn(org.leadTeamId);
    const input = { orgId: org.id, scope: "agent" as const, target: agent.id, teamId: agent.teamId, reasonCode: "loop_detected" as const, reason: "search called 5 times in 60 s" };
    const first = await inTransaction(getPool(), (client) => engageSystemSwitch(client, input));
    const second = await inTransaction(getPool(), (client) => engageSystemSwitch(client, input));
    expect(second.id).toBe(first.id);
    expect(await testDb().killSwitch.count({ where: { orgId: org.id, target: agent.id, releasedAt: null } })).toBe(1);
    const entry = await testDb().auditEntry.findFirstOrThrow({ where: { orgId: org.id, targetId: first.id } });
    expect(entry).toMatchObject({ actorType: "system", action: "killswitch.engaged" });
    expect(await testDb().alert.count({ where: { orgId: org.id, kind: "loop_detected", agentId: agent.id } })).toBe(1);
    forgetFacts(org.id);
    expect(await directivesOf(agent)).toMatchObject({ halt: true, reason: "loop_detected", killSwitchId: first.id });
    await callerFor(org.users.owner.userId).killSwitches.release({ orgId: org.id, id: first.id, reason: "looked into it" });
  });
});

/** Reads SSE `directives` events from a stream response. */
function eventReader(response: Response) {
  const body = response.body;
  if (!body) throw new Error("no body");
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next(timeoutMs = 5000): Promise<{ id: string; directives: Directives }> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split("\n");
          if (!lines.includes("event: directives")) continue;
          const id = lines.find((line) => line.startsWith("id: "))?.slice(4) ?? "";
          const data = lines.find((line) => line.startsWith("data: "))?.slice(6) ?? "null";
          return { id, directives: JSON.parse(data) as Directives };
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error("no directives event in time");
        const chunk = await Promise.race([reader.read(), new Promise<null>((resolve) => setTimeout(() => resolve(null), left))]);
        if (!chunk) throw new Error("no directives event in time");
        if (chunk.done) throw new Error("stream ended");
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
  };
}

describe("the directives stream", () => {
  test("sends directives on connect and pushes the halt on engage; acknowledgements are counted", async () => {
    const agent = await agentIn(org.leadTeamId);
    const key = await createKey(org.id, agent.id);
    const abort = new AbortController();
    const response = await fetch(`${await agentApiUrl()}/api/v1/directives/stream?instanceId=i-1`, { headers: { authorization: `Bearer ${key}` }, signal: abort.signal });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = eventReader(response);
    const first = await events.next();
    expect(first.directives.halt).toBe(false);
    expect(connectedInstances(org.id).map((c) => c.instanceId)).toEqual(["i-1"]);

    const owner = callerFor(org.users.owner.userId);
    const engaged = await owner.killSwitches.engage({ orgId: org.id, scope: "agent", target: agent.id, reason: "stream test", confirmation: agent.name });
    const pushed = await events.next();
    expect(pushed.directives).toMatchObject({ halt: true, reason: "kill_switch", killSwitchId: engaged.id, revision: engaged.revision });
    expect(pushed.id).toBe(String(engaged.revision));

    // The instance acknowledges in its heartbeat: the page counts it, with a time.
    await expect.poll(async () => (await testDb().agentInstance.findUnique({ where: { agentId_instanceId: { agentId: agent.id, instanceId: "i-1" } } }))?.streamSeenAt ?? null).not.toBeNull();
    let listed = await owner.killSwitches.list({ orgId: org.id });
    expect(listed.active.find((sw) => sw.id === engaged.id)?.acks).toMatchObject({ connected: 1, acknowledged: 0 });
    expect((await api("POST", "/api/v1/heartbeat", key, { instanceId: "i-1", directiveVersion: engaged.revision })).status).toBe(200);
    listed = await owner.killSwitches.list({ orgId: org.id });
    const acks = listed.active.find((sw) => sw.id === engaged.id)?.acks;
    expect(acks).toMatchObject({ connected: 1, acknowledged: 1 });
    expect(acks?.p95Ms).toBeGreaterThanOrEqual(0);

    await owner.killSwitches.release({ orgId: org.id, id: engaged.id, reason: "done" });
    expect((await events.next()).directives.halt).toBe(false);
    abort.abort();
    await expect.poll(() => connectedInstances(org.id).length).toBe(0);
  });
});

describe("a long-lived stream", () => {
  test("ends once its key is revoked", async () => {
    const agent = await agentIn(org.leadTeamId);
    const key = await createKey(org.id, agent.id);
    const response = await fetch(`${await agentApiUrl()}/api/v1/directives/stream`, { headers: { authorization: `Bearer ${key}`, "x-instance-id": "revoked-1" } });
    const events = eventReader(response);
    expect((await events.next()).directives.halt).toBe(false);
    await revalidateDirectiveStreams();
    expect(connectedInstances(org.id).map((c) => c.instanceId)).toContain("revoked-1");

    await testDb().apiKey.updateMany({ where: { agentId: agent.id }, data: { revokedAt: new Date() } });
    await revalidateDirectiveStreams();
    expect(connectedInstances(org.id).map((c) => c.instanceId)).not.toContain("revoked-1");
    await expect(events.next(2000)).rejects.toThrow("stream ended");
  });
});

describe("the LISTEN connection", () => {
  test("reconnects after it is cut, tells listeners to drop caches, and delivers changes again", async () => {
    const changes: Change[] = [];
    const stop = onChange((change) => changes.push(change));
    const pid = listenerBackendPid();
    expect(pid).not.toBeNull();
    await getPool().query("SELECT pg_terminate_backend($1)", [pid]);
    await expect.poll(() => changes.some((change) => change.orgId === "*" && change.kind === "*"), { timeout: 10_000 }).toBe(true);
    expect(listenerBackendPid()).not.toBe(pid);
    await notifyChange(getPool(), { orgId: org.id, kind: "policy" });
    await expect.poll(() => changes.some((change) => change.orgId === org.id && change.kind === "policy"), { timeout: 5_000 }).toBe(true);
    stop();
  });
});
