// Who is calling the agent API: a key from `Authorization: Bearer`, looked up by its hash. The
// org comes from the key, never from anything else the client sends.
import "server-only";
import { getPool } from "../db/pool";
import { bearerKey, hashApiKey, looksLikeApiKey } from "../domain/keys/api-key";
import { RateLimiter, rateLimitConfig } from "../domain/telemetry/rate-limit";
import { DEFAULT_REDACTION_DETECTORS, REDACTION_DETECTORS, type RedactionDetector } from "../domain/redaction/redact";
import { ApiError } from "./http";

export interface AgentRef {
  id: string;
  name: string;
  teamId: string | null;
  status: string;
}

/** What the decide pipeline weighs about the agent behind an agent key. */
export interface AgentProfile extends AgentRef {
  teamName: string | null;
  tags: string[];
  riskClass: string | null;
  tools: string[];
  models: string[];
  dataCategories: string[];
  loopThreshold: number | null;
  loopWindowSec: number | null;
}

export interface AgentPrincipal {
  keyId: string;
  orgId: string;
  kind: "agent" | "ingest";
  /** The agent an agent key is bound to; null for an org ingest key. */
  agent: AgentProfile | null;
  redaction: ReadonlySet<RedactionDetector>;
}

interface KeyRow {
  id: string;
  org_id: string;
  kind: "agent" | "ingest";
  agent_id: string | null;
  agent_name: string | null;
  team_id: string | null;
  agent_status: string | null;
  team_name: string | null;
  tags: string[] | null;
  risk_class: string | null;
  tools: string[] | null;
  models: string[] | null;
  data_categories: string[] | null;
  loop_threshold: number | null;
  loop_window_sec: number | null;
  settings: unknown;
  stale: boolean;
}

export function redactionSetting(settings: unknown): ReadonlySet<RedactionDetector> {
  const configured = (settings as { redaction?: { detectors?: unknown } } | null)?.redaction?.detectors;
  if (!Array.isArray(configured)) return new Set(DEFAULT_REDACTION_DETECTORS);
  return new Set(configured.filter((name): name is RedactionDetector => (REDACTION_DETECTORS as readonly string[]).includes(name)));
}

const globalForLimiter = globalThis as unknown as { agentryRateLimiter?: RateLimiter };

/**
 * Per key, in this process's memory (see rate-limit.ts): with several replicas each one counts
 * on its own. Every agent API endpoint authenticates, so every one is limited.
 */
function enforceRateLimit(keyId: string): void {
  globalForLimiter.agentryRateLimiter ??= new RateLimiter(rateLimitConfig(process.env.AGENTRY_RATE_LIMIT_RPS, process.env.AGENTRY_RATE_LIMIT_BURST));
  const { allowed, retryAfterSeconds } = globalForLimiter.agentryRateLimiter.take(keyId, performance.now());
  if (!allowed) {
    throw new ApiError("rate_limited", `Too many requests with this key; retry in ${retryAfterSeconds} s.`, undefined, { "Retry-After": String(retryAfterSeconds) });
  }
}

export async function authenticateAgent(request: Request): Promise<AgentPrincipal> {
  const key = bearerKey(request.headers.get("authorization"));
  if (!key) throw new ApiError("unauthorized", "Send your key as `Authorization: Bearer <key>`.");
  if (!looksLikeApiKey(key)) throw new ApiError("unauthorized", "That key is not valid.");
  const pool = getPool();
  const { rows } = await pool.query<KeyRow>(
    `SELECT k.id, k.org_id, k.kind, k.agent_id, a.name AS agent_name, a.team_id, a.status AS agent_status, t.name AS team_name,
            a.tags, a.risk_class, a.tools, a.models, a.data_categories, a.loop_threshold, a.loop_window_sec, o.settings,
            (k.last_used_at IS NULL OR k.last_used_at < now() - interval '60 seconds') AS stale
       FROM api_keys k
       JOIN orgs o ON o.id = k.org_id
       LEFT JOIN agents a ON a.id = k.agent_id
       LEFT JOIN teams t ON t.id = a.team_id
      WHERE k.hash = $1 AND k.revoked_at IS NULL`,
    [hashApiKey(key)],
  );
  const row = rows[0];
  if (!row) throw new ApiError("unauthorized", "That key is not valid or has been revoked.");
  enforceRateLimit(row.id);
  if (row.stale) {
    // At most one write a minute per key: "last used" is for people, not for accounting.
    pool.query("UPDATE api_keys SET last_used_at = now() WHERE id = $1", [row.id]).catch(() => {});
  }
  return {
    keyId: row.id,
    orgId: row.org_id,
    kind: row.kind,
    agent:
      row.kind === "agent" && row.agent_id && row.agent_name && row.agent_status
        ? {
            id: row.agent_id,
            name: row.agent_name,
            teamId: row.team_id,
            status: row.agent_status,
            teamName: row.team_name,
            tags: row.tags ?? [],
            riskClass: row.risk_class,
            tools: row.tools ?? [],
            models: row.models ?? [],
            dataCategories: row.data_categories ?? [],
            loopThreshold: row.loop_threshold,
            loopWindowSec: row.loop_window_sec,
          }
        : null,
    redaction: redactionSetting(row.settings),
  };
}

/** For endpoints that act as one agent (heartbeat, decide, directives): agent keys only. */
export function requireAgentKey(principal: AgentPrincipal): AgentProfile {
  if (!principal.agent) throw new ApiError("forbidden", "This endpoint needs an agent key; an org ingest key speaks for no single agent.");
  return principal.agent;
}
