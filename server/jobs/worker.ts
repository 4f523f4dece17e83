// Runs this process's share of the job queue: any number of app processes run one each, and each
// job is claimed by exactly one of them. Started by the start script after boot, on the process's
// one pool; stopped (waiting for jobs in flight) before the pool closes.
import "server-only";
import { run, type Runner } from "graphile-worker";
import type pg from "pg";
import { getPool, retryingConflicts } from "../db/pool";
import { quietJobLogger } from "./logger";
import { addJobs, job, JOBS } from "./queue";
import { CRONTAB, FOLLOW_UP_DRAIN_KEY, ROLLOUT_EVALUATION_KEY, TASKS } from "./tasks";

const globalForJobs = globalThis as unknown as { agentryJobs?: { runner: Runner; stop: () => Promise<void> } };

/**
 * The queue keeps one row per job name, added by whichever transaction first uses the name. Two
 * transactions adding the same new names in different orders deadlock (a worker starting while
 * another process queues its first jobs did, on a fresh database), so every name is registered
 * here first, in one order, before this process queues or runs anything. (graphile-worker's own
 * table, written the way the worker itself writes it.)
 */
export async function registerJobNames(pool: pg.Pool = getPool()): Promise<void> {
  const names = Object.keys(JOBS).sort();
  await retryingConflicts(() => pool.query("INSERT INTO graphile_worker._private_tasks (identifier) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING", [names]));
}

export async function startJobWorker(options: { concurrency?: number } = {}): Promise<void> {
  if (globalForJobs.agentryJobs) return;
  await registerJobNames();
  // Controls are re-evaluated every five minutes; a fresh start does not wait for the first turn.
  // The chains of rollout evaluations and outbox drains start with the worker (their keys keep one each).
  await retryingConflicts(() =>
    addJobs(getPool(), [
      job("compliance:evaluate-controls", {}, { key: "evaluate-controls:start" }),
      job("rollouts:evaluate", {}, { key: ROLLOUT_EVALUATION_KEY }),
      job("events:drain-follow-ups", {}, { key: FOLLOW_UP_DRAIN_KEY }),
    ]),
  );
  const runner = await run({
    pgPool: getPool(),
    taskList: TASKS,
    crontab: CRONTAB,
    concurrency: options.concurrency ?? 4,
    // The start script owns the process's signals and shutdown order.
    noHandleSignals: true,
    // Jobs due now arrive through LISTEN at once; this only finds jobs scheduled for later.
    pollInterval: 1_000,
    logger: quietJobLogger,
  });
  globalForJobs.agentryJobs = {
    runner,
    stop: async () => {
      globalForJobs.agentryJobs = undefined;
      await runner.stop().catch(() => {});
    },
  };
}

export async function stopJobWorker(): Promise<void> {
  await globalForJobs.agentryJobs?.stop();
}
