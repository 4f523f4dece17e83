// The Compliance page's reads and changes (the classification, an evaluation on demand). Reads use
// the stored evaluations (control_evaluations) and work out applicability from the agent's current
// facts, so a control that started to apply since the last evaluation shows "not assessed", never
// a stale "met".
import type { AuthorizedOrg, AuthorizedOrgId } from "../auth/access";
import type { DbOrTx, Tx } from "../db";
import { reachTeamIds } from "../domain/access/permissions";
import { applicableControls, controlApplies, obligationsCalendar, type AgentComplianceFacts } from "../domain/compliance/applicability";
import { CHECKS, CONTROLS, controlHeading, isRiskClass, type RiskClass } from "../domain/compliance/catalogue";
import { undeclaredCategories } from "../domain/compliance/observed";
import { suggestRiskClass } from "../domain/compliance/questionnaire";
import { questionnaireSchema, type ClassificationInput } from "../domain/compliance/schemas";
import { STATUS_ORDER, statusOf, type CheckOutcome, type ControlStatus } from "../domain/compliance/status";
import { sqlRows, type SqlClient } from "../db/sql";
import { found } from "../domain/refusal";
import { findAgentInReach } from "./agents";
import type { AuditWriter } from "./audit";
import { evaluateControlsWith, type EvaluationSummary } from "./compliance-evaluate";
import { listIncidents } from "./incidents";

interface MatrixAgentRow {
  id: string;
  name: string;
  team_id: string | null;
  team_name: string | null;
  tags: string[];
  data_categories: string[];
  risk_class: string | null;
  risk_annex_area: string | null;
  observed: string[] | null;
}

interface EvaluationRow {
  agent_id: string;
  control_id: string;
  status: ControlStatus;
  evaluated_at: Date;
}

async function matrixAgents(db: SqlClient, orgId: string, teamIds: string[] | null): Promise<MatrixAgentRow[]> {
  return sqlRows<MatrixAgentRow>(
    db,
    `SELECT a.id::text, a.name, a.team_id::text, t.name AS team_name, a.tags, a.data_categories, a.risk_class, a.risk_annex_area,
            (SELECT array_agg(o.category ORDER BY o.category) FROM agent_observed_categories o WHERE o.agent_id = a.id) AS observed
       FROM agents a LEFT JOIN teams t ON t.id = a.team_id
      WHERE a.org_id = $1::uuid AND a.status <> 'archived' AND ($2::uuid[] IS NULL OR a.team_id = ANY($2::uuid[]))
      ORDER BY a.name`,
    [orgId, teamIds],
  );
}

function factsOf(row: MatrixAgentRow): AgentComplianceFacts {
  return {
    riskClass: isRiskClass(row.risk_class) ? row.risk_class : null,
    dataCategories: [...new Set([...row.data_categories, ...(row.observed ?? [])])],
    tags: row.tags,
    annexArea: row.risk_annex_area,
  };
}

/** A stored outcome counts only while the control still applies and it was not stored as not applicable. */
function cellStatus(applies: boolean, stored: { status: ControlStatus } | undefined): ControlStatus {
  if (!stored || stored.status === "not_applicable") return statusOf(applies, null);
  return statusOf(applies, { status: stored.status, summary: "", evidence: {} } satisfies CheckOutcome);
}

export interface CoverageMatrix {
  controls: { id: string; framework: string; ref: string; title: string; check: string; gaps: number; met: number; notAssessed: number; applicable: number }[];
  agents: {
    id: string;
    name: string;
    teamName: string | null;
    riskClass: RiskClass | null;
    /** One status per control, in `controls` order. */
    statuses: ControlStatus[];
    gaps: number;
    met: number;
    notAssessed: number;
    applicable: number;
    evaluatedAt: Date | null;
  }[];
  lastEvaluatedAt: Date | null;
}

/** Agents in reach × the catalogue's controls, gaps first (rows by gaps, then columns by gaps). */
export async function coverageMatrix(db: SqlClient | DbOrTx, access: AuthorizedOrg): Promise<CoverageMatrix> {
  const client = db as SqlClient;
  const teamIds = reachTeamIds(access.reach);
  const [agents, evaluations] = await Promise.all([
    matrixAgents(client, access.orgId, teamIds),
    sqlRows<EvaluationRow>(
      client,
      `SELECT c.agent_id::text, c.control_id, c.status, c.evaluated_at
         FROM control_evaluations c JOIN agents a ON a.id = c.agent_id
        WHERE c.org_id = $1::uuid AND a.status <> 'archived' AND ($2::uuid[] IS NULL OR a.team_id = ANY($2::uuid[]))`,
      [access.orgId, teamIds],
    ),
  ]);
  const stored = new Map<string, EvaluationRow>();
  for (const row of evaluations) stored.set(`${row.agent_id}\u0000${row.control_id}`, row);

  const columnTotals = CONTROLS.map(() => ({ gaps: 0, met: 0, notAssessed: 0, applicable: 0 }));
  let lastEvaluatedAt: Date | null = null;
  const rows = agents.map((agent) => {
    const facts = factsOf(agent);
    let gaps = 0;
    let met = 0;
    let notAssessed = 0;
    let applicable = 0;
    let evaluatedAt: Date | null = null;
    const statuses = CONTROLS.map((control, index) => {
      const row = stored.get(`${agent.id}\u0000${control.id}`);
      if (row) {
        const at = new Date(row.evaluated_at);
        if (!evaluatedAt || at < evaluatedAt) evaluatedAt = at;
        if (!lastEvaluatedAt || at > lastEvaluatedAt) lastEvaluatedAt = at;
      }
      const status = cellStatus(controlApplies(control, facts).applies, row);
      const totals = columnTotals[index] as (typeof columnTotals)[number];
      if (status !== "not_applicable") {
        applicable += 1;
        totals.applicable += 1;
      }
      if (status === "gap") {
        gaps += 1;
        totals.gaps += 1;
      } else if (status === "met") {
        met += 1;
        totals.met += 1;
      } else if (status === "not_assessed") {
        notAssessed += 1;
        totals.notAssessed += 1;
      }
      return status;
    });
    return { id: agent.id, name: agent.name, teamName: agent.team_name, riskClass: facts.riskClass, statuses, gaps, met, notAssessed, applicable, evaluatedAt };
  });

  // Gaps first: columns by gaps, then not assessed; rows likewise.
  const order = CONTROLS.map((_, index) => index).sort((a, b) => {
    const x = columnTotals[a] as (typeof columnTotals)[number];
    const y = columnTotals[b] as (typeof columnTotals)[number];
    return y.gaps - x.gaps || y.notAssessed - x.notAssessed || y.applicable - x.applicable || a - b;
  });
  return {
    controls: order.map((index) => {
      const control = CONTROLS[index] as (typeof CONTROLS)[number];
      return { id: control.id, framework: control.framework, ref: control.ref, title: control.title, check: control.check, ...(columnTotals[index] as (typeof columnTotals)[number]) };
    }),
    agents: rows
      .map((row) => ({ ...row, statuses: order.map((index) => row.statuses[index] as ControlStatus) }))
      .sort((a, b) => b.gaps - a.gaps || b.notAssessed - a.notAssessed || a.name.localeCompare(b.name)),
    lastEvaluatedAt,
  };
}

interface AgentDetailRow extends MatrixAgentRow {
  owner: string | null;
  risk_reason: string | null;
  risk_questionnaire: unknown;
  risk_assessed_by: string | null;
  risk_assessed_at: Date | null;
}

/** One agent's compliance (the agent must be in the caller's reach): its class and why, data declared and observed, controls with evidence, calendar, incidents. */
export async function agentCompliance(db: DbOrTx, access: AuthorizedOrg, agentId: string, now: Date) {
  await findAgentInReach(db, access, agentId);
  const client = db as SqlClient;
  const rows = await sqlRows<AgentDetailRow & { status: string }>(
    client,
    `SELECT a.id::text, a.name, a.owner, a.status::text AS status, a.team_id::text, t.name AS team_name, a.tags, a.data_categories, a.risk_class,
            a.risk_annex_area, a.risk_reason, a.risk_questionnaire, a.risk_assessed_by, a.risk_assessed_at,
            (SELECT array_agg(o.category ORDER BY o.category) FROM agent_observed_categories o WHERE o.agent_id = a.id) AS observed
       FROM agents a LEFT JOIN teams t ON t.id = a.team_id
      WHERE a.org_id = $1::uuid AND a.id = $2::uuid`,
    [access.orgId, agentId],
  );
  const agent = found(rows[0], "agent");
  const facts = factsOf(agent);
  const evaluations = await sqlRows<EvaluationRow & { evidence: Record<string, unknown> }>(
    client,
    "SELECT agent_id::text, control_id, status, evaluated_at, evidence FROM control_evaluations WHERE org_id = $1::uuid AND agent_id = $2::uuid",
    [access.orgId, agentId],
  );
  const stored = new Map(evaluations.map((row) => [row.control_id, row]));
  const observedCategories = agent.observed ?? [];
  const questionnaire = questionnaireSchema.safeParse(agent.risk_questionnaire);
  const controls = applicableControls(facts).map((control) => {
    const row = stored.get(control.id);
    const status = cellStatus(true, row);
    const evidence = row && row.status !== "not_applicable" ? row.evidence : null;
    return {
      ...controlHeading(control),
      checkLabel: CHECKS[control.check].label,
      because: controlApplies(control, facts).because,
      status,
      summary: typeof evidence?.summary === "string" ? evidence.summary : status === "not_assessed" ? "Not evaluated since it started to apply." : "",
      evidence,
      evaluatedAt: row && row.status !== "not_applicable" ? new Date(row.evaluated_at) : null,
    };
  });
  controls.sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.id.localeCompare(b.id));
  return {
    agent: { id: agent.id, name: agent.name, owner: agent.owner, status: agent.status, teamId: agent.team_id, teamName: agent.team_name, tags: agent.tags },
    classification: {
      riskClass: facts.riskClass,
      annexArea: agent.risk_annex_area,
      reason: agent.risk_reason,
      assessedBy: agent.risk_assessed_by,
      assessedAt: agent.risk_assessed_at ? new Date(agent.risk_assessed_at) : null,
      questionnaire: questionnaire.success && agent.risk_questionnaire ? questionnaire.data : null,
      suggestion: questionnaire.success && agent.risk_questionnaire ? suggestRiskClass(questionnaire.data) : null,
    },
    data: { declared: agent.data_categories, observed: observedCategories, undeclared: undeclaredCategories(agent.data_categories, observedCategories) },
    controls,
    calendar: obligationsCalendar(facts, now),
    incidents: await listIncidents(client, access.orgId, access.reach, { agentId, status: "all", limit: 50 }, now),
  };
}

export type AgentComplianceView = Awaited<ReturnType<typeof agentCompliance>>;

/**
 * A compliance officer's classification: risk class, Annex area, reason, declared data categories
 * and the questionnaire, audited (`compliance.classified`), then the agent's controls re-evaluated
 * in the same transaction.
 */
export async function classifyAgent(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, classification: ClassificationInput & { dataCategories: string[] }, now: Date): Promise<{ id: string }> {
  const before = found(
    await tx.agent.findFirst({
      where: { orgId: access.orgId, id: classification.agentId },
      select: { id: true, teamId: true, riskClass: true, riskAnnexArea: true, riskReason: true, dataCategories: true, riskQuestionnaire: true },
    }),
    "agent",
  );
  await tx.agent.update({
    where: { id: before.id },
    data: {
      riskClass: classification.riskClass,
      riskAnnexArea: classification.annexArea ?? null,
      riskReason: classification.reason,
      dataCategories: classification.dataCategories,
      riskQuestionnaire: classification.questionnaire ?? undefined,
      riskAssessedBy: access.membership.userEmail,
      riskAssessedAt: now,
    },
  });
  const was = { riskClass: before.riskClass, annexArea: before.riskAnnexArea, dataCategories: before.dataCategories };
  const becomes = { riskClass: classification.riskClass, annexArea: classification.annexArea ?? null, dataCategories: classification.dataCategories, questionnaire: classification.questionnaire ?? null };
  await audit({ action: "compliance.classified", targetType: "agent", targetId: before.id, teamId: before.teamId, before: was, after: becomes, reason: classification.reason });
  await evaluateControlsWith(tx, access.orgId, now, { agentIds: [before.id] });
  return { id: before.id };
}

/** Evaluates the controls now, one agent's (it must be in the org) or every agent's, and records that it did. */
export async function evaluateControlsNow(tx: Tx, audit: AuditWriter, orgId: AuthorizedOrgId, agentId: string | undefined, now: Date): Promise<EvaluationSummary> {
  if (agentId) found(await tx.agent.findFirst({ where: { orgId, id: agentId }, select: { id: true } }), "agent");
  const summary = await evaluateControlsWith(tx, orgId, now, agentId ? { agentIds: [agentId] } : {});
  await audit({
    action: "compliance.evaluated",
    targetType: agentId ? "agent" : "org",
    targetId: agentId ?? orgId,
    after: { agents: summary.agents, evaluations: summary.evaluations, counts: summary.counts },
  });
  return summary;
}
