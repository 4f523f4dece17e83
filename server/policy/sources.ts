// Policy texts as the console hands them over: written with the everyday-rule form (the server
// writes the Cedar itself) or as Cedar, checked against the schema before anything is stored or
// simulated, and summarised for the list. A text that does not parse or validate is refused with
// its line and message.
import "server-only";
import type { DraftChange } from "../domain/policy/draft";
import { formToCedar, type RuleForm } from "../domain/policy/form";
import { describeProblems } from "../domain/policy/source";
import { refuse } from "../domain/refusal";
import { checkPolicyText, summarisePolicyText } from "./cedar";

export type PolicySourceInput = { kind: "form"; form: RuleForm } | { kind: "cedar"; cedar: string };

/** A change to try before it is enforced: a new or edited policy's source, or an enforced policy removed. */
export interface DraftInput {
  policyId?: string | null | undefined;
  name: string;
  source: PolicySourceInput;
  remove?: boolean | undefined;
}

function cedarOf(source: PolicySourceInput): string {
  return source.kind === "form" ? formToCedar(source.form) : source.cedar;
}

/** Refuses (BAD_REQUEST) Cedar that does not check, with where and why. */
export function assertValidCedar(cedar: string): void {
  const checked = checkPolicyText(cedar);
  if (!checked.ok) refuse("BAD_REQUEST", `The policy is not valid Cedar for this schema:\n${describeProblems(checked.errors)}`);
}

/** The Cedar text of a source and the form it came from, once it checks against the schema. */
export function checkedSource(source: PolicySourceInput): { cedar: string; form: RuleForm | null } {
  const cedar = cedarOf(source);
  assertValidCedar(cedar);
  return { cedar, form: source.kind === "form" ? source.form : null };
}

/** What the editor shows while someone types: the text, its problems and warnings; changes nothing. */
export function validateSource(source: PolicySourceInput) {
  const cedar = cedarOf(source);
  const checked = checkPolicyText(cedar);
  return {
    cedar,
    ok: checked.ok,
    errors: checked.ok ? [] : checked.errors,
    warnings: checked.warnings,
    statements: checked.ok ? checked.statements.length : 0,
  };
}

/** The draft as the engine applies it (its text checked, unless it removes a policy). */
export function draftChange(draft: DraftInput): DraftChange {
  if (draft.remove) return { policyId: draft.policyId ?? null, name: draft.name, cedar: "", remove: true };
  return { policyId: draft.policyId ?? null, name: draft.name || "Draft", cedar: checkedSource(draft.source).cedar };
}

type Summary = NonNullable<ReturnType<typeof summarisePolicyText>> & { scopes: ReturnType<typeof scopesOf> };

function scopesOf(cedar: string) {
  const checked = checkPolicyText(cedar);
  return checked.ok ? checked.statements.map((statement) => statement.scope) : [];
}

// Summaries parse Cedar text, and the list shows the same texts on every load: remember them,
// keyed by the text itself (so an edit is a new key), and start over past a bound.
const summaries = new Map<string, Summary>();
const MAX_SUMMARIES = 2_000;

/** Who and what a policy text is about, its effect and the scopes it names; null when it does not check. */
export function policySummary(cedar: string): Summary | null {
  const cached = summaries.get(cedar);
  if (cached) return cached;
  const base = summarisePolicyText(cedar);
  if (!base) return null;
  if (summaries.size > MAX_SUMMARIES) summaries.clear();
  const summary = { ...base, scopes: scopesOf(cedar) };
  summaries.set(cedar, summary);
  return summary;
}
