// The agent API's per-key rate limit, held across app processes (docs/scaling.md, "Rate limits").
// Every request is decided from this process's memory (server/domain/telemetry/rate-limit.ts);
// no request waits on the database. Every AGENTRY_RATE_LIMIT_SYNC_MS (250 ms) while there is
// traffic, one statement publishes what this process admitted per key and window (an upsert of
// absolute counts into rate_limit_windows, keyed by this process's id) and reads what the other
// processes published in the last few seconds, which is then deducted from this process's
// buckets. If the database does not answer, each process goes on limiting on its own (fail open,
// one log line when it starts and one when it ends); rows older than a minute are deleted.
import "server-only";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { getPool } from "../db/pool";
import { rateLimitEnv } from "../env";
import { rateLimitConfig, SharedRateLimiter, type PeerWindowCount, type TakeResult, type WindowCount } from "../domain/telemetry/rate-limit";
import { logInfo, logWarning } from "../runtime/log";

export const DEFAULT_SYNC_MS = 250;
/** Peers' windows updated this recently are read; later ones have already been deducted. */
const READ_HORIZON_SECONDS = 5;
const PRUNE_EVERY_MS = 30_000;
/** Stop reconciling after this long without a request here (the next request starts it again). */
const IDLE_AFTER_MS = 60_000;

/**
 * One round trip: stores this process's counts (absolute, so a retry is harmless; GREATEST keeps
 * a late retry from lowering a count) and returns the other processes' recent counts.
 */
export async function reconcileRateLimits(pool: pg.Pool, processId: string, published: readonly WindowCount[]): Promise<PeerWindowCount[]> {
  const { rows } = await pool.query<{ key_id: string; process_id: string; window_no: string; admitted: number }>({
    name: "agentry_rate_limit_reconcile",
    text: `WITH published AS (
             INSERT INTO rate_limit_windows (org_id, key_id, process_id, window_no, admitted, updated_at)
             SELECT o, k, $1::uuid, w, n, now() FROM unnest($2::uuid[], $3::uuid[], $4::bigint[], $5::int[]) AS t(o, k, w, n)
             ON CONFLICT (org_id, key_id, process_id, window_no)
             DO UPDATE SET admitted = GREATEST(rate_limit_windows.admitted, EXCLUDED.admitted), updated_at = now()
             RETURNING 1
           )
           SELECT key_id::text, process_id::text, window_no::text, admitted
             FROM rate_limit_windows
            WHERE updated_at > now() - make_interval(secs => $6) AND process_id <> $1::uuid`,
    values: [processId, published.map((count) => count.orgId), published.map((count) => count.keyId), published.map((count) => count.window), published.map((count) => count.admitted), READ_HORIZON_SECONDS],
  });
  return rows.map((row) => ({ keyId: row.key_id, processId: row.process_id, window: Number(row.window_no), admitted: row.admitted }));
}

/** Deletes windows nobody will read again. */
export async function pruneRateLimitWindows(pool: pg.Pool): Promise<number> {
  const { rowCount } = await pool.query("DELETE FROM rate_limit_windows WHERE updated_at < now() - interval '1 minute'");
  return rowCount ?? 0;
}

export interface RateLimitSyncOptions {
  limiter: SharedRateLimiter;
  /** The pool to reconcile through (the process's own, normally). */
  pool: () => pg.Pool;
  processId?: string;
  intervalMs?: number;
  log?: { warn: (message: string, fields: Record<string, unknown>) => void; info: (message: string, fields: Record<string, unknown>) => void };
}

/** A process's limiter and its reconciliation loop, which runs only while there is traffic. */
export class RateLimitSync {
  readonly limiter: SharedRateLimiter;
  readonly processId: string;
  private readonly intervalMs: number;
  private readonly pool: () => pg.Pool;
  private readonly log: NonNullable<RateLimitSyncOptions["log"]>;
  private timer: ReturnType<typeof setInterval> | null = null;
  private running = false;
  private failing = false;
  private lastTakeAt = 0;
  private lastPruneAt = 0;
  private activePool: pg.Pool | null = null;

  constructor(options: RateLimitSyncOptions) {
    this.limiter = options.limiter;
    this.pool = options.pool;
    this.processId = options.processId ?? randomUUID();
    this.intervalMs = options.intervalMs ?? DEFAULT_SYNC_MS;
    this.log = options.log ?? { warn: logWarning, info: logInfo };
  }

  /** Decides one request from memory; makes sure the loop runs. */
  take(keyId: string, orgId: string): TakeResult {
    const result = this.limiter.take(keyId, orgId, performance.now(), Date.now());
    if (this.limiter.enabled) {
      this.lastTakeAt = Date.now();
      this.start();
    }
    return result;
  }

  private start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.activePool = null;
  }

  private async tick(): Promise<void> {
    if (this.running) return; // the last round trip is still out: skip a beat rather than pile up
    this.running = true;
    try {
      await this.syncOnce();
      if (Date.now() - this.lastTakeAt > IDLE_AFTER_MS && this.limiter.idle(Date.now())) this.stop();
    } finally {
      this.running = false;
    }
  }

  /** One reconciliation: publish, read, deduct. Never throws; a failure leaves each process limiting on its own. */
  async syncOnce(): Promise<void> {
    this.activePool ??= this.pool();
    const pool = this.activePool;
    // The process is shutting down (its pool was closed): nothing to reconcile with.
    if ((pool as pg.Pool & { ending?: boolean }).ending) {
      this.stop();
      return;
    }
    const published = this.limiter.pending(Date.now());
    try {
      const peers = await reconcileRateLimits(pool, this.processId, published);
      this.limiter.confirm(published);
      this.limiter.absorb(peers, performance.now(), Date.now());
      if (this.failing) {
        this.failing = false;
        this.log.info("rate limits: reconciling with the other processes again", { processId: this.processId });
      }
      if (Date.now() - this.lastPruneAt > PRUNE_EVERY_MS) {
        this.lastPruneAt = Date.now();
        await pruneRateLimitWindows(pool);
      }
    } catch (error) {
      if ((pool as pg.Pool & { ending?: boolean }).ending) return this.stop();
      if (!this.failing) {
        this.failing = true;
        this.log.warn("rate limits: could not reconcile with the other processes; each process limits on its own until the database answers", {
          processId: this.processId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
}

const globalForRateLimits = globalThis as unknown as { agentryRateLimits?: RateLimitSync };

/** This process's limiter, configured from AGENTRY_RATE_LIMIT_RPS / _BURST / _SYNC_MS on first use. */
export function rateLimits(): RateLimitSync {
  if (!globalForRateLimits.agentryRateLimits) {
    const settings = rateLimitEnv();
    globalForRateLimits.agentryRateLimits = new RateLimitSync({
      limiter: new SharedRateLimiter(rateLimitConfig(settings.AGENTRY_RATE_LIMIT_RPS, settings.AGENTRY_RATE_LIMIT_BURST)),
      pool: getPool,
      intervalMs: settings.AGENTRY_RATE_LIMIT_SYNC_MS,
    });
  }
  return globalForRateLimits.agentryRateLimits;
}
