// The checks that evidence controls, as pure functions over facts the data layer gathered from
// Agentry's own state (server/data/compliance-evaluate.ts). Each returns met, gap or not assessed,
// a one-line summary, and the evidence: counts, ids and the audit entries (seq and hash) behind it.
import { isConsequentialTool, type CheckId } from "./catalogue";
import type { CheckOutcome } from "./status";
import { undeclaredCategories } from "./observed";

export interface AuditRef {
  seq: number;
  hash: string;
  action: string;
  at: string;
}

export interface AgentCheckFacts {
  agent: {
    id: string;
    name: string;
    owner: string | null;
    teamId: string | null;
    description: string;
    models: readonly string[];
    tools: readonly string[];
    riskClass: string | null;
    riskReason: string | null;
    riskAssessedAt: Date | null;
    riskAssessedBy: string | null;
    hasQuestionnaire: boolean;
    declaredCategories: readonly string[];
  };
  observedCategories: readonly string[];
  decisions: { total: number; nonAllow: number; allowedSinceClassified: number };
  /** Audit entries of the agent's decisions that were not allowed (decision.deny / decision.require_approval). */
  auditedDecisions: number;
  /** Per consequential tool: does an enforced policy make a person approve it. */
  approvalCoverage: { tool: string; requiresApproval: boolean; policyIds: string[] }[];
  pciApproval: { complianceRule: string | null; policyIds: string[] };
  /** Released versions on record; null while the lifecycle tables do not exist. */
  versions: number | null;
  budgets: { id: string; scope: string; period: string; mode: string }[];
  /** The newest kill switch covering the agent engaged in the window, if any. */
  killSwitch: { id: string; scope: string; engagedAt: Date; acknowledged: boolean } | null;
  lastTelemetryAt: Date | null;
  incidents: { id: string; serious: boolean; deadlineAt: Date | null; reportedAt: Date | null; status: string }[];
  audit: {
    classification: AuditRef[];
    registry: AuditRef[];
    policies: AuditRef[];
    budgets: AuditRef[];
    killSwitches: AuditRef[];
    incidents: AuditRef[];
  };
}

export interface OrgCheckFacts {
  now: Date;
  periodFrom: Date;
  chain: { ok: boolean; checked: number; head: { seq: number; hash: string } | null; problem: string | null };
  retention: { auditImmutable: boolean; retentionDays: number | null; oldestEventAt: Date | null; oldestAuditAt: Date | null };
  killSwitchWindowDays: number;
  telemetryWindowDays: number;
}

const SIX_MONTHS_DAYS = 183;

const outcome = (status: CheckOutcome["status"], summary: string, evidence: Record<string, unknown>): CheckOutcome => ({ status, summary, evidence });
const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function runCheck(check: CheckId, facts: AgentCheckFacts, org: OrgCheckFacts): CheckOutcome {
  const { agent } = facts;
  switch (check) {
    case "risk_classified": {
      const evidence = { riskClass: agent.riskClass, reason: agent.riskReason, assessedBy: agent.riskAssessedBy, assessedAt: iso(agent.riskAssessedAt), auditEntries: facts.audit.classification };
      if (agent.riskClass && agent.riskReason) return outcome("met", `Classified ${agent.riskClass} by ${agent.riskAssessedBy ?? "someone"}, with a reason.`, evidence);
      return outcome("gap", "No EU AI Act risk class decided yet.", evidence);
    }
    case "impact_assessment": {
      const evidence = { questionnaire: agent.hasQuestionnaire, assessedBy: agent.riskAssessedBy, assessedAt: iso(agent.riskAssessedAt), auditEntries: facts.audit.classification };
      return agent.hasQuestionnaire
        ? outcome("met", `Risk questionnaire on record (${agent.riskAssessedBy ?? "unknown"}, ${iso(agent.riskAssessedAt)?.slice(0, 10) ?? "undated"}).`, evidence)
        : outcome("gap", "No risk questionnaire on record for this agent.", evidence);
    }
    case "owner_assigned": {
      const evidence = { owner: agent.owner, teamId: agent.teamId, auditEntries: facts.audit.registry };
      if (agent.owner && agent.teamId) return outcome("met", `Owned by ${agent.owner}, in a team.`, evidence);
      return outcome("gap", agent.owner ? "No team answers for the agent." : "No owner set.", evidence);
    }
    case "documentation": {
      const evidence = { descriptionLength: agent.description.length, models: agent.models, tools: agent.tools, auditEntries: facts.audit.registry };
      if (agent.description.trim().length >= 20 && agent.models.length > 0) return outcome("met", "Described in the registry, with its models and tools.", evidence);
      return outcome("gap", agent.models.length === 0 ? "The registry lists no models for the agent." : "The registry has no real description of the agent.", evidence);
    }
    case "decisions_logged": {
      const evidence = {
        decisions: facts.decisions.total,
        notAllowed: facts.decisions.nonAllow,
        auditedDecisions: facts.auditedDecisions,
        chainOk: org.chain.ok,
        chainEntriesChecked: org.chain.checked,
        chainHead: org.chain.head,
        chainProblem: org.chain.problem,
        periodFrom: iso(org.periodFrom),
      };
      if (!org.chain.ok) return outcome("gap", `The audit chain does not verify over the period: ${org.chain.problem ?? "broken"}.`, evidence);
      if (facts.auditedDecisions < facts.decisions.nonAllow) {
        return outcome("gap", `${facts.decisions.nonAllow - facts.auditedDecisions} of ${facts.decisions.nonAllow} denied or escalated decisions have no audit entry.`, evidence);
      }
      return outcome("met", `${facts.decisions.total} decisions recorded, all ${facts.decisions.nonAllow} denials and escalations audited; chain verified (${org.chain.checked} entries).`, evidence);
    }
    case "human_approval_consequential": {
      const consequential = facts.approvalCoverage.filter((item) => isConsequentialTool(item.tool));
      const uncovered = consequential.filter((item) => !item.requiresApproval).map((item) => item.tool);
      const evidence = { consequentialTools: consequential, uncovered, auditEntries: facts.audit.policies };
      if (consequential.length === 0) return outcome("not_assessed", "The registry lists no consequential tool for this agent, so there is nothing to check approval on.", evidence);
      if (uncovered.length > 0) return outcome("gap", `No enforced policy requires a person's approval for ${uncovered.join(", ")}.`, evidence);
      return outcome("met", `Every consequential tool (${consequential.map((item) => item.tool).join(", ")}) needs a person's approval.`, evidence);
    }
    case "approval_for_pci": {
      const evidence = { complianceRule: facts.pciApproval.complianceRule, policyIds: facts.pciApproval.policyIds, auditEntries: facts.audit.policies };
      if (facts.pciApproval.complianceRule || facts.pciApproval.policyIds.length > 0) {
        const by = [
          facts.pciApproval.complianceRule ? `compliance rule ${facts.pciApproval.complianceRule}` : null,
          facts.pciApproval.policyIds.length > 0 ? `${facts.pciApproval.policyIds.length} enforced polic${facts.pciApproval.policyIds.length === 1 ? "y" : "ies"}` : null,
        ].filter(Boolean);
        return outcome("met", `Acting on PCI data needs approval (${by.join(" and ")}).`, evidence);
      }
      return outcome("gap", "Nothing makes a person approve this agent's actions on PCI data.", evidence);
    }
    case "prohibited_blocked": {
      const evidence = { allowedSinceClassified: facts.decisions.allowedSinceClassified, classifiedAt: iso(agent.riskAssessedAt), auditEntries: facts.audit.classification };
      return facts.decisions.allowedSinceClassified === 0
        ? outcome("met", "No action of the agent was allowed since it was classified prohibited.", evidence)
        : outcome("gap", `${facts.decisions.allowedSinceClassified} actions were allowed after it was classified prohibited.`, evidence);
    }
    case "version_history": {
      const evidence = { versions: facts.versions };
      if (facts.versions === null) return outcome("not_assessed", "Agent versions are not recorded by this installation yet (lifecycle).", evidence);
      return facts.versions > 0 ? outcome("met", `${facts.versions} versions on record.`, evidence) : outcome("gap", "No version of the agent is on record.", evidence);
    }
    case "budget_set": {
      const evidence = { budgets: facts.budgets, auditEntries: facts.audit.budgets };
      if (facts.budgets.length === 0) return outcome("gap", "No budget covers the agent: not its own, its team's or the organisation's.", evidence);
      const own = facts.budgets.filter((budget) => budget.scope === "agent").length;
      return outcome("met", `${facts.budgets.length} budget${facts.budgets.length === 1 ? "" : "s"} cover the agent${own > 0 ? " (one of its own)" : ""}.`, evidence);
    }
    case "kill_switch_exercised": {
      const sw = facts.killSwitch;
      const evidence = { windowDays: org.killSwitchWindowDays, killSwitch: sw ? { ...sw, engagedAt: iso(sw.engagedAt) } : null, auditEntries: facts.audit.killSwitches };
      if (!sw) return outcome("gap", `No kill switch covering the agent was engaged in the last ${org.killSwitchWindowDays} days.`, evidence);
      if (!sw.acknowledged) return outcome("gap", `A ${sw.scope} kill switch was engaged on ${iso(sw.engagedAt)?.slice(0, 10)}, but no instance of the agent acknowledged it.`, evidence);
      return outcome("met", `A ${sw.scope} kill switch stopped the agent on ${iso(sw.engagedAt)?.slice(0, 10)} and its instances acknowledged it.`, evidence);
    }
    case "retention_six_months": {
      const r = org.retention;
      const evidence = { auditImmutable: r.auditImmutable, retentionDays: r.retentionDays, oldestEventAt: iso(r.oldestEventAt), oldestAuditAt: iso(r.oldestAuditAt), requiredDays: SIX_MONTHS_DAYS };
      if (!r.auditImmutable) return outcome("gap", "The audit log's protection against changes is missing.", evidence);
      if (r.retentionDays !== null && r.retentionDays < SIX_MONTHS_DAYS) return outcome("gap", `Events are kept only ${r.retentionDays} days.`, evidence);
      return outcome("met", "Nothing deletes events or audit entries before six months, and the audit log refuses changes.", evidence);
    }
    case "incidents_on_time": {
      const serious = facts.incidents.filter((incident) => incident.serious && incident.deadlineAt);
      const late = serious.filter((incident) => (incident.reportedAt ? incident.reportedAt > (incident.deadlineAt as Date) : (incident.deadlineAt as Date) < org.now));
      const evidence = {
        incidents: facts.incidents.length,
        serious: serious.map((incident) => ({ id: incident.id, deadlineAt: iso(incident.deadlineAt), reportedAt: iso(incident.reportedAt) })),
        late: late.map((incident) => incident.id),
        auditEntries: facts.audit.incidents,
      };
      if (late.length > 0) return outcome("gap", `${late.length} serious incident${late.length === 1 ? " was" : "s were"} not reported before the Art. 73 deadline.`, evidence);
      return outcome(
        "met",
        serious.length === 0 ? `No serious incident in the period (${facts.incidents.length} incidents in all).` : `${serious.length} serious incidents, each reported or still within its clock.`,
        evidence,
      );
    }
    case "monitoring_active": {
      const evidence = { lastTelemetryAt: iso(facts.lastTelemetryAt), windowDays: org.telemetryWindowDays };
      if (!facts.lastTelemetryAt) return outcome("not_assessed", "The agent has not reported any telemetry, so there is nothing to monitor yet.", evidence);
      const fresh = org.now.getTime() - facts.lastTelemetryAt.getTime() <= org.telemetryWindowDays * 86_400_000;
      return fresh
        ? outcome("met", `Telemetry within the last ${org.telemetryWindowDays} days: cost, errors and anomalies are watched.`, evidence)
        : outcome("gap", `No telemetry since ${iso(facts.lastTelemetryAt)?.slice(0, 10)}: the agent is not being monitored.`, evidence);
    }
    case "data_categories_declared": {
      const undeclared = undeclaredCategories(agent.declaredCategories, facts.observedCategories);
      const evidence = { declared: agent.declaredCategories, observed: facts.observedCategories, undeclared, auditEntries: facts.audit.classification };
      return undeclared.length > 0
        ? outcome("gap", `Redaction found ${undeclared.join(", ")} in the agent's events, which is not declared.`, evidence)
        : outcome("met", facts.observedCategories.length > 0 ? `Observed ${facts.observedCategories.join(", ")}, all declared.` : "Nothing undeclared observed in the agent's events.", evidence);
    }
    case "attestation":
      return outcome("not_assessed", "Agentry cannot see this in its own state; a person has to attest it.", {});
  }
}
