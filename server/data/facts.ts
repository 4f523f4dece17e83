// The per-org facts every decision reads, held in memory by each process: the registry's agent
// profiles, the org's settings, engaged kill switches and the directive revision, the compiled
// policies, the model registry and routing rules, budget definitions, and agent versions with
// their running rollouts. Each part is loaded once
// and kept until a change of its kind is heard (server/db/change-cache.ts; fact tables notify
// through triggers), so a warm decision reads no table for them. Also here: the index from an API
// key's hash to its org, key and agent.
import "server-only";
import type pg from "pg";
import { changeCache, type ChangeCache } from "../db/change-cache";
import type { ChangeKind } from "../db/notify";
import { getPool } from "../db/pool";
import type { BudgetMode, BudgetScope } from "../domain/budget/arithmetic";
import type { BudgetPeriod } from "../domain/budget/period";
import type { AgentProfile, AgentStatus, BudgetDefinition, DefaultDecision, OrgFacts } from "../domain/decide/types";
import type { ActiveSwitch, KillSwitchScope } from "../domain/killswitch/match";
import { DEFAULT_REDACTION_DETECTORS, REDACTION_DETECTORS, type RedactionDetector } from "../domain/redaction/redact";
import type { RoutableModel, RoutingRuleSpec } from "../domain/routing/route";
import { compilePolicySet, type CompiledPolicySet } from "../policy/cedar";
import { logError } from "../runtime/log";
import { loadVersionFacts } from "./version-facts";

/** A safety net only: changes drop a part at once (see change-cache.ts). */
const FACTS_TTL_MS = 60_000;

function part<V>(name: string, kinds: readonly ChangeKind[], load: (pool: pg.Pool, orgId: string) => Promise<V>): ChangeCache<string, V> {
  return changeCache<string, V>({ name: `facts:${name}`, kinds, orgOf: (orgId) => orgId, load: (orgId) => load(getPool(), orgId), ttlMs: FACTS_TTL_MS });
}

// --- agents ------------------------------------------------------------------------------------

interface AgentRow {
  id: string;
  name: string;
  team_id: string | null;
  team_name: string | null;
  status: AgentStatus;
  tags: string[];
  risk_class: string | null;
  tools: string[];
  models: string[];
  data_categories: string[];
  loop_threshold: number | null;
  loop_window_sec: number | null;
}

export function toAgentProfile(row: AgentRow): AgentProfile {
  return {
    id: row.id,
    name: row.name,
    teamId: row.team_id,
    teamName: row.team_name,
    status: row.status,
    tags: row.tags,
    riskClass: row.risk_class,
    tools: row.tools,
    models: row.models,
    dataCategories: row.data_categories,
    loopThreshold: row.loop_threshold,
    loopWindowSec: row.loop_window_sec,
  };
}

export const AGENT_PROFILE_SQL = `SELECT a.id::text, a.name, a.team_id::text, t.name AS team_name, a.status::text AS status, a.tags, a.risk_class, a.tools, a.models,
       a.data_categories, a.loop_threshold, a.loop_window_sec
  FROM agents a LEFT JOIN teams t ON t.id = a.team_id`;

const agentsPart = part("agents", ["agents"], async (pool, orgId) => {
  const { rows } = await pool.query<AgentRow>(`${AGENT_PROFILE_SQL} WHERE a.org_id = $1`, [orgId]);
  const agents = new Map<string, AgentProfile>();
  const agentsByName = new Map<string, AgentProfile>();
  for (const row of rows) {
    const profile = toAgentProfile(row);
    agents.set(profile.id, profile);
    agentsByName.set(profile.name, profile);
  }
  return { agents, agentsByName };
});

// --- org settings ------------------------------------------------------------------------------

export function redactionSetting(settings: unknown): ReadonlySet<RedactionDetector> {
  const configured = (settings as { redaction?: { detectors?: unknown } } | null)?.redaction?.detectors;
  if (!Array.isArray(configured)) return new Set(DEFAULT_REDACTION_DETECTORS);
  return new Set(configured.filter((name): name is RedactionDetector => (REDACTION_DETECTORS as readonly string[]).includes(name)));
}

/** The org's answer when no policy matches (orgs.settings.policyDefault): deny unless the org chose allow. */
export function defaultDecisionOf(settings: unknown): DefaultDecision {
  return (settings as { policyDefault?: unknown } | null)?.policyDefault === "allow" ? "allow" : "deny";
}

const orgPart = part("org", ["org"], async (pool, orgId) => {
  const { rows } = await pool.query<{ settings: unknown }>("SELECT settings FROM orgs WHERE id = $1", [orgId]);
  const settings = rows[0]?.settings ?? null;
  return { redaction: redactionSetting(settings), defaultDecision: defaultDecisionOf(settings) };
});

// --- kill switches and the directive revision -------------------------------------------------

const switchesPart = part("switches", ["killswitch", "directives"], async (pool, orgId) => {
  const [switches, revision] = await Promise.all([
    pool.query<{ id: string; scope: KillSwitchScope; target: string; reason_code: string; reason: string; revision: number }>(
      "SELECT id::text, scope::text AS scope, target, reason_code, reason, revision FROM kill_switches WHERE org_id = $1 AND released_at IS NULL ORDER BY revision",
      [orgId],
    ),
    pool.query<{ revision: number }>("SELECT revision FROM directive_revisions WHERE org_id = $1", [orgId]),
  ]);
  return {
    switches: switches.rows.map((row): ActiveSwitch => ({ id: row.id, scope: row.scope, target: row.target, reasonCode: row.reason_code, reason: row.reason, revision: row.revision })),
    revision: revision.rows[0]?.revision ?? 0,
  };
});

// --- policies ----------------------------------------------------------------------------------

export interface PolicySourceRow {
  id: string;
  name: string;
  cedar: string;
}

const policiesPart = part("policies", ["policy"], async (pool, orgId) => {
  const { rows } = await pool.query<PolicySourceRow>("SELECT id::text, name, cedar FROM policies WHERE org_id = $1 AND status = 'enforced' ORDER BY created_at, id", [orgId]);
  const { set, problems } = compilePolicySet(rows);
  for (const broken of problems) {
    logError("an enforced policy no longer validates and is not enforced", { orgId, policyId: broken.policyId, name: broken.name, errors: broken.errors.map((error) => error.message) });
  }
  return { sources: rows, set };
});

// --- routing -----------------------------------------------------------------------------------

const routingPart = part("routing", ["routing"], async (pool, orgId) => {
  const [models, rules] = await Promise.all([
    pool.query<{ name: string; provider: string; input: string; output: string; quality_tier: number; status: RoutableModel["status"] }>(
      "SELECT name, provider, input_micros_per_mtok::text AS input, output_micros_per_mtok::text AS output, quality_tier, status::text AS status FROM models WHERE org_id = $1 ORDER BY name",
      [orgId],
    ),
    pool.query<{ task_type: string; min_quality: number; allowed_providers: string[]; fallback_chain: string[] }>(
      "SELECT task_type, min_quality, allowed_providers, fallback_chain FROM routing_rules WHERE org_id = $1",
      [orgId],
    ),
  ]);
  return {
    models: models.rows.map((row): RoutableModel => ({
      name: row.name,
      provider: row.provider,
      inputMicrosPerMTok: BigInt(row.input),
      outputMicrosPerMTok: BigInt(row.output),
      qualityTier: row.quality_tier,
      status: row.status,
    })),
    rules: new Map(
      rules.rows.map((row): [string, RoutingRuleSpec] => [row.task_type, { taskType: row.task_type, minQuality: row.min_quality, allowedProviders: row.allowed_providers, fallbackChain: row.fallback_chain }]),
    ),
  };
});

// --- budgets -----------------------------------------------------------------------------------

const budgetsPart = part("budgets", ["budget"], async (pool, orgId) => {
  const { rows } = await pool.query<{
    id: string;
    scope: BudgetScope;
    team_id: string | null;
    agent_id: string | null;
    period: BudgetPeriod;
    mode: BudgetMode;
    limit_micros: string;
    thresholds: number[];
  }>("SELECT id::text, scope::text AS scope, team_id::text, agent_id::text, period::text AS period, mode::text AS mode, limit_micros::text, thresholds FROM budgets WHERE org_id = $1 ORDER BY id", [orgId]);
  return rows.map((row): BudgetDefinition => ({
    id: row.id,
    scope: row.scope,
    teamId: row.team_id,
    agentId: row.agent_id,
    period: row.period,
    mode: row.mode,
    limitMicros: BigInt(row.limit_micros),
    thresholds: row.thresholds,
  }));
});

// --- agent versions and rollouts ----------------------------------------------------------------

const versionsPart = part("versions", ["rollout"], (pool, orgId) => loadVersionFacts(pool, orgId));

// --- the snapshot ------------------------------------------------------------------------------

type Awaitable<T> = T | Promise<T>;

function assemble(
  orgId: string,
  agents: Awaited<ReturnType<typeof agentsPart.get>>,
  org: Awaited<ReturnType<typeof orgPart.get>>,
  switches: Awaited<ReturnType<typeof switchesPart.get>>,
  policies: Awaited<ReturnType<typeof policiesPart.get>>,
  routing: Awaited<ReturnType<typeof routingPart.get>>,
  budgets: Awaited<ReturnType<typeof budgetsPart.get>>,
  versions: Awaited<ReturnType<typeof versionsPart.get>>,
): OrgFacts {
  return {
    orgId,
    agents: agents.agents,
    agentsByName: agents.agentsByName,
    redaction: org.redaction,
    defaultDecision: org.defaultDecision,
    switches: switches.switches,
    revision: switches.revision,
    policies: policies.set,
    models: routing.models,
    routingRules: routing.rules,
    budgets,
    versions,
  };
}

/** The org's facts: synchronously when every part is held (the usual case), else once loaded. */
export function orgFacts(orgId: string): Awaitable<OrgFacts> {
  const parts = [agentsPart.get(orgId), orgPart.get(orgId), switchesPart.get(orgId), policiesPart.get(orgId), routingPart.get(orgId), budgetsPart.get(orgId), versionsPart.get(orgId)] as const;
  if (parts.some((value) => value instanceof Promise)) {
    return Promise.all(parts).then(([agents, org, switches, policies, routing, budgets, versions]) => assemble(orgId, agents, org, switches, policies, routing, budgets, versions));
  }
  const [agents, org, switches, policies, routing, budgets, versions] = parts as unknown as [
    Awaited<ReturnType<typeof agentsPart.get>>,
    Awaited<ReturnType<typeof orgPart.get>>,
    Awaited<ReturnType<typeof switchesPart.get>>,
    Awaited<ReturnType<typeof policiesPart.get>>,
    Awaited<ReturnType<typeof routingPart.get>>,
    Awaited<ReturnType<typeof budgetsPart.get>>,
    Awaited<ReturnType<typeof versionsPart.get>>,
  ];
  return assemble(orgId, agents, org, switches, policies, routing, budgets, versions);
}

/** The enforced policies as written (for drafts and simulation in the console) and compiled. */
export async function enforcedPolicies(orgId: string): Promise<{ sources: readonly PolicySourceRow[]; set: CompiledPolicySet }> {
  return policiesPart.get(orgId);
}

/**
 * Drops this process's facts of the org at once. Other processes drop theirs when the change's
 * NOTIFY arrives; this is for the process that made the change, so that its very next request
 * (which can come before the notification) sees it.
 */
export function forgetFacts(orgId: string): void {
  for (const cache of [agentsPart, orgPart, switchesPart, policiesPart, routingPart, budgetsPart, versionsPart]) cache.forget(orgId);
}

// --- API keys ----------------------------------------------------------------------------------

export interface KeyRecord {
  keyId: string;
  orgId: string;
  kind: "agent" | "ingest";
  /** The agent an agent key is bound to; null for an org ingest key. */
  agentId: string | null;
}

/** Unknown keys are remembered briefly (a flood of bad keys costs one query each at most once per key). */
const keyIndex = changeCache<string, KeyRecord | null>({
  name: "facts:keys",
  kinds: ["keys"],
  load: async (hash) => {
    const { rows } = await getPool().query<{ id: string; org_id: string; kind: "agent" | "ingest"; agent_id: string | null }>(
      "SELECT id::text, org_id::text, kind::text AS kind, agent_id::text FROM api_keys WHERE hash = $1 AND revoked_at IS NULL",
      [hash],
    );
    const row = rows[0];
    return row ? { keyId: row.id, orgId: row.org_id, kind: row.kind, agentId: row.agent_id } : null;
  },
  orgOfValue: (record) => record?.orgId ?? null,
  ttlMs: FACTS_TTL_MS,
  maxEntries: 200_000,
});

/** The live key with this SHA-256 hash, or null (unknown or revoked). */
export function keyByHash(hash: string): Awaitable<KeyRecord | null> {
  return keyIndex.get(hash);
}
