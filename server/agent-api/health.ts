// GET /api/v1/health: the readiness check for load balancers and orchestrators. 200 when this
// process can serve (its database answers and it is not shutting down), 503 otherwise, so that it
// is taken out of rotation while its database is away and drained before it stops. Public, like
// openapi.json: it says nothing about any organisation. To see only that a process is up and
// routing, without the database, use GET /api/v1/openapi.json.
import "server-only";
import { checkDatabase, type DatabaseCheck } from "../data/database-check";
import { isShuttingDown } from "../runtime/shutdown";
import type { HealthResponse } from "./schemas";

/** One database check serves every request for this long: a flood of checks costs one query a second. */
const CHECK_SHARED_FOR_MS = 1_000;
let shared: { startedAt: number; check: Promise<DatabaseCheck> } | null = null;

export async function readiness(): Promise<{ status: 200 | 503; body: HealthResponse }> {
  const now = Date.now();
  if (!shared || now - shared.startedAt >= CHECK_SHARED_FOR_MS) shared = { startedAt: now, check: checkDatabase() };
  const database = await shared.check;
  const shuttingDown = isShuttingDown();
  const ready = database.status === "ok" && !shuttingDown;
  return { status: ready ? 200 : 503, body: { status: ready ? "ok" : "unavailable", database, shuttingDown } };
}
