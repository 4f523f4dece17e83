// Input schemas of the compliance forms, shared by the forms and the routers (no server imports).
import { z } from "zod";
import { DATA_CATEGORIES } from "../agents/agent-fields";
import { ANNEX_AREA_IDS, PROHIBITED_PRACTICES, RISK_CLASSES, SERIOUS_INCIDENT_KINDS } from "./catalogue";

const practiceIds = PROHIBITED_PRACTICES.map((practice) => practice.id) as [string, ...string[]];

/** The Annex III questionnaire (see questionnaire.ts for what each answer means). */
export const questionnaireSchema = z.object({
  prohibitedPractices: z.array(z.enum(practiceIds)).max(practiceIds.length).default([]),
  safetyComponentAnnexI: z.boolean().default(false),
  annexAreas: z.array(z.enum(ANNEX_AREA_IDS)).max(ANNEX_AREA_IDS.length).default([]),
  profilesPeople: z.boolean().default(false),
  narrowProceduralTask: z.boolean().default(false),
  interactsWithPeople: z.boolean().default(false),
  generatesContent: z.boolean().default(false),
});
export type QuestionnaireAnswers = z.infer<typeof questionnaireSchema>;

export const EMPTY_QUESTIONNAIRE: QuestionnaireAnswers = questionnaireSchema.parse({});

/** A compliance officer's classification of one agent: the class, why, and the declared data. */
export const classificationSchema = z.object({
  agentId: z.uuid(),
  riskClass: z.enum(RISK_CLASSES),
  annexArea: z.enum(ANNEX_AREA_IDS).nullable().default(null),
  reason: z.string().trim().min(10, "Say why this class (at least 10 characters)").max(2000),
  dataCategories: z
    .array(z.enum(DATA_CATEGORIES))
    .max(DATA_CATEGORIES.length)
    .transform((items) => [...new Set(items)]),
  questionnaire: questionnaireSchema.nullable().default(null),
});
export type ClassificationInput = z.input<typeof classificationSchema>;

export const INCIDENT_SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];
export const INCIDENT_SOURCES = ["kill_switch", "loop_halt", "rollback", "anomaly", "person"] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

/** A person opening an incident. */
export const openIncidentSchema = z
  .object({
    agentId: z.uuid().nullable().default(null),
    title: z.string().trim().min(3, "Give it a title (at least 3 characters)").max(200),
    description: z.string().trim().max(5000).default(""),
    severity: z.enum(INCIDENT_SEVERITIES),
    serious: z.boolean().default(false),
    seriousKind: z.enum(SERIOUS_INCIDENT_KINDS).nullable().default(null),
    /** When the organisation became aware (the Art. 73 clock starts here); now when absent. */
    awareAt: z.coerce.date().optional(),
    /** An anomaly the incident is opened from. */
    anomalyId: z.uuid().optional(),
  })
  .refine((input) => !input.serious || input.seriousKind !== null, { error: "Say which kind of serious incident it is (it sets the reporting clock)", path: ["seriousKind"] });
export type OpenIncidentForm = z.input<typeof openIncidentSchema>;

export const classifyIncidentSchema = z
  .object({
    incidentId: z.uuid(),
    severity: z.enum(INCIDENT_SEVERITIES),
    serious: z.boolean(),
    seriousKind: z.enum(SERIOUS_INCIDENT_KINDS).nullable().default(null),
    reason: z.string().trim().min(3, "Say why (at least 3 characters)").max(1000),
  })
  .refine((input) => !input.serious || input.seriousKind !== null, { error: "Say which kind of serious incident it is", path: ["seriousKind"] });

export const reportIncidentSchema = z.object({
  incidentId: z.uuid(),
  reportedAt: z.coerce.date(),
  reference: z.string().trim().min(1, "Give the authority's reference or where it was sent").max(200),
});

export const closeIncidentSchema = z.object({
  incidentId: z.uuid(),
  note: z.string().trim().min(10, "A closing note is required (at least 10 characters)").max(5000),
});

export const EVIDENCE_SCOPES = ["org", "team", "agent"] as const;
/** The evidence pack's period and scope. */
export const evidenceRequestSchema = z
  .object({
    scope: z.enum(EVIDENCE_SCOPES).default("org"),
    /** Team id or agent id for those scopes. */
    id: z.uuid().optional(),
    from: z.coerce.date(),
    to: z.coerce.date(),
  })
  .refine((input) => input.from < input.to, { error: "from must be before to", path: ["to"] })
  .refine((input) => input.scope === "org" || input.id !== undefined, { error: "a team or agent scope needs its id", path: ["id"] });
export type EvidenceRequest = z.output<typeof evidenceRequestSchema>;

export const METRIC_WINDOWS = ["24h", "7d", "30d"] as const;
export type MetricWindow = (typeof METRIC_WINDOWS)[number];
