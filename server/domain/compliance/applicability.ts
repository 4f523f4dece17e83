// Which controls apply to an agent, why, and from when. Pure: the agent's facts in, plain data out.
import { ANNEX_I_AREA, APPLICATION_DATES, CONTROLS, type ApplicabilityRule, type Control, type RiskClass } from "./catalogue";

export interface AgentComplianceFacts {
  riskClass: RiskClass | null;
  /** Declared on the agent and observed in its events, together. */
  dataCategories: readonly string[];
  tags: readonly string[];
  annexArea?: string | null;
}

function ruleHolds(rule: ApplicabilityRule, agent: AgentComplianceFacts): boolean {
  if (rule.riskClasses && (agent.riskClass === null || !rule.riskClasses.includes(agent.riskClass))) return false;
  if (rule.dataCategories && !rule.dataCategories.some((category) => agent.dataCategories.includes(category))) return false;
  if (rule.tags && !rule.tags.some((tag) => agent.tags.includes(tag))) return false;
  return true;
}

function describeRule(rule: ApplicabilityRule): string {
  const parts: string[] = [];
  if (rule.riskClasses) parts.push(`risk class ${rule.riskClasses.join(" or ")}`);
  if (rule.dataCategories) parts.push(`handles ${rule.dataCategories.join(", ")}`);
  if (rule.tags) parts.push(`tagged ${rule.tags.join(" or ")}`);
  return parts.join(" and ");
}

/** Whether `control` applies to the agent, and the reason in words. */
export function controlApplies(control: Control, agent: AgentComplianceFacts): { applies: boolean; because: string } {
  if (control.appliesWhen.length === 0) return { applies: true, because: "Applies to every agent." };
  const holding = control.appliesWhen.find((rule) => ruleHolds(rule, agent));
  if (holding) return { applies: true, because: `Applies: ${describeRule(holding)}.` };
  return { applies: false, because: `Applies only to agents with ${control.appliesWhen.map(describeRule).join("; or ")}.` };
}

export function applicableControls(agent: AgentComplianceFacts, controls: readonly Control[] = CONTROLS): Control[] {
  return controls.filter((control) => controlApplies(control, agent).applies);
}

/** The date the control's obligation applies from for this agent (ISO date), or null when it has none. */
export function appliesFrom(control: Control, agent: Pick<AgentComplianceFacts, "annexArea">): string | null {
  if (!control.appliesFrom) return null;
  if (control.appliesFrom === "annex") return agent.annexArea === ANNEX_I_AREA.id ? APPLICATION_DATES.highRiskAnnexI : APPLICATION_DATES.highRiskAnnexIII;
  return control.appliesFrom;
}

export interface CalendarEntry {
  controlId: string;
  ref: string;
  title: string;
  framework: string;
  from: string | null;
  /** In force at `now` (no date, or the date has passed). */
  inForce: boolean;
}

/** The agent's obligations calendar: what applies now, and what from which date, soonest first. */
export function obligationsCalendar(agent: AgentComplianceFacts, now: Date, controls: readonly Control[] = CONTROLS): CalendarEntry[] {
  const today = now.toISOString().slice(0, 10);
  return applicableControls(agent, controls)
    .map((control) => {
      const from = appliesFrom(control, agent);
      return { controlId: control.id, ref: control.ref, title: control.title, framework: control.framework, from, inForce: from === null || from <= today };
    })
    .sort((a, b) => Number(b.inForce) - Number(a.inForce) || (a.from ?? "").localeCompare(b.from ?? "") || a.controlId.localeCompare(b.controlId));
}
