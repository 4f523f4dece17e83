// Background work goes through a PostgreSQL job queue (graphile-worker), written in the same
// transaction as the change that causes it: a transactional outbox. A job exists exactly when its
// cause committed, survives restarts, and is run once by whichever process claims it.
//
// Jobs are named here with their payloads (zod, so a task never runs on a payload it cannot read).
// A job key coalesces: adding a job whose key is already waiting keeps the earlier run time (the
// first cause sets when it runs) and, for array payloads, appends to the payload.
import { z } from "zod";
import { sqlRows, type SqlClient } from "../db/sql";

const uuid = z.string().uuid();

export const JOBS = {
  /** The follow-ups of ingested batches waiting in the outbox, done together (re-queues itself). */
  "events:drain-follow-ups": z.object({}).passthrough(),
  /**
   * What follows a committed batch of events: settlements, loop checks of reported tool calls, spend
   * checks. Batches now write it to the outbox (event_follow_ups); jobs queued by an earlier version
   * are still done.
   */
  "events:follow-up": z.object({
    orgId: uuid,
    settlements: z.array(z.object({ decisionId: uuid, costMicros: z.string().regex(/^\d+$/) })),
    toolCalls: z.array(z.object({ agentId: uuid, tool: z.string(), hash: z.string(), at: z.string() })),
    spentAgentIds: z.array(uuid),
  }),
  /** Threshold and exhaustion alerts of the org's budgets (coalesced per org). */
  "budgets:check-alerts": z.object({ orgId: uuid }),
  /** An agent's spend rate against its baseline (coalesced per agent). */
  "loops:check-spend-rate": z.object({ orgId: uuid, agentId: uuid }),
  /** Reservations of the org past their expiry (queued by the decisions that made them). */
  "budgets:expire-reservations": z.object({ orgId: uuid.optional() }),
  /** A pending approval request past its expiry. */
  "approvals:expire": z.object({ orgId: uuid.optional() }),
  /** One webhook delivery attempt. */
  "webhooks:deliver": z.object({ deliveryId: uuid }),
  /** Deliveries due but not in the queue (a safety net; normally each delivery is its own job). */
  "webhooks:sweep": z.object({}).passthrough(),
  /** Old rows of the tool-call log. */
  "loops:prune": z.object({}).passthrough(),
  /** Anomalies in an org's recent hours (coalesced per org while events arrive), or in every org's. */
  "compliance:detect-anomalies": z.object({ orgId: uuid.optional() }).passthrough(),
  /** Every running rollout judged against its guards, and what is due carried out (re-queues itself). */
  "rollouts:evaluate": z.object({}).passthrough(),
  /** Every control of every org's agents, evaluated from the system's state. */
  "compliance:evaluate-controls": z.object({ orgId: uuid.optional() }).passthrough(),
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]>;

export interface JobSpec<N extends JobName = JobName> {
  name: N;
  payload: JobPayload<N>;
  runAt?: Date;
  /** Coalesces with a waiting job of the same key (see above). */
  key?: string;
  maxAttempts?: number;
}

export function job<N extends JobName>(name: N, payload: JobPayload<N>, options: Omit<JobSpec<N>, "name" | "payload"> = {}): JobSpec<N> {
  return { name, payload, ...options };
}

/** Queues `jobs` in the caller's transaction (or on their own when `client` is a pool): one round trip, parameters as arrays. */
export async function addJobs(client: SqlClient, jobs: readonly JobSpec[]): Promise<void> {
  if (jobs.length === 0) return;
  await sqlRows(
    client,
    `SELECT count(*)::int AS queued FROM graphile_worker.add_jobs(
       (SELECT array_agg(ROW(j.identifier, j.payload::json, NULL, COALESCE(j.run_at, now()), j.max_attempts, j.job_key, NULL, NULL)::graphile_worker.job_spec)
          FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::text[]) AS j(identifier, payload, run_at, max_attempts, job_key)),
       true)`,
    [
      jobs.map((spec) => spec.name),
      jobs.map((spec) => JSON.stringify(spec.payload)),
      jobs.map((spec) => spec.runAt?.toISOString() ?? null),
      jobs.map((spec) => spec.maxAttempts ?? null),
      jobs.map((spec) => spec.key ?? null),
    ],
  );
}
