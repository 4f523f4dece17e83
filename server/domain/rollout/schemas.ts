// Lifecycle inputs: one zod schema per input, shared by the console's forms and the routers. No
// server-only imports here (the forms import it).
import { z } from "zod";

export const GUARD_METRICS = ["error_rate", "cost_per_task", "latency_p95", "denial_rate"] as const;
export type GuardMetric = (typeof GUARD_METRICS)[number];

export const GUARD_LABELS: Record<GuardMetric, string> = {
  error_rate: "Error rate",
  cost_per_task: "Cost per task",
  latency_p95: "Latency p95",
  denial_rate: "Policy-denial rate",
};

/** What each guard counts as one sample. */
export const GUARD_UNITS: Record<GuardMetric, string> = {
  error_rate: "tasks",
  cost_per_task: "tasks",
  latency_p95: "timed calls",
  denial_rate: "decisions",
};

export const uuid = z.string().uuid();

export const reasonSchema = z.string().trim().min(3, "Say why (at least 3 characters)").max(500, "At most 500 characters");

export const versionLabelSchema = z
  .string()
  .trim()
  .min(1, "Give the version a label, such as 2.2.0")
  .max(60, "At most 60 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, "Letters, digits, dots, dashes, underscores and plus signs, starting with a letter or digit");

/** A JSON object (the version's configuration). */
export const configSchema = z.record(z.string(), z.unknown()).refine((value) => JSON.stringify(value).length <= 100_000, "The configuration is too large (100 kB at most)");

export const versionFieldsSchema = z.object({
  label: versionLabelSchema,
  model: z.string().trim().max(100).nullable(),
  systemPrompt: z.string().max(50_000, "The system prompt is too long (50,000 characters at most)"),
  tools: z.array(z.string().trim().min(1).max(100)).max(100),
  config: configSchema,
  notes: z.string().trim().max(2000),
});
export type VersionFields = z.infer<typeof versionFieldsSchema>;

export const createVersionSchema = versionFieldsSchema.extend({ agentId: uuid });
export const updateVersionSchema = z.object({ versionId: uuid, fields: versionFieldsSchema });
export const versionActionSchema = z.object({ versionId: uuid, reason: reasonSchema });

export const stageSchema = z.object({
  percent: z.number().int("Whole percents").min(1, "A stage is at least 1 %").max(100, "A stage is at most 100 %: there is nothing past 100 %"),
  minDwellMinutes: z
    .number()
    .int()
    .min(0, "Dwell cannot be negative")
    .max(7 * 24 * 60, "At most a week"),
  minSamples: z.number().int().min(0, "Samples cannot be negative").max(1_000_000),
});
export type Stage = z.infer<typeof stageSchema>;

export const stagesSchema = z
  .array(stageSchema)
  .min(2, "At least one stage below 100 %, then 100 % (to switch at once, make a version stable instead)")
  .max(10, "At most 10 stages")
  .superRefine((stages, context) => {
    stages.forEach((stage, index) => {
      const previous = stages[index - 1];
      if (previous && stage.percent <= previous.percent) {
        context.addIssue({ code: "custom", path: [index, "percent"], message: `Stages must rise: ${stage.percent} % comes after ${previous.percent} %` });
      }
    });
    const last = stages[stages.length - 1];
    if (last && last.percent !== 100) context.addIssue({ code: "custom", path: [stages.length - 1, "percent"], message: "The last stage is 100 %: that is where the candidate becomes stable" });
  });

export const DEFAULT_STAGES: Stage[] = [
  { percent: 1, minDwellMinutes: 60, minSamples: 50 },
  { percent: 10, minDwellMinutes: 60, minSamples: 200 },
  { percent: 50, minDwellMinutes: 120, minSamples: 500 },
  { percent: 100, minDwellMinutes: 0, minSamples: 0 },
];

export const guardSchema = z.object({
  metric: z.enum(GUARD_METRICS),
  /** The tolerated relative increase over the stable version, in percent (20: up to +20 %). */
  thresholdPercent: z.number().min(1, "At least 1 %").max(1000, "At most 1000 %"),
  enabled: z.boolean(),
});
export type GuardConfig = z.infer<typeof guardSchema>;

export const guardsSchema = z
  .array(guardSchema)
  .max(GUARD_METRICS.length)
  .refine((guards) => new Set(guards.map((guard) => guard.metric)).size === guards.length, "Each guard once");

export const DEFAULT_GUARDS: GuardConfig[] = [
  { metric: "error_rate", thresholdPercent: 20, enabled: true },
  { metric: "cost_per_task", thresholdPercent: 25, enabled: true },
  { metric: "latency_p95", thresholdPercent: 25, enabled: true },
  { metric: "denial_rate", thresholdPercent: 50, enabled: true },
];

export const BREACH_ACTIONS = ["pause", "rollback"] as const;
export type BreachAction = (typeof BREACH_ACTIONS)[number];

export const startRolloutSchema = z.object({
  agentId: uuid,
  candidateId: uuid,
  stages: stagesSchema,
  guards: guardsSchema,
  onBreach: z.enum(BREACH_ACTIONS),
  autoAdvance: z.boolean(),
  requireApproval: z.boolean(),
  reason: reasonSchema,
});
export type StartRolloutInput = z.infer<typeof startRolloutSchema>;

export const rolloutActionSchema = z.object({ rolloutId: uuid, reason: reasonSchema });
export const skipGuardSchema = rolloutActionSchema.extend({ metric: z.enum(GUARD_METRICS) });

export const COMPARE_WINDOWS = [1, 7, 30] as const;
export const compareSchema = z.object({
  agentId: uuid,
  aId: uuid,
  bId: uuid,
  /** The window, in days back from now. */
  days: z.number().int().min(1).max(31),
});
