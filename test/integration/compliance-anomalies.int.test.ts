// Anomaly detection over real rollups: a cost spike against the agent's week of hours is raised
// once (however often and in however many processes the job runs), alerted, listed with its
// events' hour, and can open an incident; the Overview counts it.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { detectAnomalies } from "../../server/data/anomaly-detection";
import { callerFor, createTestOrg, errorCode, testDb, type TestOrg } from "./helpers";

let org: TestOrg;
const HOUR = 3_600_000;

beforeAll(async () => {
  org = await createTestOrg();
});

async function agentWithHistory(lastHourCostMicros: bigint, now: Date) {
  const agent = await testDb().agent.create({ data: { orgId: org.id, name: `spiky-${randomUUID().slice(0, 6)}`, teamId: org.leadTeamId } });
  const current = Math.floor(now.getTime() / HOUR) * HOUR;
  const rows = [];
  for (let back = 24 * 7; back >= 1; back--) {
    rows.push({
      orgId: org.id,
      agentId: agent.id,
      teamId: org.leadTeamId,
      model: "gpt-test",
      hour: new Date(current - back * HOUR),
      events: 50,
      llmCalls: 40,
      errors: 1,
      costMicros: 150_000n + BigInt((back % 7) * 5_000),
    });
  }
  rows.push({ orgId: org.id, agentId: agent.id, teamId: org.leadTeamId, model: "gpt-test", hour: new Date(current), events: 60, llmCalls: 55, errors: 1, costMicros: lastHourCostMicros });
  await testDb().eventRollupHourly.createMany({ data: rows });
  return agent;
}

describe("detectAnomalies", () => {
  test("raises a cost spike once, with its alert, and ignores an ordinary hour", async () => {
    const now = new Date();
    const spiky = await agentWithHistory(5_000_000n, now);
    const calm = await agentWithHistory(160_000n, now);
    const [first, second] = await Promise.all([detectAnomalies(org.id, now), detectAnomalies(org.id, now)]);
    expect(first.raised + second.raised).toBe(1);
    expect((await detectAnomalies(org.id, now)).raised).toBe(0);

    const anomalies = await testDb().anomaly.findMany({ where: { orgId: org.id } });
    expect(anomalies.map((anomaly) => ({ agentId: anomaly.agentId, metric: anomaly.metric, statistic: anomaly.statistic }))).toEqual([{ agentId: spiky.id, metric: "cost", statistic: "robust_z" }]);
    expect(anomalies[0]?.score).toBeGreaterThan(3.5);
    expect(anomalies.some((anomaly) => anomaly.agentId === calm.id)).toBe(false);
    const alerts = await testDb().alert.findMany({ where: { orgId: org.id, kind: "anomaly" } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.title).toMatch(/Cost spike: spiky-.* spent \$5\.00/);
    expect(anomalies[0]?.alertId).toBe(alerts[0]?.id);

    // Listed for the dashboards; a person opens an incident from it, once.
    const listed = await callerFor(org.users.viewer.userId).anomalies.list({ orgId: org.id });
    expect(listed).toHaveLength(1);
    const anomalyId = listed[0]?.id ?? "";
    const compliance = callerFor(org.users.compliance.userId);
    await compliance.incidents.open({ orgId: org.id, anomalyId, title: "Cost spike on the spiky agent", severity: "medium" });
    expect(await errorCode(compliance.incidents.open({ orgId: org.id, anomalyId, title: "Again", severity: "medium" }))).toBe("CONFLICT");
    expect((await callerFor(org.users.viewer.userId).anomalies.list({ orgId: org.id }))[0]?.incidentId).toBeTruthy();
    const incident = await testDb().incident.findFirstOrThrow({ where: { orgId: org.id, source: "anomaly" } });
    expect(incident).toMatchObject({ agentId: spiky.id, sourceRef: anomalyId, teamId: org.leadTeamId });
  });

  test("agent metrics read the rollups: calls, cost, error rate, cost per task", async () => {
    const now = new Date();
    const agent = await agentWithHistory(400_000n, now);
    const metrics = await callerFor(org.users.viewer.userId).anomalies.metrics({ orgId: org.id, agentId: agent.id, window: "24h" });
    // 23 earlier hours in the window plus the current one.
    expect(metrics.totals.calls).toBe(23 * 40 + 55);
    expect(metrics.totals.errors).toBe(24);
    expect(metrics.totals.errorRatePercent).toBe(Math.round((24 / (23 * 50 + 60)) * 1000) / 10);
    expect(metrics.series).toHaveLength(24);
    expect(metrics.totals.costPerTaskMicros).toBeNull();
  });
});
