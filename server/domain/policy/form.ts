// The everyday-rule form and the Cedar text it writes. Pure: the Policies page shows the text
// live as the form changes, and the server writes the same text when the rule is saved.
//
// Effects (how the engine combines them; the Policies page help says the same):
//   deny              → `forbid`. Any matching forbid denies, whatever else matches.
//   allow             → `permit`.
//   require_approval  → `permit` annotated `@approval("true")`: allowed once a person approves.
// When no forbid matches and both a plain permit and an approval permit match, the most
// restrictive wins: require_approval. When nothing matches, the org's default decides.
import { z } from "zod";
import { ACTION_TYPES, APPROVAL_ANNOTATION, REASON_ANNOTATION, RESOURCE_TYPE, RISK_CLASSES, cedarString, entityRef } from "./vocabulary";

const name = z
  .string()
  .trim()
  .min(1, "Enter a name")
  .max(200, "At most 200 characters")
  // Control characters in a name are almost surely a paste accident; refuse rather than escape.
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), "No control characters");

/** A decimal number as Cedar's decimal extension takes it: up to 15 integer and 4 fractional digits. */
export const DECIMAL_PATTERN = /^-?\d{1,15}(\.\d{1,4})?$/;

export const NUMBER_OPS = [">", ">=", "<", "<=", "==", "!="] as const;
export const TEXT_OPS = ["==", "!="] as const;

export const conditionSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("number"),
    argument: name,
    op: z.enum(NUMBER_OPS),
    value: z.string().trim().regex(DECIMAL_PATTERN, "A number, at most 4 decimal places"),
  }),
  z.object({ kind: z.literal("text"), argument: name, op: z.enum(TEXT_OPS), value: z.string().max(500) }),
  z
    .object({
      kind: z.literal("hours"),
      /** UTC hours: from `from`:00 up to (not including) `to`:00; `from` > `to` wraps past midnight. */
      from: z.number().int().min(0).max(23),
      to: z.number().int().min(1).max(24),
      /** true: the rule applies inside the window; false: outside it. */
      inside: z.boolean(),
    })
    .refine((hours) => hours.from !== hours.to % 24, { message: "The window must not be empty or the whole day", path: ["to"] }),
  z.object({ kind: z.literal("dataClasses"), match: z.enum(["any", "all", "none"]), classes: z.array(name).min(1, "Pick at least one data class").max(20) }),
]);
export type RuleCondition = z.infer<typeof conditionSchema>;

export const whoSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("all") }),
  z.object({ kind: z.literal("agent"), name }),
  z.object({ kind: z.literal("team"), name }),
  z.object({ kind: z.literal("tag"), name }),
  z.object({ kind: z.literal("riskClass"), name: z.enum(RISK_CLASSES) }),
]);
export type RuleWho = z.infer<typeof whoSchema>;

export const RULE_EFFECTS = ["allow", "deny", "require_approval"] as const;
export type RuleEffect = (typeof RULE_EFFECTS)[number];

export const ruleFormSchema = z
  .object({
    who: whoSchema,
    /** "any": every action type (then `resources` must be empty). */
    action: z.enum(["any", ...ACTION_TYPES]),
    /** Names of the tools, models, data classes, … the rule is about; empty: any of that type. */
    resources: z.array(name).max(50),
    effect: z.enum(RULE_EFFECTS),
    conditions: z.array(conditionSchema).max(20),
    /** Told to the agent when this rule decides (the `@reason` annotation). */
    reason: z.string().trim().max(300).default(""),
  })
  .refine((form) => form.action !== "any" || form.resources.length === 0, { message: "Pick an action type to name resources", path: ["resources"] });
export type RuleForm = z.infer<typeof ruleFormSchema>;
export type RuleFormInput = z.input<typeof ruleFormSchema>;

/** Cedar's decimal() wants a fractional part: "100" → "100.0". */
export function decimalLiteral(value: string): string {
  const trimmed = value.trim();
  return `decimal(${cedarString(trimmed.includes(".") ? trimmed : `${trimmed}.0`)})`;
}

const DECIMAL_METHOD: Record<(typeof NUMBER_OPS)[number], string | null> = {
  ">": "greaterThan",
  ">=": "greaterThanOrEqual",
  "<": "lessThan",
  "<=": "lessThanOrEqual",
  "==": null,
  "!=": null,
};

export function conditionToCedar(condition: RuleCondition): string {
  switch (condition.kind) {
    case "number": {
      const key = cedarString(condition.argument);
      const value = decimalLiteral(condition.value);
      const method = DECIMAL_METHOD[condition.op];
      const test = method ? `context.arguments.getTag(${key}).${method}(${value})` : `context.arguments.getTag(${key}) ${condition.op} ${value}`;
      return `context.arguments.hasTag(${key}) && ${test}`;
    }
    case "text": {
      const key = cedarString(condition.argument);
      return `context.textArguments.hasTag(${key}) && context.textArguments.getTag(${key}) ${condition.op} ${cedarString(condition.value)}`;
    }
    case "hours": {
      const window =
        condition.to === 24
          ? `context.hour >= ${condition.from}`
          : condition.from === 0
            ? `context.hour < ${condition.to}`
            : condition.from < condition.to
              ? `context.hour >= ${condition.from} && context.hour < ${condition.to}`
              : `context.hour >= ${condition.from} || context.hour < ${condition.to}`;
      return condition.inside ? window : `!(${window})`;
    }
    case "dataClasses": {
      const set = `[${condition.classes.map(cedarString).join(", ")}]`;
      if (condition.match === "all") return `context.dataClasses.containsAll(${set})`;
      if (condition.match === "any") return `context.dataClasses.containsAny(${set})`;
      return `!context.dataClasses.containsAny(${set})`;
    }
  }
}

/** The Cedar text of a rule: one policy statement. */
export function formToCedar(form: RuleForm): string {
  const lines: string[] = [];
  if (form.effect === "require_approval") lines.push(`@${APPROVAL_ANNOTATION}("true")`);
  if (form.reason.trim()) lines.push(`@${REASON_ANNOTATION}(${cedarString(form.reason.trim())})`);

  const when: string[] = [];
  let principal = "principal";
  switch (form.who.kind) {
    case "agent":
      principal = `principal == ${entityRef("Agent", form.who.name)}`;
      break;
    case "team":
      principal = `principal in ${entityRef("Team", form.who.name)}`;
      break;
    case "tag":
      when.push(`principal.tags.contains(${cedarString(form.who.name)})`);
      break;
    case "riskClass":
      when.push(`principal.riskClass == ${cedarString(form.who.name)}`);
      break;
    case "all":
      break;
  }

  let action = "action";
  let resource = "resource";
  if (form.action !== "any") {
    action = `action == ${entityRef("Action", form.action)}`;
    const type = RESOURCE_TYPE[form.action];
    const [only, ...more] = form.resources;
    if (only !== undefined && more.length === 0) resource = `resource == ${entityRef(type, only)}`;
    else if (only !== undefined) when.push(`[${form.resources.map((name) => entityRef(type, name)).join(", ")}].contains(resource)`);
  }

  for (const condition of form.conditions) when.push(conditionToCedar(condition));

  lines.push(`${form.effect === "deny" ? "forbid" : "permit"} (`, `  ${principal},`, `  ${action},`, `  ${resource}`, ")");
  if (when.length > 0) {
    lines.push("when {");
    when.forEach((clause, index) => lines.push(`  ${when.length > 1 ? `(${clause})` : clause}${index < when.length - 1 ? " &&" : ""}`));
    lines.push("};");
  } else {
    lines[lines.length - 1] = ");";
  }
  return `${lines.join("\n")}\n`;
}

const ACTION_LABEL: Record<RuleForm["action"], string> = {
  any: "any action",
  tool: "tools",
  model: "models",
  data: "data classes",
  delegate: "delegation to",
  spend: "spending from",
};

export function whoSummary(who: RuleWho): string {
  switch (who.kind) {
    case "all":
      return "All agents";
    case "agent":
      return `Agent ${who.name}`;
    case "team":
      return `Team ${who.name}`;
    case "tag":
      return `Agents tagged ${who.name}`;
    case "riskClass":
      return `Risk class ${who.name}`;
  }
}

export function whatSummary(form: Pick<RuleForm, "action" | "resources">): string {
  if (form.action === "any") return "Any action";
  if (form.resources.length === 0) return `Any ${form.action}`;
  return `${ACTION_LABEL[form.action][0]?.toUpperCase() ?? ""}${ACTION_LABEL[form.action].slice(1)}: ${form.resources.join(", ")}`;
}

export const EMPTY_RULE: RuleForm = { who: { kind: "all" }, action: "tool", resources: [], effect: "allow", conditions: [], reason: "" };
