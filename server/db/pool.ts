// A plain node-postgres pool for the agent API's hot paths (batched inserts with unnest,
// upserts), where Prisma's per-query overhead would cost throughput. Same database, same process.
import pg from "pg";
import { env } from "../env";

const globalForPool = globalThis as unknown as { agentryPool?: pg.Pool };

export function getPool(): pg.Pool {
  if (!globalForPool.agentryPool) {
    const pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: env().DATABASE_POOL_SIZE });
    pool.on("error", (error: Error & { code?: string }) => {
      // 57P01–57P03: the server is shutting down (at our own exit, the embedded one stops too).
      if (error.code?.startsWith("57P0")) return;
      console.error("PostgreSQL pool error:", error.message);
    });
    globalForPool.agentryPool = pool;
  }
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

/**
 * Closes this process's shared pool and Prisma client (they live on globalThis, so the start
 * script reaches the ones the app's bundle created) before the database itself is stopped.
 */
export async function closeSharedConnections(): Promise<void> {
  const shared = globalThis as unknown as {
    agentryPool?: pg.Pool;
    agentryDb?: { $disconnect(): Promise<void> };
    agentryDirectiveStreams?: { stop?: () => void };
    agentryNotify?: { stop?: () => Promise<void> };
  };
  // Directive streams end (their agents reconnect elsewhere) and LISTEN stops before the pools close.
  shared.agentryDirectiveStreams?.stop?.();
  await shared.agentryNotify?.stop?.().catch(() => {});
  const pool = shared.agentryPool;
  shared.agentryPool = undefined;
  pool?.removeAllListeners("error");
  pool?.on("error", () => {});
  await Promise.all([pool?.end().catch(() => {}), shared.agentryDb?.$disconnect().catch(() => {})]);
}
