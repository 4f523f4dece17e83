// The policy engine the decide pipeline calls: an org's enforced policies, compiled once per
// change and cached in this process; every process drops its copy when any process NOTIFYs a
// `policy` change (server/db/notify.ts), and the process that made the change drops it at once.
import "server-only";
import { changeConcerns, isListening, onChange } from "../db/notify";
import { getPool } from "../db/pool";
import { applyDraft, type DraftChange } from "../domain/policy/draft";
import type { PolicyOutcome } from "../domain/policy/outcome";
import { toCedarRequest, type AgentFacts, type PolicyRequest } from "../domain/policy/request";
import { compilePolicySet, type CompiledPolicySet, type PolicySource } from "./cedar";

export type { PolicyOutcome, PolicyReason } from "../domain/policy/outcome";
export type { PolicyRequest } from "../domain/policy/request";

export type DefaultDecision = "allow" | "deny";

interface OrgPolicies {
  sources: PolicySource[];
  set: CompiledPolicySet;
  defaultDecision: DefaultDecision;
  /** When the cache may no longer be trusted (no LISTEN connection: changes could be missed). */
  expiresAt: number;
}

interface EngineState {
  orgs: Map<string, Promise<OrgPolicies>>;
  subscribed: boolean;
}

const UNTRUSTED_TTL_MS = 1_000;
const globalForEngine = globalThis as unknown as { agentryPolicyEngine?: EngineState };

function state(): EngineState {
  const engine = (globalForEngine.agentryPolicyEngine ??= { orgs: new Map(), subscribed: false });
  if (!engine.subscribed) {
    engine.subscribed = true;
    onChange((change) => {
      if (change.orgId === "*") engine.orgs.clear();
      else if (changeConcerns(change, change.orgId, ["policy"])) engine.orgs.delete(change.orgId);
    });
  }
  return engine;
}

/** Drops this process's copy of the org's policies (other processes hear the NOTIFY). */
export function invalidatePolicies(orgId: string): void {
  state().orgs.delete(orgId);
}

/** The org's setting, stored in orgs.settings.policyDefault; anything but "allow" is deny. */
export function defaultDecisionOf(settings: unknown): DefaultDecision {
  return (settings as { policyDefault?: unknown } | null)?.policyDefault === "allow" ? "allow" : "deny";
}

async function load(orgId: string): Promise<OrgPolicies> {
  const pool = getPool();
  const [policies, org] = await Promise.all([
    pool.query<PolicySource>("SELECT id, name, cedar FROM policies WHERE org_id = $1 AND status = 'enforced' ORDER BY created_at, id", [orgId]),
    pool.query<{ settings: unknown }>("SELECT settings FROM orgs WHERE id = $1", [orgId]),
  ]);
  const { set, problems } = compilePolicySet(policies.rows);
  for (const broken of problems) {
    console.error(`Policy "${broken.name}" (${broken.policyId}) of org ${orgId} no longer validates and is not enforced: ${broken.errors.map((error) => error.message).join("; ")}`);
  }
  return { sources: policies.rows, set, defaultDecision: defaultDecisionOf(org.rows[0]?.settings), expiresAt: isListening() ? Number.POSITIVE_INFINITY : Date.now() + UNTRUSTED_TTL_MS };
}

async function orgPolicies(orgId: string): Promise<OrgPolicies> {
  const engine = state();
  const cached = engine.orgs.get(orgId);
  if (cached) {
    const value = await cached;
    if (value.expiresAt > Date.now() && (value.expiresAt !== Number.POSITIVE_INFINITY || isListening())) return value;
    if (engine.orgs.get(orgId) === cached) engine.orgs.delete(orgId);
  }
  const loading = load(orgId);
  engine.orgs.set(orgId, loading);
  loading.catch(() => {
    if (engine.orgs.get(orgId) === loading) engine.orgs.delete(orgId);
  });
  return loading;
}

/** The compiled enforced set (for simulation against what is enforced now). */
export async function enforcedPolicySet(orgId: string): Promise<CompiledPolicySet> {
  return (await orgPolicies(orgId)).set;
}

/** The enforced set with a draft change applied, compiled (not cached: drafts change at every keystroke). */
export async function draftPolicySet(orgId: string, draft: DraftChange): Promise<CompiledPolicySet> {
  return compilePolicySet(applyDraft((await orgPolicies(orgId)).sources, draft)).set;
}

interface AgentRow {
  name: string;
  team_name: string | null;
  tags: string[];
  risk_class: string | null;
  tools: string[];
  models: string[];
  data_categories: string[];
}

const AGENT_FACTS_SQL = `SELECT a.name, t.name AS team_name, a.tags, a.risk_class, a.tools, a.models, a.data_categories
  FROM agents a LEFT JOIN teams t ON t.id = a.team_id`;

function factsOf(row: AgentRow): AgentFacts {
  return { name: row.name, teamName: row.team_name, tags: row.tags, riskClass: row.risk_class, tools: row.tools, models: row.models, dataCategories: row.data_categories };
}

/** What policies read about the requesting agent; its registered lists come from the registry when not given. */
export async function principalFacts(orgId: string, agent: PolicyRequest["agent"]): Promise<AgentFacts> {
  let { tools, models, dataCategories } = agent;
  if (tools === undefined || models === undefined || dataCategories === undefined) {
    const { rows } = await getPool().query<AgentRow>(`${AGENT_FACTS_SQL} WHERE a.org_id = $1 AND a.id = $2`, [orgId, agent.id]);
    const row = rows[0];
    tools ??= row?.tools ?? [];
    models ??= row?.models ?? [];
    dataCategories ??= row?.data_categories ?? [];
  }
  return { name: agent.name, teamName: agent.teamName, tags: agent.tags, riskClass: agent.riskClass, tools, models, dataCategories };
}

/** The agent a `delegate` action names, so policies can read its attributes too. */
export async function delegateFacts(orgId: string, name: string): Promise<AgentFacts> {
  const { rows } = await getPool().query<AgentRow>(`${AGENT_FACTS_SQL} WHERE a.org_id = $1 AND a.name = $2`, [orgId, name]);
  const row = rows[0];
  return row ? factsOf(row) : { name, teamName: null, tags: [], riskClass: null, tools: [], models: [], dataCategories: [] };
}

/** Evaluates `request` against `set` (the enforced set, or a draft for simulate and impact). */
export async function evaluateAgainst(set: CompiledPolicySet, orgId: string, request: PolicyRequest): Promise<PolicyOutcome> {
  const principal = await principalFacts(orgId, request.agent);
  const target = request.action.type === "delegate" ? await delegateFacts(orgId, request.action.name) : null;
  return set.evaluate(toCedarRequest(request, principal, target), principal.teamName);
}

/**
 * What the org's enforced policies say about `request`: allow, deny, require_approval, or
 * no_match (then `orgDefaultDecision` decides). See server/domain/policy/outcome.ts.
 */
export async function evaluatePolicies(orgId: string, request: PolicyRequest): Promise<PolicyOutcome> {
  return evaluateAgainst((await orgPolicies(orgId)).set, orgId, request);
}

/** The org's answer when no policy matches: deny unless the org chose allow. */
export async function orgDefaultDecision(orgId: string): Promise<DefaultDecision> {
  return (await orgPolicies(orgId)).defaultDecision;
}
