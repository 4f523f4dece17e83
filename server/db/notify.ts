// Change propagation across app processes (DESIGN.md "Scale beyond one machine"): one PostgreSQL
// channel, `agentry_changes`, carrying `{orgId, kind}`. Each process holds ONE dedicated LISTEN
// connection (state on globalThis, so dev reloads and separate route bundles share it) and fans
// every notification out to in-process listeners: caches invalidate on it, the SSE stream pushes
// new directives on it.
//
// After the LISTEN connection is (re)established, notifications sent while it was down are lost,
// so listeners then receive `{ orgId: "*", kind: "*" }` (ANY_CHANGE): "anything may have changed,
// drop what you cached". Caches should also check `isListening()` before trusting themselves.
import pg from "pg";
import type { Tx } from "../db";
import { env } from "../env";

export const CHANGES_CHANNEL = "agentry_changes";

export type ChangeKind = "killswitch" | "policy" | "budget" | "directives" | "routing";

export interface Change {
  orgId: string;
  kind: string;
}

/** Sent to listeners after a (re)connect: changes may have been missed while not listening. */
export const ANY_CHANGE: Change = Object.freeze({ orgId: "*", kind: "*" });

/** True when `change` may concern `orgId` (and, when given, one of `kinds`). */
export function changeConcerns(change: Change, orgId: string, kinds?: readonly string[]): boolean {
  if (change.orgId !== "*" && change.orgId !== orgId) return false;
  if (!kinds || change.kind === "*") return true;
  return kinds.includes(change.kind);
}

type Listener = (change: Change) => void;

interface NotifyState {
  listeners: Set<Listener>;
  client: pg.Client | null;
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
      console.error("agentry_changes listener failed:", error instanceof Error ? error.message : error);
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
    return { orgId, kind };
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

function dropClient(s: NotifyState, client: pg.Client): void {
  if (s.client !== client) return;
  s.client = null;
  s.listening = false;
  if (s.pingTimer) clearInterval(s.pingTimer);
  s.pingTimer = null;
  client.removeAllListeners("notification");
  client.removeAllListeners("end");
  client.removeAllListeners("error");
  client.on("error", () => {});
  void client.end().catch(() => {});
  scheduleReconnect(s);
}

function connect(s: NotifyState): Promise<void> {
  if (s.stopped || s.client || s.connecting) return s.ready ?? Promise.resolve();
  s.connecting = true;
  const client = new pg.Client({ connectionString: env().DATABASE_URL, keepAlive: true, application_name: "agentry-listen" });
  s.ready = (async () => {
    try {
      client.on("error", (error: Error & { code?: string }) => {
        // 57P0x: the server is shutting down or restarting; the reconnect below handles it quietly.
        if (!error.code?.startsWith("57P0")) console.error("agentry_changes listener connection error:", error.message);
        dropClient(s, client);
      });
      client.on("end", () => dropClient(s, client));
      client.on("notification", (message) => {
        if (message.channel !== CHANGES_CHANNEL) return;
        const change = parseChange(message.payload);
        if (change) dispatch(change);
      });
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      if (s.stopped) {
        await client.end().catch(() => {});
        return;
      }
      s.client = client;
      s.listening = true;
      const reconnected = s.attempt > 0;
      s.attempt = 0;
      // A connection can die silently (a proxy, a sleeping laptop): a cheap query finds out.
      s.pingTimer = setInterval(() => {
        client.query("SELECT 1").catch(() => dropClient(s, client));
      }, PING_INTERVAL_MS);
      s.pingTimer.unref?.();
      if (reconnected) dispatch(ANY_CHANGE);
    } catch (error) {
      console.error("agentry_changes LISTEN failed:", error instanceof Error ? error.message : error);
      client.removeAllListeners();
      client.on("error", () => {});
      await client.end().catch(() => {});
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

/** True while this process's LISTEN connection is up (a cache must not trust itself otherwise). */
export function isListening(): boolean {
  return state().listening;
}

/** The server process id of this process's LISTEN connection (null when down): for tests of the reconnect. */
export function listenerBackendPid(): number | null {
  const client = state().client as (pg.Client & { processID?: number }) | null;
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
  if (client) {
    client.removeAllListeners();
    client.on("error", () => {});
    await client.end().catch(() => {});
  }
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
export async function notifyChange(client: NotifyTarget, change: { orgId: string; kind: ChangeKind | string }): Promise<void> {
  const payload = JSON.stringify({ orgId: change.orgId, kind: change.kind });
  if (isPrismaTx(client)) {
    await client.$executeRaw`SELECT pg_notify(${CHANGES_CHANNEL}, ${payload})`;
    return;
  }
  await client.query("SELECT pg_notify($1, $2)", [CHANGES_CHANNEL, payload]);
}
