// GET /api/v1/directives/stream: Server-Sent Events carrying an agent's directives, on connect and
// on every change. Changes arrive through LISTEN/NOTIFY (server/db/notify.ts) from whichever
// process made them; this process recomputes the directives once per agent (not per connection)
// and sends them to each connection whose last message differs. Comments every 15 s keep proxies
// from closing an idle stream; the same tick marks the connected instances as alive in the
// database, so every replica's Kill switches page can count them.
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { orgFacts } from "../data/facts";
import { touchStreamingInstances } from "../data/instances";
import { onChange } from "../db/notify";
import { getPool } from "../db/pool";
import type { Directives } from "../domain/decide/directives";
import type { AgentProfile } from "../domain/decide/types";
import { logError } from "../runtime/log";
import { directivesFor } from "./directives";

export const STREAM_HEARTBEAT_MS = 15_000;
/** What the client waits before reconnecting after the stream drops (the SSE `retry:` field). */
const RECONNECT_MS = 2_000;
/** A client that stops reading is dropped once this many messages are queued for it. */
const MAX_QUEUED = 64;

interface Connection {
  orgId: string;
  /** The key the stream was opened with: a revoked key ends the stream at the next tick. */
  keyId: string | null;
  agent: AgentProfile;
  instanceId: string;
  connectedAt: Date;
  /** The last directives sent, as JSON: only a difference is sent again. */
  last: string | null;
  /** The computation that produced `last`: an older one finishing late must not overwrite it. */
  appliedSeq: number;
  write(text: string): boolean;
  close(): void;
}

interface StreamState {
  byOrg: Map<string, Set<Connection>>;
  pendingOrgs: Set<string>;
  flushScheduled: boolean;
  unsubscribe: (() => void) | null;
  ticker: ReturnType<typeof setInterval> | null;
  /** At shutdown (closeSharedConnections): ends every stream, so its agent reconnects to another replica. */
  stop: () => void;
}

let computeSeq = 0;

interface Message {
  json: string;
  event: string;
}

function messageOf(directives: Directives): Message {
  return { json: JSON.stringify(directives), event: formatDirectivesEvent(directives) };
}

/** Sends `message` (computed as number `seq`) unless a newer computation already reached `c`, or nothing changed. */
function deliver(c: Connection, seq: number, message: Message): void {
  if (seq < c.appliedSeq) return;
  c.appliedSeq = seq;
  if (c.last === message.json) return;
  c.last = message.json;
  if (!c.write(message.event)) c.close();
}

const globalForStream = globalThis as unknown as { agentryDirectiveStreams?: StreamState };

function state(): StreamState {
  if (!globalForStream.agentryDirectiveStreams) {
    const s: StreamState = { byOrg: new Map(), pendingOrgs: new Set(), flushScheduled: false, unsubscribe: null, ticker: null, stop: () => stopStreams(s) };
    globalForStream.agentryDirectiveStreams = s;
  }
  return globalForStream.agentryDirectiveStreams;
}

function stopStreams(s: StreamState): void {
  if (s.ticker) clearInterval(s.ticker);
  s.ticker = null;
  s.unsubscribe?.();
  s.unsubscribe = null;
  for (const connections of [...s.byOrg.values()]) for (const c of [...connections]) c.close();
}

/** Ends every stream of this process (at shutdown): each agent reconnects, to another process behind the balancer. */
export function endDirectiveStreams(): void {
  globalForStream.agentryDirectiveStreams?.stop();
}

/** The instances connected to this process, per org (for the console and tests). */
export function connectedInstances(orgId?: string): { orgId: string; agentId: string; instanceId: string; connectedAt: Date }[] {
  const out: { orgId: string; agentId: string; instanceId: string; connectedAt: Date }[] = [];
  for (const [org, connections] of state().byOrg) {
    if (orgId !== undefined && org !== orgId) continue;
    for (const c of connections) out.push({ orgId: org, agentId: c.agent.id, instanceId: c.instanceId, connectedAt: c.connectedAt });
  }
  return out;
}

export function formatDirectivesEvent(directives: Directives): string {
  return `id: ${directives.revision}\nevent: directives\ndata: ${JSON.stringify(directives)}\n\n`;
}

function ensureSubscribed(s: StreamState): void {
  s.unsubscribe ??= onChange((change) => {
    if (change.orgId === "*") for (const orgId of s.byOrg.keys()) s.pendingOrgs.add(orgId);
    else if (s.byOrg.has(change.orgId)) s.pendingOrgs.add(change.orgId);
    else return;
    // After the other listeners of this notification (the caches) have dropped what they held.
    if (!s.flushScheduled) {
      s.flushScheduled = true;
      setImmediate(() => {
        s.flushScheduled = false;
        const orgs = [...s.pendingOrgs];
        s.pendingOrgs.clear();
        for (const orgId of orgs) void pushOrg(orgId);
      });
    }
  });
  if (!s.ticker) {
    s.ticker = setInterval(() => void tick(s), STREAM_HEARTBEAT_MS);
    s.ticker.unref?.();
  }
}

/** Recomputes the org's directives once per agent and sends each connection what changed. */
async function pushOrg(orgId: string): Promise<void> {
  const connections = state().byOrg.get(orgId);
  if (!connections || connections.size === 0) return;
  const byAgent = new Map<string, Connection[]>();
  for (const c of connections) {
    const list = byAgent.get(c.agent.id);
    if (list) list.push(c);
    else byAgent.set(c.agent.id, [c]);
  }
  // Everything is computed first and then written in one pass: every connection of the org gets
  // the change at the same moment, and the first agents' acknowledgements (heartbeats arriving at
  // once) cannot hold up the writes to the rest.
  let facts: Awaited<ReturnType<typeof orgFacts>>;
  try {
    facts = await orgFacts(orgId);
  } catch (error) {
    logError("directives stream: could not load the org's facts", { orgId, error });
    return;
  }
  const computed = await Promise.all(
    [...byAgent.values()].map(async (group) => {
      const first = group[0];
      if (!first) return null;
      // The registry's profile of now (status, team, tags), not the one the stream opened with.
      const agent = facts.agents.get(first.agent.id) ?? first.agent;
      try {
        // Each instance is told its own version (rollouts assign versions per instance).
        return await Promise.all(
          group.map(async (c) => {
            c.agent = agent;
            return { c, seq: ++computeSeq, message: messageOf(await directivesFor(facts, agent, { unit: c.instanceId })) };
          }),
        );
      } catch (error) {
        logError("directives stream: recompute failed", { orgId, error });
        return null;
      }
    }),
  );
  for (const results of computed) for (const result of results ?? []) deliver(result.c, result.seq, result.message);
}

/** Streams live for hours: ends those whose key was revoked (or whose agent is gone) since they connected. */
async function revalidate(s: StreamState): Promise<void> {
  const connections = [...s.byOrg.values()].flatMap((set) => [...set]).filter((c) => c.keyId !== null);
  if (connections.length === 0) return;
  const keyIds = [...new Set(connections.map((c) => c.keyId ?? ""))];
  const { rows } = await getPool().query<{ key_id: string }>(`SELECT k.id::text AS key_id FROM api_keys k JOIN agents a ON a.id = k.agent_id WHERE k.id = ANY ($1::uuid[]) AND k.revoked_at IS NULL`, [keyIds]);
  const valid = new Set(rows.map((row) => row.key_id));
  for (const c of connections) if (!valid.has(c.keyId ?? "")) c.close();
}

/** What the 15 s tick does to keys and profiles, on demand (tests). */
export function revalidateDirectiveStreams(): Promise<void> {
  return revalidate(state());
}

async function tick(s: StreamState): Promise<void> {
  await revalidate(s).catch((error: unknown) => {
    logError("directives stream: could not revalidate keys", { error });
  });
  const alive: { orgId: string; agentId: string; instanceId: string }[] = [];
  for (const connections of s.byOrg.values()) {
    for (const c of connections) {
      if (!c.write(": keep-alive\n\n")) c.close();
      else alive.push({ orgId: c.orgId, agentId: c.agent.id, instanceId: c.instanceId });
    }
  }
  // Also a safety net for changes nobody notified (a budget running out as events arrive).
  for (const orgId of s.byOrg.keys()) void pushOrg(orgId);
  await touchStreamingInstances(dedupe(alive)).catch((error: unknown) => {
    logError("directives stream: could not mark instances alive", { error });
  });
}

function dedupe<T extends { agentId: string; instanceId: string }>(items: T[]): T[] {
  const seen = new Map<string, T>();
  for (const item of items) seen.set(`${item.agentId}\u0000${item.instanceId}`, item);
  return [...seen.values()];
}

/** The instance id a stream speaks for: `?instanceId=` or the `X-Instance-Id` header; a default per agent otherwise. */
export function streamInstanceId(url: URL, headers: IncomingMessage["headers"]): string | null {
  const header = headers["x-instance-id"];
  const raw = url.searchParams.get("instanceId") ?? (typeof header === "string" ? header : null);
  if (raw === null) return null;
  const value = raw.trim();
  return value.length > 0 && value.length <= 200 && !value.includes("\u0000") ? value : "";
}

/**
 * Opens the stream for one agent instance. The first message (the current directives) is written
 * with the headers, so a client that sees headers also sees where it stands.
 */
export async function openDirectivesStream(
  request: IncomingMessage,
  response: ServerResponse,
  { facts, agent, instanceId, keyId }: { facts: Awaited<ReturnType<typeof orgFacts>>; agent: AgentProfile; instanceId: string; keyId: string | null },
): Promise<void> {
  const s = state();
  ensureSubscribed(s);
  const orgId = facts.orgId;
  let closed = false;
  const c: Connection = {
    orgId,
    keyId,
    agent,
    instanceId,
    connectedAt: new Date(),
    last: null,
    appliedSeq: 0,
    write(text) {
      if (closed || response.destroyed) return false;
      // A client that stops reading is dropped rather than buffered for without end.
      if (response.writableLength > MAX_QUEUED * 1024) return false;
      response.write(text);
      return true;
    },
    close() {
      if (closed) return;
      closed = true;
      unregister(s, c);
      response.end();
    },
  };
  // Registered before the first computation: a change notified meanwhile is not missed.
  let set = s.byOrg.get(orgId);
  if (!set) {
    set = new Set();
    s.byOrg.set(orgId, set);
  }
  set.add(c);
  request.on("close", () => {
    closed = true;
    unregister(s, c);
  });

  const seq = ++computeSeq;
  let first: Message;
  try {
    first = messageOf(await directivesFor(facts, agent, { unit: instanceId }));
  } catch (error) {
    closed = true;
    unregister(s, c);
    throw error;
  }
  response.writeHead(200, {
    "Content-Type": "text/event-stream; charset=utf-8",
    // no-transform: response compression must not buffer the stream.
    "Cache-Control": "no-cache, no-transform",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no",
  });
  response.flushHeaders();
  c.write(`retry: ${RECONNECT_MS}\n\n`);
  deliver(c, seq, first);
  // Alive for every replica's page at once, not only after the first tick.
  touchStreamingInstances([{ orgId, agentId: agent.id, instanceId }]).catch((error: unknown) => {
    logError("directives stream: could not mark the instance alive", { error });
  });
}

function unregister(s: StreamState, c: Connection): void {
  const set = s.byOrg.get(c.orgId);
  if (!set) return;
  set.delete(c);
  if (set.size === 0) s.byOrg.delete(c.orgId);
}
