// Change propagation across app processes (docs/architecture.md, "Keeping facts current"): one PostgreSQL
// channel, `agentry_changes`, carrying `{orgId, kind}`. Each process holds ONE dedicated LISTEN
// connection (state on globalThis, so dev reloads and separate route bundles share it) and fans
// every notification out to in-process listeners: caches invalidate on it, the SSE stream pushes
// new directives on it.
//
// After the LISTEN connection is (re)established, notifications sent while it was down are lost,
// so listeners then receive `{ orgId: "*", kind: "*" }` (ANY_CHANGE): "anything may have changed,
// drop what you cached". Caches should also check `isListening()` before trusting themselves.
import type pg from "pg";
import type { Tx } from "../db";
import { logError } from "../runtime/log";
import { getPool } from "./pool";

export const CHANGES_CHANNEL = "agentry_changes";

/**
 * What changed. Fact tables (agents, teams, keys, orgs, budgets, models, routing rules, policies,
 * kill switches) notify through triggers (see the facts_notify migration), so no write can forget;
 * the other kinds are sent by the code that makes the change.
 */
export const CHANGE_KINDS = [
  "agents", // agents and teams: the registry profile decisions read
  "keys", // API keys created or revoked
  "org", // org settings (redaction, the policy default)
  "killswitch",
  "policy",
  "budget", // budget definitions, and a hard budget running out
  "routing", // the model registry and routing rules
  "directives", // the org's directive revision moved for another reason
  "approval", // an approval was decided or expired (long-polls wake on it)
  "rollout", // agent versions and rollouts
  "compliance", // risk classes, data categories and compliance rules
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface Change {
  orgId: string;
  /** A ChangeKind, or "*" after a reconnect. */
  kind: ChangeKind | "*";
}

/** Sent to listeners after a (re)connect: changes may have been missed while not listening. */
export const ANY_CHANGE: Change = Object.freeze({ orgId: "*", kind: "*" });

/** True when `change` may concern `orgId` (and, when given, one of `kinds`). */
export function changeConcerns(change: Change, orgId: string, kinds?: readonly ChangeKind[]): boolean {
  if (change.orgId !== "*" && change.orgId !== orgId) return false;
  if (!kinds || change.kind === "*") return true;
  return kinds.includes(change.kind);
}

type Listener = (change: Change) => void;

interface NotifyState {
  listeners: Set<Listener>;
  /** A connection taken from the process's pool and held for LISTEN. */
  client: pg.PoolClient | null;
  connecting: boolean;
  listening: boolean;
  stopped: boolean;
  attempt: number;
  retryTimer: ReturnType<typeof setTimeout> | null;
  pingTimer: ReturnType<typeof setInterval> | null;
  /** Resolves when the current connection attempt finishes (listening or failed). */
  ready: Promise<void> | null;
  /** For the start script's shutdown (server/db/pool.ts closeSharedConnections), which reaches it on globalThis. */
  stop: () => Promise<void>;
}

const globalForNotify = globalThis as unknown as { agentryNotify?: NotifyState };

function state(): NotifyState {
  globalForNotify.agentryNotify ??= {
    listeners: new Set(),
    client: null,
    connecting: false,
    listening: false,
    stopped: false,
    attempt: 0,
    retryTimer: null,
    pingTimer: null,
    ready: null,
    stop: stopListening,
  };
  return globalForNotify.agentryNotify;
}

const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 5_000;
const PING_INTERVAL_MS = 30_000;

/** Exponential backoff with jitter, capped: 100 ms, 200 ms, 400 ms … 5 s. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function dispatch(change: Change): void {
  for (const listener of [...state().listeners]) {
    try {
      listener(change);
    } catch (error) {
      logError("agentry_changes listener failed", { error });
    }
  }
}

export function parseChange(payload: string | undefined): Change | null {
  if (!payload) return null;
  try {
    const value: unknown = JSON.parse(payload);
    if (typeof value !== "object" || value === null) return null;
    const { orgId, kind } = value as Record<string, unknown>;
    if (typeof orgId !== "string" || typeof kind !== "string") return null;
    if (kind !== "*" && !(CHANGE_KINDS as readonly string[]).includes(kind)) return null;
    return { orgId, kind: kind as ChangeKind | "*" };
  } catch {
    return null;
  }
}

function scheduleReconnect(s: NotifyState): void {
  if (s.stopped || s.retryTimer || s.listeners.size === 0) return;
  const delay = backoffMs(s.attempt);
  s.attempt += 1;
  s.retryTimer = setTimeout(() => {
    s.retryTimer = null;
    void connect(s);
  }, delay);
  s.retryTimer.unref?.();
}

/** Gives a LISTEN connection back to the pool, destroyed: it must not serve queries with a LISTEN on it. */
function discard(client: pg.PoolClient): void {
  client.removeAllListeners("notification");
  client.removeAllListeners("end");
  client.removeAllListeners("error");
  client.on("error", () => {});
  try {
    client.release(true);
  } catch {
    // already released
  }
}

function dropClient(s: NotifyState, client: pg.PoolClient): void {
  if (s.client !== client) return;
  s.client = null;
  s.listening = false;
  if (s.pingTimer) clearInterval(s.pingTimer);
  s.pingTimer = null;
  discard(client);
  scheduleReconnect(s);
}

function connect(s: NotifyState): Promise<void> {
  if (s.stopped || s.client || s.connecting) return s.ready ?? Promise.resolve();
  s.connecting = true;
  s.ready = (async () => {
    let client: pg.PoolClient | null = null;
    try {
      client = await getPool().connect();
      const held = client;
      held.on("error", (error: Error & { code?: string }) => {
        // 57P0x: the server is shutting down or restarting; the reconnect below handles it quietly.
        if (!error.code?.startsWith("57P0")) logError("agentry_changes listener connection error", { error });
        dropClient(s, held);
      });
      held.on("end", () => dropClient(s, held));
      held.on("notification", (message) => {
        if (message.channel !== CHANGES_CHANNEL) return;
        const change = parseChange(message.payload);
        if (change) dispatch(change);
      });
      await held.query(`LISTEN ${CHANGES_CHANNEL}`);
      if (s.stopped) {
        discard(held);
        return;
      }
      s.client = held;
      s.listening = true;
      const reconnected = s.attempt > 0;
      s.attempt = 0;
      // A connection can die silently (a proxy, a sleeping laptop): a cheap query finds out.
      s.pingTimer = setInterval(() => {
        held.query("SELECT 1").catch(() => dropClient(s, held));
      }, PING_INTERVAL_MS);
      s.pingTimer.unref?.();
      if (reconnected) dispatch(ANY_CHANGE);
    } catch (error) {
      if (!s.stopped) logError("agentry_changes LISTEN failed", { error });
      if (client) discard(client);
      // Count the failure so the next attempt backs off and, once connected, listeners drop caches.
      s.attempt = Math.max(s.attempt, 1);
      s.connecting = false;
      scheduleReconnect(s);
      return;
    } finally {
      s.connecting = false;
    }
  })();
  return s.ready;
}

/**
 * Calls `listener` for every change notified by any process (this one included, once the
 * notifying transaction commits). Starts the process's LISTEN connection on first use.
 * Returns the unsubscribe function.
 */
export function onChange(listener: (change: Change) => void): () => void {
  const s = state();
  s.stopped = false;
  s.listeners.add(listener);
  void connect(s);
  return () => {
    s.listeners.delete(listener);
  };
}

/**
 * Tells this process's listeners of a change it just committed itself, at once: its own next
 * request must not wait for the notification's round trip (the NOTIFY still reaches every process,
 * this one included; listeners take a change twice without harm).
 */
export function announceCommitted(change: { orgId: string; kind: ChangeKind }): void {
  dispatch(change);
}

/** True while this process's LISTEN connection is up (a cache must not trust itself otherwise). */
export function isListening(): boolean {
  return state().listening;
}

/** The server process id of this process's LISTEN connection (null when down): for tests of the reconnect. */
export function listenerBackendPid(): number | null {
  const client = state().client as (pg.PoolClient & { processID?: number }) | null;
  return client?.processID ?? null;
}

/** Resolves once the LISTEN connection is up (or the current attempt failed); for tests and benches. */
export async function whenListening(timeoutMs = 5_000): Promise<boolean> {
  const s = state();
  const deadline = Date.now() + timeoutMs;
  while (!s.listening && Date.now() < deadline) {
    if (!s.client && !s.connecting && !s.retryTimer) void connect(s);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return s.listening;
}

/** Closes the LISTEN connection (at shutdown, before the database stops). */
export async function stopListening(): Promise<void> {
  const s = state();
  s.stopped = true;
  if (s.retryTimer) clearTimeout(s.retryTimer);
  s.retryTimer = null;
  if (s.pingTimer) clearInterval(s.pingTimer);
  s.pingTimer = null;
  const client = s.client;
  s.client = null;
  s.listening = false;
  if (client) discard(client);
}

type NotifyTarget = pg.PoolClient | pg.Pool | pg.Client | Tx;

function isPrismaTx(target: NotifyTarget): target is Tx {
  return typeof (target as { $executeRaw?: unknown }).$executeRaw === "function";
}

/**
 * Tells every process that something of `orgId` changed. Inside a transaction PostgreSQL delivers
 * it on commit (and drops it on rollback), so listeners never reload data that is not yet visible.
 * Accepts a node-postgres client/pool or a Prisma transaction client.
 */
export async function notifyChange(client: NotifyTarget, change: { orgId: string; kind: ChangeKind }): Promise<void> {
  const payload = JSON.stringify({ orgId: change.orgId, kind: change.kind });
  if (isPrismaTx(client)) {
    await client.$executeRaw`SELECT pg_notify(${CHANGES_CHANNEL}, ${payload})`;
    return;
  }
  await client.query("SELECT pg_notify($1, $2)", [CHANGES_CHANNEL, payload]);
}
