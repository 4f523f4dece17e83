// Two app processes on one database, as two replicas behind a load balancer: the promises that
// only hold if the processes share nothing but PostgreSQL. A hard budget raced from both never
// overspends and every allowed decision has exactly one row and one hold; a kill switch engaged
// through one reaches an agent streaming from the other within 250 ms; an approval decided on one
// is used by a decision on the other; loop detection counts calls made through both; and an app
// killed in the middle of a burst of decisions leaves nothing half-written.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { generateApiKey } from "../../../server/domain/keys/api-key";
import { startApps, type AppProcess } from "../harness/app-process";
import { createConsoleUser, signIn, trpcQuery } from "../harness/console-session";
import { createTestOrg, databaseUrl, testDb, type TestOrg } from "../helpers";

interface Agent {
  id: string;
  name: string;
  key: string;
}

let apps: AppProcess[];
let a: AppProcess;
let b: AppProcess;

beforeAll(async () => {
  apps = await startApps(2, { databaseUrl });
  [a, b] = apps as [AppProcess, AppProcess];
}, 180_000);

async function allowingOrg(): Promise<TestOrg> {
  const org = await createTestOrg();
  await testDb().org.update({ where: { id: org.id }, data: { settings: { policyDefault: "allow" } } });
  return org;
}

async function createAgent(org: TestOrg, teamId: string | null = org.leadTeamId): Promise<Agent> {
  const name = `agent-${randomUUID().slice(0, 8)}`;
  const agent = await testDb().agent.create({ data: { orgId: org.id, name, teamId } });
  const key = generateApiKey();
  await testDb().apiKey.create({ data: { orgId: org.id, kind: "agent", agentId: agent.id, name: "two processes", prefix: key.prefix, hash: key.hash } });
  return { id: agent.id, name, key: key.key };
}

interface Decision {
  decision: string;
  decisionId: string;
  reasons: { code: string; message: string }[];
  approvalId?: string;
}

async function decide(app: AppProcess, key: string, body: unknown): Promise<Decision> {
  const response = await fetch(`${app.url}/api/v1/decide`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  if (response.status !== 200) throw new Error(`decide answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Decision;
}

const tool = (estimatedCostUsd?: string, args: Record<string, unknown> = { nonce: randomUUID() }) => ({
  action: { type: "tool", name: "lookup", arguments: args },
  ...(estimatedCostUsd ? { estimatedCostUsd } : {}),
});

describe("two app processes on one database", () => {
  test("a hard budget raced from both never overspends; every allowed decision has one row and one hold", { timeout: 120_000 }, async () => {
    const org = await allowingOrg();
    const agent = await createAgent(org);
    const budget = await testDb().budget.create({
      data: { orgId: org.id, scope: "agent", scopeKey: `agent:${agent.id}`, agentId: agent.id, period: "monthly", mode: "hard", limitMicros: 1_000_000n },
    });
    // 300 decisions of $0.007 each, half through each process, all at once: at most 142 fit in $1.
    const answers = await Promise.all(Array.from({ length: 300 }, (_, index) => decide(index % 2 === 0 ? a : b, agent.key, tool("0.007"))));
    const allowed = answers.filter((answer) => answer.decision === "allow");
    expect(allowed.length).toBe(142);
    expect(answers.filter((answer) => answer.decision === "deny").every((answer) => answer.reasons.some((reason) => reason.code === "budget_exhausted"))).toBe(true);

    const usage = await testDb().budgetUsage.findMany({ where: { budgetId: budget.id } });
    expect(usage.reduce((sum, row) => sum + row.reservedMicros, 0n)).toBe(BigInt(allowed.length) * 7_000n);
    expect(await testDb().decisionRecord.count({ where: { id: { in: answers.map((answer) => answer.decisionId) } } })).toBe(300);
    const holds = await testDb().budgetReservation.groupBy({ by: ["decisionId"], where: { decisionId: { in: allowed.map((answer) => answer.decisionId) } }, _count: true });
    expect(holds.length).toBe(allowed.length);
    expect(holds.every((row) => row._count === 1)).toBe(true);
    expect(await testDb().budgetReservation.count({ where: { orgId: org.id } })).toBe(allowed.length);
  });

  test("a kill switch engaged through one process reaches an agent streaming from the other within 250 ms", { timeout: 60_000 }, async () => {
    const org = await allowingOrg();
    const agent = await createAgent(org);
    const owner = await createConsoleUser(testDb(), org.id, "owner");
    const cookie = await signIn(a.url, owner.email, owner.password);

    const stream = await fetch(`${b.url}/api/v1/directives/stream?instanceId=i-1`, { headers: { authorization: `Bearer ${agent.key}` } });
    const reader = stream.body?.getReader();
    if (!reader) throw new Error("no stream");
    const decoder = new TextDecoder();
    let buffer = "";
    const nextDirectives = async (): Promise<{ halt: boolean; killSwitchId?: string }> => {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split("\n").find((line) => line.startsWith("data: "));
          if (block.includes("event: directives") && data) return JSON.parse(data.slice(6)) as { halt: boolean; killSwitchId?: string };
          continue;
        }
        const chunk = await reader.read();
        if (chunk.done) throw new Error("the stream ended");
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    };
    expect((await nextDirectives()).halt).toBe(false);
    // The console's first request to a fresh process loads its route: not what is measured here.
    expect((await trpcQuery(a.url, cookie, "killSwitches.list", { orgId: org.id })).status).toBe(200);

    const engagedAt = performance.now();
    const response = await fetch(`${a.url}/api/trpc/killSwitches.engage`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json", origin: a.url },
      body: JSON.stringify({ json: { orgId: org.id, scope: "agent", target: agent.id, reason: "two processes", confirmation: agent.name } }),
    });
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as { result: { data: { json: { id: string } } } };
    const halted = await nextDirectives();
    const elapsed = performance.now() - engagedAt;
    expect(halted).toMatchObject({ halt: true, killSwitchId: result.data.json.id });
    expect(elapsed).toBeLessThan(250);
    // And the other process's decide refuses the agent.
    expect((await decide(b, agent.key, tool())).reasons[0]?.code).toBe("kill_switch");
    await reader.cancel();
  });

  test("an approval decided through one process is used by a decision on the other, once", { timeout: 60_000 }, async () => {
    const org = await allowingOrg();
    await testDb().policy.create({
      data: { orgId: org.id, name: "refunds need a person", status: "enforced", cedar: '@approval("true")\npermit (principal, action == Action::"tool", resource == Tool::"refund");' },
    });
    const agent = await createAgent(org);
    const refund = { action: { type: "tool", name: "refund", arguments: { amount: 120 } } };
    // Facts follow the policy's NOTIFY in both processes: ask until both see it.
    await expect.poll(async () => (await decide(b, agent.key, refund)).decision, { timeout: 5_000 }).toBe("require_approval");
    const asked = await decide(a, agent.key, refund);
    expect(asked.decision).toBe("require_approval");
    const approvalId = asked.approvalId ?? "";

    const compliance = await createConsoleUser(testDb(), org.id, "compliance");
    const cookie = await signIn(b.url, compliance.email, compliance.password);
    const decided = await fetch(`${b.url}/api/trpc/approvals.decide`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json", origin: b.url },
      body: JSON.stringify({ json: { orgId: org.id, approvalId, decision: "approve" } }),
    });
    expect(decided.status).toBe(200);

    const used = await Promise.all([decide(a, agent.key, { ...refund, approvalId }), decide(b, agent.key, { ...refund, approvalId })]);
    expect(used.map((answer) => answer.decision).sort()).toEqual(["allow", "deny"]);
    expect(used.find((answer) => answer.decision === "deny")?.reasons[0]?.code).toBe("approval_used");
  });

  test("loop detection counts the calls made through both processes", { timeout: 60_000 }, async () => {
    const org = await allowingOrg();
    const agent = await createAgent(org);
    const same = tool(undefined, { invoice: 42 });
    const answers: Decision[] = [];
    for (let i = 0; i < 5; i++) answers.push(await decide(i % 2 === 0 ? a : b, agent.key, same));
    expect(answers.map((answer) => answer.decision)).toEqual(["allow", "allow", "allow", "allow", "deny"]);
    expect(answers[4]?.reasons[0]?.code).toBe("loop_detected");
    expect(await testDb().killSwitch.count({ where: { orgId: org.id, target: agent.id, reasonCode: "loop_detected", releasedAt: null } })).toBe(1);
    // Calls made at the same moment through both processes are counted too: five at once is a loop, once.
    const other = await createAgent(org);
    const burst = await Promise.all(Array.from({ length: 5 }, (_, i) => decide(i % 2 === 0 ? a : b, other.key, tool(undefined, { page: 1 }))));
    expect(burst.filter((answer) => answer.decision === "deny" && answer.reasons[0]?.code === "loop_detected").length, JSON.stringify(burst)).toBe(1);
    expect(await testDb().killSwitch.count({ where: { orgId: org.id, target: other.id, reasonCode: "loop_detected", releasedAt: null } })).toBe(1);
  });

  test("killed in the middle of a burst of decisions and started again: nothing answered is lost, nothing is half-written", { timeout: 120_000 }, async () => {
    const org = await allowingOrg();
    const agent = await createAgent(org);
    const budget = await testDb().budget.create({
      data: { orgId: org.id, scope: "agent", scopeKey: `agent:${agent.id}`, agentId: agent.id, period: "monthly", mode: "hard", limitMicros: 1_000_000_000n },
    });
    const answered: Decision[] = [];
    let failed = 0;
    const burst = (async () => {
      const deadline = Date.now() + 3_000;
      const inFlight = new Set<Promise<void>>();
      while (Date.now() < deadline) {
        const call = decide(a, agent.key, tool("0.0001"))
          .then((answer) => void answered.push(answer))
          .catch(() => void (failed += 1))
          .finally(() => inFlight.delete(call));
        inFlight.add(call);
        if (inFlight.size >= 16) await Promise.race(inFlight);
      }
      await Promise.allSettled(inFlight);
    })();
    await new Promise((resolve) => setTimeout(resolve, 700));
    await a.kill("SIGKILL");
    await burst;
    await a.start();
    expect(answered.length).toBeGreaterThan(0);
    expect(failed).toBeGreaterThan(0); // the kill cut some off

    // Every answer was durable: its row is there, with the verdict that was answered.
    const rows = await testDb().decisionRecord.findMany({ where: { orgId: org.id } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const answer of answered) expect(byId.get(answer.decisionId)?.decision).toBe(answer.decision);
    // Nothing half-written: every allowed row has exactly its reservation, every reservation its row,
    // and the usage row holds exactly what the held reservations hold.
    const reservations = await testDb().budgetReservation.findMany({ where: { orgId: org.id } });
    const allowedRows = rows.filter((row) => row.decision === "allow");
    expect(new Set(reservations.map((reservation) => reservation.decisionId))).toEqual(new Set(allowedRows.map((row) => row.id)));
    const held = reservations.filter((reservation) => reservation.status === "held").reduce((sum, reservation) => sum + reservation.amountMicros, 0n);
    const usage = await testDb().budgetUsage.findMany({ where: { budgetId: budget.id } });
    expect(usage.reduce((sum, row) => sum + row.reservedMicros, 0n)).toBe(held);
    // And the restarted process decides again.
    expect((await decide(a, agent.key, tool("0.0001"))).decision).toBe("allow");
  });
});
