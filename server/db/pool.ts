// The process's one PostgreSQL pool. Prisma (through @prisma/adapter-pg, server/db.ts), the agent
// API's raw SQL, the LISTEN connection (server/db/notify.ts) and the job queue (server/jobs/) all
// draw from it, so DATABASE_POOL_SIZE is the number of connections one process opens, full stop.
// State lives on globalThis: the start script and Next's bundles load this module separately and
// must share one pool.
import pg from "pg";
import { env } from "../env";
import { logError } from "../runtime/log";

const globalForPool = globalThis as unknown as { agentryPool?: pg.Pool };

// int8 (bigint) and numeric come back as strings, as node-postgres does by default; timestamps as Dates.

export function createPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, application_name: "agentry" });
  const onError = (error: Error & { code?: string }) => {
    // 57P01–57P03: the server is shutting down (at our own exit, or the embedded one restarting).
    if (error.code?.startsWith("57P0")) return;
    logError("PostgreSQL connection error", { error });
  };
  // Idle connections report through the pool; one in use reports through itself, and an error
  // nobody listens to would end the process, so every connection gets a listener when it opens.
  pool.on("error", onError);
  pool.on("connect", (client) => client.on("error", onError));
  return pool;
}

export function getPool(): pg.Pool {
  globalForPool.agentryPool ??= createPool(env().DATABASE_URL, env().DATABASE_POOL_SIZE);
  return globalForPool.agentryPool;
}

/** Runs `work` in a transaction on one connection; rolls back if it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** PostgreSQL aborted one side of a deadlock or a serialisation conflict: the whole transaction may run again. */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === "40P01" || code === "40001";
}

/** Runs `work` again (up to `attempts` times in all) when PostgreSQL aborted it for a deadlock or serialisation conflict. */
export async function retryingConflicts<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isRetryableConflict(error)) throw error;
    }
  }
}

/**
 * Closes this process's pool (and with it Prisma's adapter) before the database itself is stopped.
 * Directive streams end first (their agents reconnect elsewhere), then the job queue and LISTEN.
 */
export async function closeSharedConnections(): Promise<void> {
  const shared = globalThis as unknown as {
    agentryPool?: pg.Pool;
    agentryDirectiveStreams?: { stop?: () => void };
    agentryNotify?: { stop?: () => Promise<void> };
    agentryJobs?: { stop?: () => Promise<void> };
  };
  shared.agentryDirectiveStreams?.stop?.();
  await shared.agentryJobs?.stop?.().catch(() => {});
  await shared.agentryNotify?.stop?.().catch(() => {});
  const pool = shared.agentryPool;
  shared.agentryPool = undefined;
  (globalThis as unknown as { agentryDb?: unknown }).agentryDb = undefined;
  pool?.removeAllListeners("error");
  pool?.on("error", () => {});
  await pool?.end().catch(() => {});
}
