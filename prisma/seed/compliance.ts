// The demo org's compliance facts (docs/demo.md: enough history that every page has
// something true to show): the per-tool and observed-category rollups rebuilt from the seeded
// history, risk classes decided for some agents (with reasons and questionnaires, audited as the
// compliance officer's would be), two incidents (one serious, on its Art. 73 clock), and the
// anomalies detection finds in the history. reconciliation-agent is left unclassified: classifying
// it is the compliance officer's first task in the demo. Controls are evaluated by the periodic job.
import type pg from "pg";
import { appendAuditRaw, type AuditActor } from "../../server/data/audit";
import { detectAnomaliesWith } from "../../server/data/anomaly-detection";
import { rebuildComplianceRollups } from "../../server/data/compliance-ingest";
import { openIncident } from "../../server/data/incidents";
import { getPool, inTransaction } from "../../server/db/pool";
import { suggestRiskClass } from "../../server/domain/compliance/questionnaire";
import { EMPTY_QUESTIONNAIRE, type QuestionnaireAnswers } from "../../server/domain/compliance/schemas";
import { incidentDay, INCIDENT } from "../../scripts/simulate/history";

const OFFICER: AuditActor = { type: "system", id: null, label: "system (demo seed, as compliance@acme.test)" };
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

interface SeedClassification {
  agent: string;
  answers: Partial<QuestionnaireAnswers>;
  reason: string;
}

export const SEED_CLASSIFICATIONS: SeedClassification[] = [
  {
    agent: "access-reviewer",
    answers: { annexAreas: ["employment"], profilesPeople: true },
    reason: "Its access reviews feed decisions on employees' roles and terminations (Annex III employment), and it evaluates individual behaviour.",
  },
  { agent: "support-chatbot", answers: { interactsWithPeople: true, generatesContent: true }, reason: "Talks to customers directly and writes the answers they read: Art. 50 transparency applies." },
  { agent: "content-writer", answers: { generatesContent: true }, reason: "Generates published marketing text; nothing in Annex III." },
  { agent: "financial-analyst", answers: {}, reason: "Internal variance analyses reviewed by Finance before use; no Annex III area, no interaction with the public." },
  { agent: "ticket-router", answers: { annexAreas: ["employment"], narrowProceduralTask: true }, reason: "Routes IT tickets to queues: a narrow procedural task that profiles nobody (Art. 6(3))." },
];

export async function seedDemoCompliance(pool: pg.Pool, orgId: string, options: { now?: Date; log?: (line: string) => void } = {}): Promise<void> {
  const now = options.now ?? new Date();
  const started = performance.now();
  const rollups = await inTransaction(pool, (client) => rebuildComplianceRollups(client, orgId));

  await inTransaction(pool, async (client) => {
    for (const seed of SEED_CLASSIFICATIONS) {
      const answers = { ...EMPTY_QUESTIONNAIRE, ...seed.answers };
      const suggestion = suggestRiskClass(answers);
      const { rows } = await client.query<{ id: string; team_id: string | null; data_categories: string[] }>(
        `UPDATE agents SET risk_class = $3, risk_annex_area = $4, risk_reason = $5, risk_questionnaire = $6::jsonb, risk_assessed_by = 'compliance@acme.test', risk_assessed_at = $7
          WHERE org_id = $1 AND name = $2 RETURNING id, team_id, data_categories`,
        [orgId, seed.agent, suggestion.riskClass, suggestion.annexArea, seed.reason, JSON.stringify(answers), new Date(now.getTime() - 5 * DAY_MS).toISOString()],
      );
      const agent = rows[0];
      if (!agent) continue;
      await appendAuditRaw(client, orgId, OFFICER, {
        action: "compliance.classified",
        targetType: "agent",
        targetId: agent.id,
        teamId: agent.team_id,
        before: { riskClass: null, annexArea: null, dataCategories: agent.data_categories },
        after: { riskClass: suggestion.riskClass, annexArea: suggestion.annexArea, dataCategories: agent.data_categories, questionnaire: answers },
        reason: seed.reason,
      });
    }

    const agentId = async (name: string) => (await client.query<{ id: string; team_id: string | null }>("SELECT id, team_id FROM agents WHERE org_id = $1 AND name = $2", [orgId, name])).rows[0];
    const chatbot = await agentId(INCIDENT.agent);
    const reviewer = await agentId("access-reviewer");
    if (chatbot) {
      const day = incidentDay(now);
      const id = await openIncident(client, {
        orgId,
        agentId: chatbot.id,
        teamId: chatbot.team_id,
        title: "Support chatbot failing 28 % of answers",
        description: "From 09:00 to 15:00 UTC the chatbot's order lookups timed out; customers got error replies.",
        source: "person",
        severity: "high",
        awareAt: new Date(day.getTime() + (INCIDENT.fromHour + 1) * HOUR_MS),
        openedBy: "cs-lead@acme.test",
        actor: { type: "system", id: null, label: "system (demo seed, as cs-lead@acme.test)" },
      });
      await client.query("UPDATE incidents SET status = 'closed', closed_at = $2, closed_by = 'compliance@acme.test', closing_note = $3 WHERE id = $1", [
        id,
        new Date(day.getTime() + 2 * DAY_MS).toISOString(),
        "Order service timeouts fixed by the platform team; no customer data was exposed. Not a serious incident under Art. 73.",
      ]);
      await appendAuditRaw(client, orgId, OFFICER, {
        action: "incident.closed",
        targetType: "incident",
        targetId: id,
        teamId: chatbot.team_id,
        after: { status: "closed" },
        reason: "Order service timeouts fixed by the platform team; no customer data was exposed.",
      });
    }
    if (reviewer) {
      await openIncident(client, {
        orgId,
        agentId: reviewer.id,
        teamId: reviewer.team_id,
        title: "Access review marked a leaver's accounts as active",
        description: "The quarterly review kept two accounts of a former employee open; one was used after the leaving date.",
        source: "person",
        severity: "critical",
        serious: true,
        seriousKind: "other",
        awareAt: new Date(now.getTime() - 3 * DAY_MS),
        openedBy: "compliance@acme.test",
        actor: OFFICER,
      });
    }
  });

  // What detection would have raised over the last week and a half, hour by hour.
  let raised = 0;
  for (let at = now.getTime() - 10 * DAY_MS; at <= now.getTime(); at += 3 * HOUR_MS) {
    raised += (await inTransaction(pool, (client) => detectAnomaliesWith(client, orgId, new Date(at)))).raised;
  }
  // Anomalies more than a day old were looked at back then: their alerts are acknowledged, as a person would have.
  await inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string; team_id: string | null; kind: string; title: string }>(
      `UPDATE alerts SET acknowledged_at = $2, acknowledged_by = 'compliance@acme.test'
        WHERE org_id = $1 AND kind = 'anomaly' AND acknowledged_at IS NULL
          AND id IN (SELECT alert_id FROM anomalies WHERE org_id = $1 AND hour < $3)
        RETURNING id, team_id, kind, title`,
      [orgId, now.toISOString(), new Date(now.getTime() - DAY_MS).toISOString()],
    );
    for (const alert of rows) {
      await appendAuditRaw(client, orgId, OFFICER, {
        action: "alert.acknowledged",
        targetType: "alert",
        targetId: alert.id,
        teamId: alert.team_id,
        after: { kind: alert.kind, title: alert.title, acknowledgedAt: now.toISOString() },
      });
    }
  });
  options.log?.(
    `Seeded compliance facts: ${SEED_CLASSIFICATIONS.length} classifications, 2 incidents, ${raised} anomalies, ${rollups.toolRows} tool-call rollup rows, ${rollups.categoryRows} observed categories (${Math.round(performance.now() - started)} ms).`,
  );
}

/** For start-up: the demo org's compliance facts, through the process's pool. */
export async function seedDemoComplianceAt(orgSlug: string, options: { now?: Date; log?: (line: string) => void } = {}): Promise<void> {
  const pool = getPool();
  const { rows } = await pool.query<{ id: string }>("SELECT id FROM orgs WHERE slug = $1", [orgSlug]);
  const orgId = rows[0]?.id;
  if (!orgId) throw new Error(`no org with slug "${orgSlug}"`);
  await seedDemoCompliance(pool, orgId, options);
}
