// Whether this process reaches its database now, for the readiness check (GET /api/v1/health):
// one trivial query on the shared pool, bounded in time, so that a database that hangs rather than
// refuses is reported too.
import "server-only";
import type pg from "pg";
import { getPool } from "../db/pool";
import { logError } from "../runtime/log";

export const DATABASE_CHECK_TIMEOUT_MS = 2_000;

export type DatabaseCheck = { status: "ok"; latencyMs: number } | { status: "unreachable" | "timeout" };

export async function checkDatabase(pool: pg.Pool = getPool(), timeoutMs = DATABASE_CHECK_TIMEOUT_MS): Promise<DatabaseCheck> {
  const started = performance.now();
  const query = pool.query("SELECT 1").then(() => "answered" as const);
  // Still running when the check gives up: its failure later is nobody's to handle.
  query.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
  try {
    const outcome = await Promise.race([query, timedOut]);
    if (outcome === "timeout") return { status: "timeout" };
    return { status: "ok", latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    logError("readiness check: the database did not answer", { error });
    return { status: "unreachable" };
  } finally {
    clearTimeout(timer);
  }
}
