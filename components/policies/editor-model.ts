// Pure helpers of the Policies page's editors (unit-tested beside).
import { EMPTY_RULE, ruleFormSchema, type RuleCondition, type RuleForm } from "@/server/domain/policy/form";

/** "a, b,, c " → ["a", "b", "c"] (names typed as a comma-separated list). */
export function parseList(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** The lines that have a problem, for the editor's gutter. */
export function problemLines(problems: readonly { line: number }[]): Set<number> {
  return new Set(problems.map((problem) => problem.line));
}

export function lineCount(text: string): number {
  return text.split("\n").length;
}

/** What the form's controls hold: a RuleForm with the resources as typed text. */
export interface FormState {
  rule: RuleForm;
  resourcesText: string;
}

export function formStateOf(rule: RuleForm | null): FormState {
  const value = rule ?? EMPTY_RULE;
  return { rule: value, resourcesText: value.resources.join(", ") };
}

/** The form as the server takes it, or the first problem to show. */
export function ruleOf(state: FormState): { ok: true; rule: RuleForm } | { ok: false; message: string } {
  const parsed = ruleFormSchema.safeParse({ ...state.rule, resources: state.rule.action === "any" ? [] : parseList(state.resourcesText) });
  if (parsed.success) return { ok: true, rule: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: issue ? `${issue.path.join(".") || "rule"}: ${issue.message}` : "The rule is incomplete." };
}

export function newCondition(kind: RuleCondition["kind"]): RuleCondition {
  switch (kind) {
    case "number":
      return { kind, argument: "amount", op: ">", value: "100" };
    case "text":
      return { kind, argument: "", op: "==", value: "" };
    case "hours":
      return { kind, from: 9, to: 17, inside: true };
    case "dataClasses":
      return { kind, match: "any", classes: ["PCI"] };
  }
}

export const EFFECT_LABEL = { allow: "Allow", deny: "Deny", require_approval: "Require approval", mixed: "Mixed" } as const;
export const EFFECT_TONE = { allow: "good", deny: "bad", require_approval: "warn", mixed: "neutral" } as const;
export const STATUS_TONE = { enforced: "good", draft: "info", disabled: "neutral" } as const;
