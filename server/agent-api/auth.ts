// Who is calling the agent API: a key from `Authorization: Bearer`, found by its SHA-256 hash in
// the key index (server/data/facts.ts), with its org's facts. The org comes from the key, never
// from anything else the client sends.
import "server-only";
import type { AuthorizedOrgId } from "../auth/org-id";
import { getPool } from "../db/pool";
import { forgetFacts, keyByHash, orgFacts } from "../data/facts";
import type { AgentProfile, OrgFacts } from "../domain/decide/types";
import { bearerKey, hashApiKey, looksLikeApiKey } from "../domain/keys/api-key";
import type { RedactionDetector } from "../domain/redaction/redact";
import { rateLimits } from "../data/rate-limits";
import { ApiError } from "./http";

export type { AgentProfile } from "../domain/decide/types";

export interface AgentPrincipal {
  keyId: string;
  /** The bearer key's org: the agent API's mint of an AuthorizedOrgId (server/auth/org-id.ts). */
  orgId: AuthorizedOrgId;
  kind: "agent" | "ingest";
  /** The agent an agent key is bound to; null for an org ingest key. */
  agent: AgentProfile | null;
  redaction: ReadonlySet<RedactionDetector>;
}

const globalForAuth = globalThis as unknown as { agentryKeyTouched?: Map<string, number>; agentryAgentReloads?: Map<string, AgentReload> };

/**
 * Per key, decided from this process's memory and reconciled with the other processes every
 * ~250 ms off the request path (server/data/rate-limits.ts). Every agent API endpoint
 * authenticates, so every one is limited.
 */
function enforceRateLimit(keyId: string, orgId: string): void {
  const { allowed, retryAfterSeconds } = rateLimits().take(keyId, orgId);
  if (!allowed) {
    throw new ApiError("rate_limited", `Too many requests with this key; retry in ${retryAfterSeconds} s.`, undefined, { "Retry-After": String(retryAfterSeconds) });
  }
}

const TOUCH_EVERY_MS = 60_000;

/** "Last used" is for people, not accounting: at most one write a minute per key and process, off the request path. */
function touchKey(keyId: string): void {
  const touched = (globalForAuth.agentryKeyTouched ??= new Map());
  const now = Date.now();
  if (now - (touched.get(keyId) ?? 0) < TOUCH_EVERY_MS) return;
  touched.set(keyId, now);
  if (touched.size > 100_000) touched.clear();
  getPool()
    .query("UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '60 seconds')", [keyId])
    .catch(() => {});
}

function principalOf(key: { keyId: string; orgId: string; kind: "agent" | "ingest"; agentId: string | null }, facts: OrgFacts): AgentPrincipal {
  const agent = key.kind === "agent" && key.agentId ? (facts.agents.get(key.agentId) ?? null) : null;
  // An agent key whose agent is gone authenticates nothing.
  if (key.kind === "agent" && !agent) throw new ApiError("unauthorized", "That key is not valid or has been revoked.");
  return { keyId: key.keyId, orgId: key.orgId as AuthorizedOrgId, kind: key.kind, agent, redaction: facts.redaction };
}

/** The caller, with its org's facts (both from memory once warm). */
export async function authenticate(authorization: string | undefined): Promise<{ principal: AgentPrincipal; facts: OrgFacts }> {
  const key = bearerKey(authorization ?? null);
  if (!key) throw new ApiError("unauthorized", "Send your key as `Authorization: Bearer <key>`.");
  if (!looksLikeApiKey(key)) throw new ApiError("unauthorized", "That key is not valid.");
  const found = await keyByHash(hashApiKey(key));
  if (!found) throw new ApiError("unauthorized", "That key is not valid or has been revoked.");
  enforceRateLimit(found.keyId, found.orgId);
  touchKey(found.keyId);
  let facts = await orgFacts(found.orgId);
  if (found.kind === "agent" && found.agentId && !facts.agents.has(found.agentId)) {
    // An agent registered a moment ago whose notification this process has not had yet: its key was
    // read fresh, its org's agents were not. Read them again.
    await reloadAgentsAfter(found.orgId);
    facts = await orgFacts(found.orgId);
  }
  return { principal: principalOf(found, facts), facts };
}

const AGENT_RELOAD_EVERY_MS = 1_000;

interface AgentReload {
  startsAt: number;
  started: boolean;
  done: Promise<void>;
}

/**
 * A reload of the org's facts that begins after this call: one that had already begun may have read
 * the agents before the caller's agent existed. Callers meanwhile join the one scheduled, so a burst
 * from a new agent costs one reload; reloads begin at most once a second per org, so a key whose
 * agent is really gone only waits, it cannot make every request reload.
 */
function reloadAgentsAfter(orgId: string): Promise<void> {
  const reloads = (globalForAuth.agentryAgentReloads ??= new Map<string, AgentReload>());
  const last = reloads.get(orgId);
  if (last && !last.started) return last.done;
  const reload: AgentReload = { startsAt: Math.max(Date.now(), (last?.startsAt ?? 0) + AGENT_RELOAD_EVERY_MS), started: false, done: Promise.resolve() };
  reload.done = (async () => {
    const wait = reload.startsAt - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    reload.started = true;
    forgetFacts(orgId);
    await orgFacts(orgId);
  })();
  reloads.set(orgId, reload);
  if (reloads.size > 100_000) reloads.clear();
  return reload.done;
}

/** For endpoints that act as one agent (heartbeat, decide, directives, approvals): agent keys only. */
export function requireAgentKey(principal: AgentPrincipal): AgentProfile {
  if (!principal.agent) throw new ApiError("forbidden", "This endpoint needs an agent key; an org ingest key speaks for no single agent.");
  return principal.agent;
}
