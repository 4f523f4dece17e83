// Cedar, through @cedar-policy/cedar-wasm (the `nodejs` entry, loaded from node_modules at run
// time: see serverExternalPackages in next.config.ts). Checking a policy text against the schema,
// compiling a set of policies, and evaluating a request against a compiled set.
//
// Speed (measured: docs/benchmarks.md, "Policy evaluation"): a preparsed set answers in ~0.1 ms plus ~4 µs per statement in it, so a
// compiled set never hands Cedar all its statements: for each request it takes only those whose
// scope can apply (this agent or any agent, its team, this action, this resource), preparses that
// slice once and reuses it. Preparsed slices live in the wasm module's memory under a bounded
// pool of ids, reused oldest-first, so memory stays bounded however many orgs and drafts come by.
import { createHash } from "node:crypto";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import type { DetailedError } from "@cedar-policy/cedar-wasm/nodejs";
import { combineAnswer, type PolicyOutcome, type StatementMeta } from "../domain/policy/outcome";
import type { PolicySource } from "../domain/policy/draft";
import type { CedarRequest } from "../domain/policy/request";
import { conditionReads, mergeReads, type Reads } from "../domain/policy/reads";
import { scopeApplies, scopeOf, scopeSummary, type StatementScope } from "../domain/policy/scope";
import { positionOfByteOffset } from "../domain/policy/source";
import { APPROVAL_ANNOTATION, REASON_ANNOTATION } from "../domain/policy/vocabulary";
import { POLICY_SCHEMA } from "./schema";

export interface PolicyProblem {
  line: number;
  column: number;
  message: string;
  severity: "error" | "warning";
}

export interface ParsedStatement {
  text: string;
  effect: "permit" | "forbid";
  approval: boolean;
  reason: string | null;
  scope: StatementScope;
  hasConditions: boolean;
  /** What the conditions read from the request's context (see server/domain/policy/reads.ts). */
  reads: Reads;
}

export type CheckResult = { ok: true; statements: ParsedStatement[]; warnings: PolicyProblem[] } | { ok: false; errors: PolicyProblem[]; warnings: PolicyProblem[] };

function problem(text: string, error: DetailedError, severity: "error" | "warning"): PolicyProblem {
  const start = error.sourceLocations?.[0]?.start ?? 0;
  const label = error.sourceLocations?.[0]?.label;
  // Cedar names statements policy0, policy1, … in its messages; the person sees lines instead.
  const message = error.message.replace(/^for policy `[^`]*`, /, "").replace(/^failed to parse policies from string: /, "");
  const details = [label, error.help].filter((part): part is string => Boolean(part));
  return { ...positionOfByteOffset(text, start), message: details.length > 0 ? `${message} (${details.join("; ")})` : message, severity };
}

function parseStatement(text: string): ParsedStatement {
  const answer = cedar.policyToJson(text);
  if (answer.type !== "success") throw new Error(`Cedar could not read back a statement it parsed: ${answer.errors.map((error) => error.message).join("; ")}`);
  const { json } = answer;
  return {
    text,
    effect: json.effect,
    approval: json.annotations?.[APPROVAL_ANNOTATION] === "true",
    reason: json.annotations?.[REASON_ANNOTATION] ?? null,
    scope: scopeOf(json),
    hasConditions: json.conditions.length > 0,
    reads: conditionReads(json.conditions),
  };
}

// Cedar parses a schema given as text on every call (~10 ms); its JSON form is much cheaper.
let schemaJson: cedar.SchemaJson<string> | null = null;
function schema(): cedar.SchemaJson<string> {
  if (!schemaJson) {
    const answer = cedar.schemaToJson(POLICY_SCHEMA);
    if (answer.type !== "success") throw new Error(`The policy schema does not parse: ${answer.errors.map((error) => error.message).join("; ")}`);
    schemaJson = answer.json;
  }
  return schemaJson;
}

/** Parses `text` (one or more statements) and validates it against the schema, strictly. */
export function checkPolicyText(text: string): CheckResult {
  const validation = cedar.validate({ schema: schema(), policies: { staticPolicies: text }, validationSettings: { mode: "strict" } });
  if (validation.type === "failure") {
    return { ok: false, errors: validation.errors.map((error) => problem(text, error, "error")), warnings: validation.warnings.map((warning) => problem(text, warning, "warning")) };
  }
  const errors = validation.validationErrors.map((error) => problem(text, error.error, "error"));
  const warnings = [...validation.validationWarnings.map((warning) => problem(text, warning.error, "warning")), ...validation.otherWarnings.map((warning) => problem(text, warning, "warning"))];
  if (errors.length > 0) return { ok: false, errors, warnings };

  const parts = cedar.policySetTextToParts(text);
  if (parts.type !== "success") return { ok: false, errors: parts.errors.map((error) => problem(text, error, "error")), warnings };
  if (parts.policy_templates.length > 0) {
    return { ok: false, errors: [{ line: 1, column: 1, message: "Templates (?principal, ?resource) are not supported: name the agent, team or resource.", severity: "error" }], warnings };
  }
  if (parts.policies.length === 0) return { ok: false, errors: [{ line: 1, column: 1, message: "Write at least one permit or forbid statement.", severity: "error" }], warnings };
  return { ok: true, statements: parts.policies.map(parseStatement), warnings };
}

/** Who and what a policy text is about, in words (first statement; "+ n more" after it). */
export function summarisePolicyText(text: string): { who: string; what: string; effect: "allow" | "deny" | "require_approval" | "mixed" } | null {
  const checked = checkPolicyText(text);
  if (!checked.ok) return null;
  const [first, ...rest] = checked.statements;
  if (!first) return null;
  const summary = scopeSummary(first.scope, first.hasConditions);
  const effectOf = (statement: ParsedStatement) => (statement.effect === "forbid" ? "deny" : statement.approval ? "require_approval" : "allow");
  const effects = new Set(checked.statements.map(effectOf));
  return {
    who: summary.who,
    what: rest.length > 0 ? `${summary.what} + ${rest.length} more` : summary.what,
    effect: effects.size === 1 ? effectOf(first) : "mixed",
  };
}

export type { PolicySource } from "../domain/policy/draft";

export interface CompiledStatement extends StatementMeta {
  /** The Cedar policy id: `<policy id>#<index>`. */
  id: string;
  text: string;
  scope: StatementScope;
  reads: Reads;
  /** Identifies the statement's exact text: slices with the same keys are the same slice. */
  key: string;
}

// The pool of preparsed-set ids, shared by every copy of this module in the process (they share
// the one wasm instance that node_modules loads).
const SLOT_CAPACITY = 4096;
interface SlotPool {
  next: number;
  slotOf: Map<string, string>;
  signatureOf: Map<string, string>;
}
const globalForCedar = globalThis as unknown as { agentryCedarSlots?: SlotPool };
function slots(): SlotPool {
  globalForCedar.agentryCedarSlots ??= { next: 0, slotOf: new Map(), signatureOf: new Map() };
  return globalForCedar.agentryCedarSlots;
}

function signatureOf(statements: readonly CompiledStatement[]): string {
  return createHash("sha256")
    .update(statements.map((statement) => statement.key).join("\n"))
    .digest("base64url");
}

function preparsedSlot(statements: readonly CompiledStatement[], signature: string): string {
  const pool = slots();
  const existing = pool.slotOf.get(signature);
  if (existing && pool.signatureOf.get(existing) === signature) return existing;
  const slot = `agentry-${pool.next % SLOT_CAPACITY}`;
  pool.next += 1;
  const evicted = pool.signatureOf.get(slot);
  if (evicted) pool.slotOf.delete(evicted);
  const answer = cedar.preparsePolicySet(slot, { staticPolicies: Object.fromEntries(statements.map((statement) => [statement.id, statement.text])) });
  if (answer.type !== "success") throw new Error(`Cedar refused a compiled policy slice: ${answer.errors.map((error) => error.message).join("; ")}`);
  pool.slotOf.set(signature, slot);
  pool.signatureOf.set(slot, signature);
  return slot;
}

const SLICE_MEMO_LIMIT = 20_000;
/** Answers remembered per slice (see answerKey); the memo starts over when full. */
const ANSWER_MEMO_LIMIT = 10_000;

interface Slice {
  slot: string | null;
  signature: string;
  statements: CompiledStatement[];
  reads: Reads;
  answers: Map<string, PolicyOutcome>;
}

/**
 * Everything of `request` that the slice's statements can read: every entity but the two that
 * carry the arguments (the principal and any other agent, with all their attributes), the action,
 * the resource, and only the context values and argument tags the conditions name. Two requests
 * with the same key get the same answer from Cedar.
 */
function answerKey(request: CedarRequest, reads: Exclude<Reads, "everything">): string {
  const parts: unknown[] = [request.action.id, request.resource.type, request.resource.id];
  for (const entity of request.entities) {
    const type = "__entity" in entity.uid ? entity.uid.__entity.type : entity.uid.type;
    if (type === "Arguments" || type === "TextArguments") {
      const tagged = type === "Arguments" ? "arguments" : "textArguments";
      const names = reads.tags.get(tagged);
      if (names) for (const name of names) parts.push(tagged, name, entity.tags?.[name] ?? null);
    } else {
      parts.push(entity);
    }
  }
  for (const value of reads.values) parts.push(value, request.context[value] ?? null);
  return JSON.stringify(parts);
}

export class CompiledPolicySet {
  readonly statements: readonly CompiledStatement[];
  private readonly byId: Map<string, CompiledStatement>;
  private readonly slices = new Map<string, Slice>();

  constructor(statements: CompiledStatement[]) {
    this.statements = statements;
    this.byId = new Map(statements.map((statement) => [statement.id, statement]));
  }

  private slice(request: CedarRequest, teamName: string | null) {
    const memoKey = [request.principal.id, teamName ?? "", request.action.id, request.resource.type, request.resource.id].join("\u0000");
    let slice = this.slices.get(memoKey);
    if (!slice) {
      const target = { agentName: request.principal.id, teamName, actionType: request.action.id, resourceType: request.resource.type, resourceName: request.resource.id };
      // A loop, not filter(callback): see server/domain/policy/outcome.ts on V8's deoptimiser.
      const statements: CompiledStatement[] = [];
      for (const statement of this.statements) if (scopeApplies(statement.scope, target)) statements.push(statement);
      slice = { slot: null, signature: signatureOf(statements), statements, reads: mergeReads(statements.map((statement) => statement.reads)), answers: new Map() };
      if (this.slices.size >= SLICE_MEMO_LIMIT) this.slices.clear();
      this.slices.set(memoKey, slice);
    }
    return slice;
  }

  /** The statements this request is weighed against (what evaluate hands Cedar). */
  applicable(request: CedarRequest, teamName: string | null): readonly CompiledStatement[] {
    return this.slice(request, teamName).statements;
  }

  evaluate(request: CedarRequest, teamName: string | null): PolicyOutcome {
    const slice = this.slice(request, teamName);
    if (slice.statements.length === 0) return combineAnswer({ decision: "deny", reason: [], errors: [] }, () => undefined);
    if (slice.reads === "everything") return this.ask(slice, request);
    const key = answerKey(request, slice.reads);
    const known = slice.answers.get(key);
    if (known) return known;
    const outcome = this.ask(slice, request);
    if (slice.answers.size >= ANSWER_MEMO_LIMIT) slice.answers.clear();
    slice.answers.set(key, outcome);
    return outcome;
  }

  /** Cedar's own answer for the slice (evaluated, never memoised). */
  private ask(slice: Slice, request: CedarRequest): PolicyOutcome {
    // The slot may have been reused for another slice since: then preparse it again.
    if (slice.slot === null || slots().signatureOf.get(slice.slot) !== slice.signature) slice.slot = preparsedSlot(slice.statements, slice.signature);
    const answer = cedar.statefulIsAuthorized({
      principal: request.principal,
      action: request.action,
      resource: request.resource,
      context: request.context,
      entities: request.entities,
      preparsedPolicySetId: slice.slot,
    });
    if (answer.type !== "success") throw new Error(`Cedar could not evaluate the request: ${answer.errors.map((error) => error.message).join("; ")}`);
    const { decision, diagnostics } = answer.response;
    const errors: { policyId: string; message: string }[] = [];
    for (const error of diagnostics.errors) errors.push({ policyId: error.policyId, message: error.error.message });
    return combineAnswer({ decision, reason: diagnostics.reason, errors }, (id) => this.byId.get(id));
  }
}

// What compiling learned about each policy text (its statements, or why it was refused): a change
// to one policy then re-reads only that one. Keyed by the exact text; the schema is a constant.
type TextVerdict = { statements: ParsedStatement[] } | { errors: PolicyProblem[] };
const TEXT_CACHE_LIMIT = 10_000;
const textCache = new Map<string, TextVerdict>();

function remember(text: string, verdict: TextVerdict): void {
  if (textCache.size >= TEXT_CACHE_LIMIT) textCache.clear();
  textCache.set(text, verdict);
}

/** Reads and validates the texts not seen before; all new statements are validated in one call (~5 ms each otherwise). */
function learn(texts: readonly string[]): void {
  const fresh = [...new Set(texts)].filter((text) => !textCache.has(text));
  const split: { text: string; parts: string[] }[] = [];
  for (const text of fresh) {
    const parts = cedar.policySetTextToParts(text);
    if (parts.type !== "success") remember(text, { errors: parts.errors.map((error) => problem(text, error, "error")) });
    else if (parts.policy_templates.length > 0 || parts.policies.length === 0) remember(text, { errors: [{ line: 1, column: 1, message: "No statements, or a template", severity: "error" }] });
    else split.push({ text, parts: parts.policies });
  }
  if (split.length === 0) return;
  const all = Object.fromEntries(split.flatMap(({ parts }, index) => parts.map((part, statement) => [`${index}#${statement}`, part])));
  const validation = cedar.validate({ schema: schema(), policies: { staticPolicies: all }, validationSettings: { mode: "strict" } });
  const invalid = new Map<number, PolicyProblem[]>();
  if (validation.type === "failure") {
    // Cannot happen for texts that each parsed; refuse them all rather than guess.
    split.forEach(({ text }, index) =>
      invalid.set(
        index,
        validation.errors.map((error) => problem(text, error, "error")),
      ),
    );
  } else {
    for (const error of validation.validationErrors) {
      const index = Number(error.policyId.slice(0, error.policyId.indexOf("#")));
      invalid.set(index, [...(invalid.get(index) ?? []), problem(all[error.policyId] ?? "", error.error, "error")]);
    }
  }
  split.forEach(({ text, parts }, index) => {
    const errors = invalid.get(index);
    remember(text, errors ? { errors } : { statements: parts.map(parseStatement) });
  });
}

/**
 * Compiles policies into a set. Each text must have passed checkPolicyText; one that no longer
 * does (a schema change) is left out and reported, never silently half-applied.
 */
export function compilePolicySet(policies: readonly PolicySource[]): { set: CompiledPolicySet; problems: { policyId: string; name: string; errors: PolicyProblem[] }[] } {
  learn(policies.map((policy) => policy.cedar));
  const problems: { policyId: string; name: string; errors: PolicyProblem[] }[] = [];
  const statements: CompiledStatement[] = [];
  for (const policy of policies) {
    const verdict = textCache.get(policy.cedar) ?? { errors: [{ line: 1, column: 1, message: "Not compiled", severity: "error" as const }] };
    if ("errors" in verdict) {
      problems.push({ policyId: policy.id, name: policy.name, errors: verdict.errors });
      continue;
    }
    verdict.statements.forEach((statement, index) => {
      const id = `${policy.id}#${index}`;
      statements.push({
        id,
        text: statement.text,
        scope: statement.scope,
        reads: statement.reads,
        key: `${id}:${createHash("sha256").update(statement.text).digest("base64url")}`,
        policyId: policy.id,
        policyName: policy.name,
        effect: statement.effect,
        approval: statement.approval,
        reason: statement.reason,
      });
    });
  }
  return { set: new CompiledPolicySet(statements), problems };
}
