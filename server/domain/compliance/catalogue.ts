// The compliance facts Agentry works from, as data: EU AI Act risk classes, Annex III areas and
// obligations (with the application dates as amended in 2026 by Regulation (EU) 2026/1744), the
// Art. 73 reporting clocks, and the controls of the frameworks we map to. Each control is named by
// its identifier, described in our own words, and carries an applicability rule and the id of the
// check that evidences it from Agentry's own state (server/data/compliance-checks.ts). A wrong date
// or a missing control is corrected here, without touching code.
import { DATA_CATEGORIES, type DataCategory } from "../agents/agent-fields";

export const RISK_CLASSES = ["prohibited", "high", "limited", "minimal"] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

export const RISK_CLASS_LABELS: Record<RiskClass, string> = {
  prohibited: "Prohibited",
  high: "High risk",
  limited: "Limited risk",
  minimal: "Minimal risk",
};

export function isRiskClass(value: unknown): value is RiskClass {
  return typeof value === "string" && (RISK_CLASSES as readonly string[]).includes(value);
}

/** Annex III high-risk areas, plus the Annex I route (a safety component of a regulated product). */
export const ANNEX_AREAS = [
  { id: "biometrics", label: "Biometrics", hint: "Remote identification, categorisation by sensitive traits, emotion recognition." },
  { id: "critical_infrastructure", label: "Critical infrastructure", hint: "Safety components of digital infrastructure, road traffic, water, gas, heating or electricity supply." },
  { id: "education", label: "Education and vocational training", hint: "Admission, assessment of learning outcomes, monitoring students in tests." },
  { id: "employment", label: "Employment and workers management", hint: "Recruitment, screening candidates, promotion, termination, task allocation, monitoring workers." },
  { id: "essential_services", label: "Access to essential private and public services", hint: "Eligibility for public benefits, credit scoring, life and health insurance pricing, emergency dispatch." },
  { id: "law_enforcement", label: "Law enforcement", hint: "Risk assessment of victims or offenders, evidence reliability, profiling in investigations." },
  { id: "migration", label: "Migration, asylum and border control", hint: "Risk assessments of travellers, examining applications for asylum, visas and residence." },
  { id: "justice_democracy", label: "Administration of justice and democratic processes", hint: "Assisting judicial authorities, influencing the outcome of an election or a referendum." },
] as const;
export const ANNEX_I_AREA = {
  id: "annex_i_product",
  label: "Annex I product (safety component)",
  hint: "A safety component of a product covered by EU harmonisation law listed in Annex I (machinery, medical devices, toys …).",
} as const;
export type AnnexIIIArea = (typeof ANNEX_AREAS)[number]["id"];
export type AnnexArea = AnnexIIIArea | typeof ANNEX_I_AREA.id;
export const ANNEX_AREA_IDS = [...ANNEX_AREAS.map((area) => area.id), ANNEX_I_AREA.id] as unknown as [AnnexArea, ...AnnexArea[]];

export function annexAreaLabel(id: string | null): string | null {
  if (id === null) return null;
  if (id === ANNEX_I_AREA.id) return ANNEX_I_AREA.label;
  return ANNEX_AREAS.find((area) => area.id === id)?.label ?? id;
}

/** Practices Art. 5 prohibits outright. */
export const PROHIBITED_PRACTICES = [
  { id: "manipulation", label: "Manipulates people with subliminal or deceptive techniques that distort their behaviour and cause harm" },
  { id: "exploiting_vulnerabilities", label: "Exploits vulnerabilities of age, disability or social or economic situation" },
  { id: "social_scoring", label: "Scores people on social behaviour or personal traits, leading to unjustified detrimental treatment" },
  { id: "crime_prediction", label: "Predicts that a person will commit a crime solely from profiling or personality traits" },
  { id: "facial_scraping", label: "Builds facial recognition databases by untargeted scraping of images" },
  { id: "emotion_at_work", label: "Infers emotions of people at the workplace or in education (outside medical or safety reasons)" },
  { id: "biometric_categorisation", label: "Categorises people by biometric data to deduce race, politics, religion, sex life or orientation" },
  { id: "realtime_remote_biometric_id", label: "Real-time remote biometric identification in public spaces for law enforcement" },
] as const;
export type ProhibitedPractice = (typeof PROHIBITED_PRACTICES)[number]["id"];

/** When obligations start to apply (Regulation (EU) 2024/1689 as amended by Regulation (EU) 2026/1744). */
export const APPLICATION_DATES = {
  prohibitions: "2025-02-02",
  transparency: "2026-08-02",
  highRiskAnnexIII: "2027-12-02",
  highRiskAnnexI: "2028-08-02",
  gdpr: "2018-05-25",
} as const;

/** Art. 73 serious-incident reporting clocks, in days from becoming aware. */
export const SERIOUS_INCIDENT_KINDS = ["death", "widespread_or_critical_infrastructure", "other"] as const;
export type SeriousIncidentKind = (typeof SERIOUS_INCIDENT_KINDS)[number];
export const ART73_CLOCK_DAYS: Record<SeriousIncidentKind, number> = {
  death: 10,
  widespread_or_critical_infrastructure: 2,
  other: 15,
};
export const SERIOUS_INCIDENT_LABELS: Record<SeriousIncidentKind, string> = {
  death: "A person died (Art. 73(4): 10 days)",
  widespread_or_critical_infrastructure: "Widespread infringement or serious disruption of critical infrastructure (Art. 73(3): 2 days)",
  other: "Other serious incident: harm to health, fundamental rights, property or the environment (Art. 73(2): 15 days)",
};

export const FRAMEWORKS = [
  { id: "eu_ai_act", label: "EU AI Act" },
  { id: "gdpr", label: "GDPR" },
  { id: "iso_42001", label: "ISO/IEC 42001" },
  { id: "nist_ai_rmf", label: "NIST AI RMF" },
  { id: "soc2", label: "SOC 2" },
] as const;
export type FrameworkId = (typeof FRAMEWORKS)[number]["id"];

/** What evidences a control, computed from the system's own state. */
export const CHECKS = {
  risk_classified: { label: "Risk class decided, with a reason", explains: "A compliance officer set the EU AI Act risk class and wrote down why." },
  impact_assessment: { label: "Risk questionnaire recorded", explains: "The Annex III questionnaire behind the class is on record, with who answered it and when." },
  owner_assigned: { label: "Owner and team assigned", explains: "A named owner and a team answer for the agent." },
  documentation: { label: "Agent documented in the registry", explains: "The registry describes what the agent does and lists its models and tools." },
  decisions_logged: { label: "Decisions logged, audit chain intact", explains: "Every decision that was not a plain allow has its audit entry, and the audit chain verifies over the period." },
  human_approval_consequential: {
    label: "Human approval on consequential actions",
    explains: "An enforced policy makes a person approve each consequential tool of the agent (tools that create, change, send, pay or delete).",
  },
  approval_for_pci: { label: "Approval before touching PCI data", explains: "Acting on cardholder (PCI) data needs a person's approval: a compliance rule or an enforced policy says so." },
  prohibited_blocked: { label: "Prohibited agent stopped", explains: "Since it was classified prohibited, the agent has had no action allowed." },
  version_history: { label: "Version history kept", explains: "The agent's released versions are recorded (agent lifecycle)." },
  budget_set: { label: "Spending capped", explains: "A budget covers the agent: its own, its team's or the organisation's." },
  kill_switch_exercised: { label: "Kill switch reachable and exercised", explains: "A kill switch covering the agent was engaged within the last 90 days and its instances took the directive." },
  retention_six_months: { label: "Events and audit kept six months or more", explains: "Nothing deletes events or audit entries before six months, and the audit log refuses changes." },
  incidents_on_time: { label: "Serious incidents reported on their clock", explains: "Every serious incident was reported to the authority before its Art. 73 deadline." },
  monitoring_active: { label: "Operation monitored", explains: "The agent reported telemetry in the last 7 days, so its cost, errors and anomalies are watched." },
  data_categories_declared: { label: "Observed data within what was declared", explains: "The data categories redaction found in the agent's events are all declared on the agent." },
  attestation: { label: "Needs a person's attestation", explains: "Not visible in Agentry's own state; a person must attest it, so it stays not assessed here." },
} as const;
export type CheckId = keyof typeof CHECKS;
export const CHECK_IDS = Object.keys(CHECKS) as CheckId[];

/** One way a control can apply: every condition given must hold (risk class in, any category, any tag). */
export interface ApplicabilityRule {
  riskClasses?: readonly RiskClass[];
  dataCategories?: readonly DataCategory[];
  tags?: readonly string[];
}

export interface Control {
  id: string;
  framework: FrameworkId;
  /** The framework's own identifier (article, clause, subcategory). */
  ref: string;
  title: string;
  /** In our own words. */
  description: string;
  /** The control applies when any one rule holds; an empty list applies to every agent. */
  appliesWhen: readonly ApplicabilityRule[];
  check: CheckId;
  /** When the obligation starts to apply; "annex" picks the Annex III or Annex I date from the agent's area. */
  appliesFrom?: string | "annex";
}

/** What a page or a pack shows of a control beside its status. */
export function controlHeading(control: Control): Pick<Control, "id" | "framework" | "ref" | "title" | "description" | "check"> {
  return { id: control.id, framework: control.framework, ref: control.ref, title: control.title, description: control.description, check: control.check };
}

const PERSONAL: readonly DataCategory[] = ["PII", "PHI", "biometric", "minors", "financial"];
const HIGH = [{ riskClasses: ["high"] }] as const satisfies readonly ApplicabilityRule[];
const ALL: readonly ApplicabilityRule[] = [];

export const CONTROLS: readonly Control[] = [
  // EU AI Act
  {
    id: "EUAIA-5",
    framework: "eu_ai_act",
    ref: "Art. 5",
    title: "Prohibited practices",
    description: "An agent classified as a prohibited practice must not act at all.",
    appliesWhen: [{ riskClasses: ["prohibited"] }],
    check: "prohibited_blocked",
    appliesFrom: APPLICATION_DATES.prohibitions,
  },
  {
    id: "EUAIA-9",
    framework: "eu_ai_act",
    ref: "Art. 9",
    title: "Risk management system",
    description: "Risks of the high-risk agent are identified and assessed, and the assessment is kept.",
    appliesWhen: HIGH,
    check: "impact_assessment",
    appliesFrom: "annex",
  },
  {
    id: "EUAIA-10",
    framework: "eu_ai_act",
    ref: "Art. 10",
    title: "Data governance",
    description: "The data the agent works on is known and governed: what it handles matches what was declared.",
    appliesWhen: HIGH,
    check: "data_categories_declared",
    appliesFrom: "annex",
  },
  {
    id: "EUAIA-11",
    framework: "eu_ai_act",
    ref: "Art. 11",
    title: "Technical documentation",
    description: "What the agent is, does and runs on is written down before it is put to use.",
    appliesWhen: HIGH,
    check: "documentation",
    appliesFrom: "annex",
  },
  {
    id: "EUAIA-12",
    framework: "eu_ai_act",
    ref: "Art. 12",
    title: "Record keeping",
    description: "The agent's consequential decisions are logged automatically, in a log that cannot be altered unnoticed.",
    appliesWhen: HIGH,
    check: "decisions_logged",
    appliesFrom: "annex",
  },
  {
    id: "EUAIA-13",
    framework: "eu_ai_act",
    ref: "Art. 13",
    title: "Transparency to deployers",
    description: "Those who run the agent can understand its purpose, capabilities and limits.",
    appliesWhen: HIGH,
    check: "documentation",
    appliesFrom: "annex",
  },
  {
    id: "EUAIA-14",
    framework: "eu_ai_act",
    ref: "Art. 14",
    title: "Human oversight",
    description: "People can oversee the agent and stop or overrule its consequential actions.",
    appliesWhen: HIGH,
    check: "human_approval_consequential",
    appliesFrom: "annex",
  },
  {
    id: "EUAIA-15",
    framework: "eu_ai_act",
    ref: "Art. 15",
    title: "Accuracy, robustness and cybersecurity",
    description: "Errors and unusual behaviour of the agent are measured in operation.",
    appliesWhen: HIGH,
    check: "monitoring_active",
    appliesFrom: "annex",
  },
  {
    id: "EUAIA-26.1",
    framework: "eu_ai_act",
    ref: "Art. 26(1)",
    title: "Use according to the instructions",
    description: "The deployer uses the agent as its provider's instructions say.",
    appliesWhen: HIGH,
    check: "attestation",
    appliesFrom: "annex",
  },
  {
    id: "EUAIA-26.2",
    framework: "eu_ai_act",
    ref: "Art. 26(2)",
    title: "Assigned human oversight",
    description: "A competent person is assigned to oversee the agent.",
    appliesWhen: HIGH,
    check: "owner_assigned",
    appliesFrom: "annex",
  },
  {
    id: "EUAIA-26.5",
    framework: "eu_ai_act",
    ref: "Art. 26(5)",
    title: "Monitoring of operation",
    description: "The deployer monitors the agent in operation and can suspend it.",
    appliesWhen: HIGH,
    check: "kill_switch_exercised",
    appliesFrom: "annex",
  },
  {
    id: "EUAIA-26.6",
    framework: "eu_ai_act",
    ref: "Art. 26(6)",
    title: "Logs kept at least six months",
    description: "Logs the agent generates are kept for at least six months.",
    appliesWhen: HIGH,
    check: "retention_six_months",
    appliesFrom: "annex",
  },
  {
    id: "EUAIA-50",
    framework: "eu_ai_act",
    ref: "Art. 50",
    title: "Transparency to people",
    description: "People are told they are dealing with an AI system, and generated content is marked as such.",
    appliesWhen: [{ riskClasses: ["limited", "high"] }, { tags: ["external-facing"] }],
    check: "attestation",
    appliesFrom: APPLICATION_DATES.transparency,
  },
  {
    id: "EUAIA-72",
    framework: "eu_ai_act",
    ref: "Art. 72",
    title: "Post-market monitoring",
    description: "The agent's performance is followed for as long as it is in use.",
    appliesWhen: HIGH,
    check: "monitoring_active",
    appliesFrom: "annex",
  },
  {
    id: "EUAIA-73",
    framework: "eu_ai_act",
    ref: "Art. 73",
    title: "Reporting of serious incidents",
    description: "Serious incidents reach the market surveillance authority within 15, 10 or 2 days.",
    appliesWhen: HIGH,
    check: "incidents_on_time",
    appliesFrom: "annex",
  },
  // GDPR
  {
    id: "GDPR-22",
    framework: "gdpr",
    ref: "Art. 22",
    title: "Automated individual decisions",
    description: "Decisions with legal or similarly significant effects on people are not left to the agent alone.",
    appliesWhen: [
      { riskClasses: ["high"], dataCategories: PERSONAL },
      { tags: ["automated-decision"], dataCategories: PERSONAL },
    ],
    check: "human_approval_consequential",
    appliesFrom: APPLICATION_DATES.gdpr,
  },
  {
    id: "GDPR-30",
    framework: "gdpr",
    ref: "Art. 30",
    title: "Records of processing",
    description: "The personal data the agent processes is on record, and the record matches reality.",
    appliesWhen: [{ dataCategories: PERSONAL }],
    check: "data_categories_declared",
    appliesFrom: APPLICATION_DATES.gdpr,
  },
  {
    id: "GDPR-35",
    framework: "gdpr",
    ref: "Art. 35",
    title: "Data protection impact assessment",
    description: "Processing likely to put people's rights at high risk is assessed before it starts.",
    appliesWhen: [{ riskClasses: ["high"], dataCategories: PERSONAL }, { dataCategories: ["PHI", "biometric", "minors"] }],
    check: "impact_assessment",
    appliesFrom: APPLICATION_DATES.gdpr,
  },
  // ISO/IEC 42001 Annex A (subset)
  { id: "ISO42001-A.3.2", framework: "iso_42001", ref: "A.3.2", title: "AI roles and responsibilities", description: "Who is accountable for the agent is defined.", appliesWhen: ALL, check: "owner_assigned" },
  {
    id: "ISO42001-A.5.2",
    framework: "iso_42001",
    ref: "A.5.2",
    title: "AI system impact assessment",
    description: "The agent's possible consequences for people and society are assessed.",
    appliesWhen: [{ riskClasses: ["high", "limited"] }],
    check: "impact_assessment",
  },
  {
    id: "ISO42001-A.6.2.5",
    framework: "iso_42001",
    ref: "A.6.2.5",
    title: "AI system deployment",
    description: "What is deployed, and when, is controlled and recorded.",
    appliesWhen: ALL,
    check: "version_history",
  },
  {
    id: "ISO42001-A.6.2.6",
    framework: "iso_42001",
    ref: "A.6.2.6",
    title: "AI system operation and monitoring",
    description: "The agent is operated and monitored as planned.",
    appliesWhen: ALL,
    check: "monitoring_active",
  },
  {
    id: "ISO42001-A.6.2.7",
    framework: "iso_42001",
    ref: "A.6.2.7",
    title: "AI system technical documentation",
    description: "Documentation about the agent is available to those who need it.",
    appliesWhen: ALL,
    check: "documentation",
  },
  {
    id: "ISO42001-A.6.2.8",
    framework: "iso_42001",
    ref: "A.6.2.8",
    title: "Recording of event logs",
    description: "Event logs of the agent are recorded and protected.",
    appliesWhen: ALL,
    check: "decisions_logged",
  },
  {
    id: "ISO42001-A.7.5",
    framework: "iso_42001",
    ref: "A.7.5",
    title: "Data provenance",
    description: "Where the agent's data comes from and what it contains is known.",
    appliesWhen: [{ dataCategories: DATA_CATEGORIES }],
    check: "data_categories_declared",
  },
  {
    id: "ISO42001-A.8.4",
    framework: "iso_42001",
    ref: "A.8.4",
    title: "Communication of incidents",
    description: "Incidents are communicated to those who must know, in time.",
    appliesWhen: [{ riskClasses: ["high", "limited"] }],
    check: "incidents_on_time",
  },
  {
    id: "ISO42001-A.9.2",
    framework: "iso_42001",
    ref: "A.9.2",
    title: "Processes for responsible use",
    description: "Consequential use of the agent follows defined processes with a person in the loop.",
    appliesWhen: HIGH,
    check: "human_approval_consequential",
  },
  // NIST AI RMF
  {
    id: "NIST-GOVERN-2.1",
    framework: "nist_ai_rmf",
    ref: "GOVERN 2.1",
    title: "Roles and responsibilities",
    description: "Roles, responsibilities and lines of communication for the agent are documented.",
    appliesWhen: ALL,
    check: "owner_assigned",
  },
  {
    id: "NIST-MAP-5.1",
    framework: "nist_ai_rmf",
    ref: "MAP 5.1",
    title: "Impacts identified",
    description: "Likelihood and magnitude of the agent's impacts are identified and documented.",
    appliesWhen: [{ riskClasses: ["high", "limited", "prohibited"] }],
    check: "risk_classified",
  },
  {
    id: "NIST-MEASURE-2.4",
    framework: "nist_ai_rmf",
    ref: "MEASURE 2.4",
    title: "Behaviour monitored in production",
    description: "The agent's functionality and behaviour are monitored while it runs.",
    appliesWhen: ALL,
    check: "monitoring_active",
  },
  {
    id: "NIST-MANAGE-2.3",
    framework: "nist_ai_rmf",
    ref: "MANAGE 2.3",
    title: "Disengage or deactivate",
    description: "There is a tested way to stop the agent when it behaves outside its intended use.",
    appliesWhen: ALL,
    check: "kill_switch_exercised",
  },
  {
    id: "NIST-MANAGE-2.1",
    framework: "nist_ai_rmf",
    ref: "MANAGE 2.1",
    title: "Resources to manage risk",
    description: "What the agent may spend is bounded and accounted for.",
    appliesWhen: ALL,
    check: "budget_set",
  },
  {
    id: "NIST-MANAGE-4.3",
    framework: "nist_ai_rmf",
    ref: "MANAGE 4.3",
    title: "Incidents communicated",
    description: "Incidents and errors are tracked and communicated to the people concerned.",
    appliesWhen: [{ riskClasses: ["high", "limited"] }],
    check: "incidents_on_time",
  },
  // SOC 2 (subset)
  { id: "SOC2-CC3.2", framework: "soc2", ref: "CC3.2", title: "Risk identification", description: "Risks the agent brings are identified and analysed.", appliesWhen: ALL, check: "risk_classified" },
  {
    id: "SOC2-CC6.1",
    framework: "soc2",
    ref: "CC6.1",
    title: "Access to sensitive data restricted",
    description: "A high-risk agent reaches cardholder data only with a person's approval.",
    appliesWhen: [{ riskClasses: ["high"], dataCategories: ["PCI"] }],
    check: "approval_for_pci",
  },
  { id: "SOC2-CC7.2", framework: "soc2", ref: "CC7.2", title: "Monitoring for anomalies", description: "The agent is monitored for anomalous behaviour.", appliesWhen: ALL, check: "monitoring_active" },
  {
    id: "SOC2-CC7.4",
    framework: "soc2",
    ref: "CC7.4",
    title: "Incident response",
    description: "Incidents are responded to and reported as the programme requires.",
    appliesWhen: [{ riskClasses: ["high"] }],
    check: "incidents_on_time",
  },
  { id: "SOC2-CC8.1", framework: "soc2", ref: "CC8.1", title: "Change management", description: "Changes to the agent are authorised, recorded and traceable.", appliesWhen: ALL, check: "version_history" },
  { id: "SOC2-A1.1", framework: "soc2", ref: "A1.1", title: "Capacity managed", description: "The agent's use of paid capacity is bounded by a budget.", appliesWhen: ALL, check: "budget_set" },
  {
    id: "SOC2-CC7.3",
    framework: "soc2",
    ref: "CC7.3",
    title: "Security events evaluated",
    description: "Every consequential decision is on an append-only record that can be verified.",
    appliesWhen: ALL,
    check: "decisions_logged",
  },
];

export function controlById(id: string): Control | undefined {
  return CONTROLS.find((control) => control.id === id);
}

export function frameworkLabel(id: string): string {
  return FRAMEWORKS.find((framework) => framework.id === id)?.label ?? id;
}

/**
 * Compliance rules weighed in decide (the fourth weight): data, like the catalogue. `deny` beats
 * `require_approval`. The PCI rule is the regulatory floor tied to the risk class; an org's Cedar
 * policies may add more (the demo's also covers agents tagged "high-risk").
 */
export interface ComplianceRule {
  id: string;
  effect: "deny" | "require_approval";
  riskClasses: readonly RiskClass[];
  /** The request must name one of these data classes (case-insensitive); absent: every request. */
  requestDataClasses?: readonly string[];
  message: string;
}

export const COMPLIANCE_RULES: readonly ComplianceRule[] = [
  {
    id: "prohibited-practice",
    effect: "deny",
    riskClasses: ["prohibited"],
    message: "EU AI Act Art. 5: this agent is classified as a prohibited practice and may not act.",
  },
  {
    id: "high-risk-pci-approval",
    effect: "require_approval",
    riskClasses: ["high"],
    requestDataClasses: ["PCI"],
    message: "High-risk agents act on cardholder (PCI) data only with a person's approval.",
  },
];

/** Tool names that change the world (create, change, send, pay, delete …): their calls are "consequential". */
export const CONSEQUENTIAL_TOOL_WORDS = [
  "create",
  "update",
  "delete",
  "remove",
  "write",
  "send",
  "publish",
  "issue",
  "pay",
  "payment",
  "payables",
  "transfer",
  "refund",
  "approve",
  "assign",
  "label",
  "post",
  "submit",
  "execute",
  "deploy",
  "grant",
  "revoke",
  "journal",
] as const;

export function isConsequentialTool(tool: string): boolean {
  const words = tool
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return words.some((word) => (CONSEQUENTIAL_TOOL_WORDS as readonly string[]).includes(word));
}
