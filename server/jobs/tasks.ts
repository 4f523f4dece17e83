// What each job does. A task validates its payload, calls the data functions that do the work, and
// throws to be retried (with the queue's backoff). Tasks whose effects must not happen twice run in
// a transaction with a receipt of the job (job_receipts): a job run again after a crash finds it.
import "server-only";
import type { JobHelpers, Task, TaskList } from "graphile-worker";
import type pg from "pg";
import { detectAnomalies } from "../data/anomaly-detection";
import { sweepExpiredApprovals } from "../data/approvals";
import { evaluateControls } from "../data/compliance-evaluate";
import { checkBudgetAlerts } from "../data/budget-alerts";
import { drainFollowUps, followUp } from "../data/event-follow-ups";
import { checkSpendRate, pruneSpendMinutes, pruneToolCallLog } from "../data/loops";
import { expireReservations } from "../data/reservations";
import { evaluateRollouts } from "../data/rollouts";
import { deliverWebhook, processDueDeliveries } from "../data/webhook-delivery";
import { getPool, inTransaction, retryingConflicts } from "../db/pool";
import { addJobs, job, JOBS, type JobName, type JobPayload } from "./queue";

/** The outbox of ingested batches' follow-ups is drained this often. */
export const FOLLOW_UP_DRAIN_INTERVAL_MS = 1_000;
/** The one chain of drains: its key keeps it to one waiting job across processes. */
export const FOLLOW_UP_DRAIN_KEY = "events:drain-follow-ups";
/** Receipts are kept long enough to outlive any retry. */
const RECEIPT_DAYS = 7;
/** Running rollouts are judged this often (the design's "every ~10 s"). */
export const ROLLOUT_EVALUATION_INTERVAL_MS = 10_000;
/** The one chain of rollout evaluations: its key keeps it to one waiting job across processes. */
export const ROLLOUT_EVALUATION_KEY = "rollouts:evaluate";

async function allOrgs(): Promise<string[]> {
  const { rows } = await getPool().query<{ id: string }>("SELECT id::text FROM orgs ORDER BY id");
  return rows.map((row) => row.id);
}

function task<N extends JobName>(name: N, run: (payload: JobPayload<N>, helpers: JobHelpers) => Promise<void>): Task {
  return async (payload, helpers) => {
    const parsed = JOBS[name].safeParse(payload);
    // A payload no version of this code wrote: retrying cannot help, so it is logged and dropped.
    if (!parsed.success) {
      helpers.logger.error(`job ${name} #${helpers.job.id}: unreadable payload: ${parsed.error.message}`);
      return;
    }
    await run(parsed.data as JobPayload<N>, helpers);
  };
}

/** Runs `work` once per job: in one transaction with the job's receipt (a rerun finds the receipt and does nothing). */
async function once(helpers: JobHelpers, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  await retryingConflicts(() =>
    inTransaction(getPool(), async (client) => {
      const { rowCount } = await client.query("INSERT INTO job_receipts (job_id) VALUES ($1) ON CONFLICT DO NOTHING", [helpers.job.id]);
      if (rowCount === 0) return;
      await work(client);
    }),
  );
}

export const TASKS: TaskList = {
  "events:drain-follow-ups": task("events:drain-follow-ups", async () => {
    // The next run is queued first, so a failing drain still leaves the chain going.
    await addJobs(getPool(), [job("events:drain-follow-ups", {}, { runAt: new Date(Date.now() + FOLLOW_UP_DRAIN_INTERVAL_MS), key: FOLLOW_UP_DRAIN_KEY })]);
    await drainFollowUps();
  }),
  "events:follow-up": task("events:follow-up", async ({ orgId, ...work }, helpers) => {
    await once(helpers, (client) => followUp(client, orgId, work));
  }),
  "budgets:check-alerts": task("budgets:check-alerts", async ({ orgId }) => {
    await checkBudgetAlerts(orgId);
  }),
  "loops:check-spend-rate": task("loops:check-spend-rate", async ({ orgId, agentId }) => {
    await checkSpendRate(orgId, agentId);
  }),
  "budgets:expire-reservations": task("budgets:expire-reservations", async ({ orgId }) => {
    await expireReservations(orgId ? { orgId } : {});
  }),
  "approvals:expire": task("approvals:expire", async () => {
    await sweepExpiredApprovals();
  }),
  "webhooks:deliver": task("webhooks:deliver", async ({ deliveryId }) => {
    await deliverWebhook(deliveryId);
  }),
  "webhooks:sweep": task("webhooks:sweep", async () => {
    await processDueDeliveries();
  }),
  "compliance:detect-anomalies": task("compliance:detect-anomalies", async ({ orgId }) => {
    for (const id of orgId ? [orgId] : await allOrgs()) await detectAnomalies(id, new Date());
  }),
  "compliance:evaluate-controls": task("compliance:evaluate-controls", async ({ orgId }) => {
    for (const id of orgId ? [orgId] : await allOrgs()) await evaluateControls(id, new Date());
  }),
  "rollouts:evaluate": task("rollouts:evaluate", async () => {
    // The next run is queued first, so a failing evaluation still leaves the chain going.
    await addJobs(getPool(), [job("rollouts:evaluate", {}, { runAt: new Date(Date.now() + ROLLOUT_EVALUATION_INTERVAL_MS), key: ROLLOUT_EVALUATION_KEY })]);
    await evaluateRollouts(new Date());
  }),
  "loops:prune": task("loops:prune", async () => {
    await pruneToolCallLog();
    await pruneSpendMinutes();
    await getPool().query(`DELETE FROM job_receipts WHERE done_at < now() - interval '${RECEIPT_DAYS} days'`);
  }),
};

/**
 * Safety nets that run on a schedule in whichever process gets there first (the queue's cron
 * dedupes across processes): work that is normally queued by its cause is swept up here too.
 */
export const CRONTAB = [
  "*/5 * * * * budgets:expire-reservations ?id=sweep-reservations {}",
  "*/5 * * * * approvals:expire ?id=sweep-approvals {}",
  "* * * * * webhooks:sweep ?id=sweep-webhooks {}",
  "* * * * * loops:prune ?id=prune-tool-calls {}",
  "*/5 * * * * compliance:evaluate-controls ?id=evaluate-controls {}",
  "7 * * * * compliance:detect-anomalies ?id=detect-anomalies {}",
  // Restart the chains of outbox drains and rollout evaluations should one ever break (the keys dedupe them).
  "* * * * * events:drain-follow-ups ?id=drain-follow-ups&jobKey=events:drain-follow-ups&jobKeyMode=preserve_run_at {}",
  "* * * * * rollouts:evaluate ?id=evaluate-rollouts&jobKey=rollouts:evaluate&jobKeyMode=preserve_run_at {}",
].join("\n");
