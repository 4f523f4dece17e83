// Sends webhook deliveries. raiseAlert queues each delivery with its job (webhooks.deliver) in the
// alert's transaction; the job claims it, sends it and records the outcome, and a failed attempt
// queues the next one at the retry schedule's time. Several processes share the work safely: a
// delivery is claimed with FOR UPDATE SKIP LOCKED and leased (status "sending", next attempt pushed
// past the lease) in one short statement, so no transaction is held open across the HTTP call, and a
// delivery whose process died mid-send becomes due again when its lease runs out (the
// webhooks.sweep job picks up anything due that no job holds).
import "server-only";
import { getPool } from "../db/pool";
import { env, runtimeEnv } from "../env";
import { addJobs, job } from "../jobs/queue";
import { logError } from "../runtime/log";
import { buildPayload, isDelivered, nextRetryDelayMs, SIGNATURE_HEADER, signPayload, webhookSecret, type AlertForPayload } from "../domain/alerts/webhook";

export const DELIVERY_TIMEOUT_MS = 5_000;
const LEASE_SEC = 60;
const DEFAULT_CONCURRENCY = 8;
/** Errors and response snippets kept for the console, not whole pages. */
const MAX_ERROR_CHARS = 300;

export interface WebhookWorkerOptions {
  /** The console's base URL, for links in the payload (e.g. http://localhost:3000). */
  publicUrl?: string;
  concurrency?: number;
  timeoutMs?: number;
  random?: () => number;
}

interface ClaimedRow {
  id: string;
  org_id: string;
  webhook_id: string;
  url: string;
  enabled: boolean;
  attempts: number;
  alert_id: string;
  kind: string;
  severity: string;
  title: string;
  details: unknown;
  agent_id: string | null;
  agent_name: string | null;
  team_id: string | null;
  team_name: string | null;
  created_at: Date;
  org_slug: string;
}

const CLAIM_SQL = `
UPDATE webhook_deliveries d SET status = 'sending', next_attempt_at = now() + make_interval(secs => $2)
FROM (
  SELECT d2.id FROM webhook_deliveries d2
  JOIN webhooks w ON w.id = d2.webhook_id
  WHERE d2.status IN ('pending', 'sending') AND d2.next_attempt_at <= now() AND ($3::uuid IS NULL OR d2.id = $3::uuid)
  ORDER BY d2.next_attempt_at
  LIMIT $1
  FOR UPDATE OF d2 SKIP LOCKED
) due, webhooks w, alerts a, orgs o
WHERE d.id = due.id AND w.id = d.webhook_id AND a.id = d.alert_id AND o.id = d.org_id
RETURNING d.id::text, d.org_id::text, d.webhook_id::text, w.url, w.enabled, d.attempts, a.id::text AS alert_id, a.kind, a.severity,
  a.title, a.details, a.agent_id::text, (SELECT name FROM agents WHERE id = a.agent_id) AS agent_name, a.team_id::text,
  (SELECT name FROM teams WHERE id = a.team_id) AS team_name, a.created_at, o.slug AS org_slug`;

/** Claims up to `limit` due deliveries (or the one named) for this process. */
async function claim(limit: number, deliveryId: string | null = null): Promise<ClaimedRow[]> {
  if (limit <= 0) return [];
  const { rows } = await getPool().query<ClaimedRow>(CLAIM_SQL, [limit, LEASE_SEC, deliveryId]);
  return rows;
}

async function finish(row: ClaimedRow, outcome: { status: number | null; error: string | null }, random: () => number): Promise<void> {
  const attempts = row.attempts + 1;
  if (isDelivered(outcome.status)) {
    await getPool().query("UPDATE webhook_deliveries SET status = 'delivered', attempts = $2, last_status = $3, last_error = NULL, delivered_at = now() WHERE id = $1", [row.id, attempts, outcome.status]);
    return;
  }
  const delay = nextRetryDelayMs(attempts, random);
  if (delay !== null) await addJobs(getPool(), [job("webhooks:deliver", { deliveryId: row.id }, { runAt: new Date(Date.now() + delay + 100) })]);
  await getPool().query(
    `UPDATE webhook_deliveries SET status = $2, attempts = $3, last_status = $4, last_error = $5,
       next_attempt_at = CASE WHEN $6::int IS NULL THEN next_attempt_at ELSE now() + make_interval(secs => $6::int / 1000.0) END
     WHERE id = $1`,
    [row.id, delay === null ? "failed" : "pending", attempts, outcome.status, outcome.error?.slice(0, MAX_ERROR_CHARS) ?? null, delay],
  );
}

/** POSTs one delivery; never throws. */
async function send(row: ClaimedRow, options: Required<Pick<WebhookWorkerOptions, "timeoutMs">> & { publicUrl: string | null }): Promise<{ status: number | null; error: string | null }> {
  const alert: AlertForPayload = {
    id: row.alert_id,
    orgId: row.org_id,
    kind: row.kind,
    severity: row.severity,
    title: row.title,
    details: row.details,
    agentId: row.agent_id,
    agentName: row.agent_name,
    teamId: row.team_id,
    teamName: row.team_name,
    createdAt: row.created_at,
  };
  const consoleUrl = options.publicUrl ? `${options.publicUrl.replace(/\/+$/, "")}/${row.org_slug}/alerts` : null;
  const body = JSON.stringify(buildPayload(alert, row.id, consoleUrl));
  const signature = signPayload(webhookSecret(env().AUTH_SECRET, row.webhook_id), body, Date.now() / 1000);
  try {
    const response = await fetch(row.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Agentry-Webhooks/1",
        [SIGNATURE_HEADER]: signature,
        "X-Agentry-Delivery": row.id,
        "X-Agentry-Event": row.kind,
      },
      body,
      // A redirect is not a delivery, and following it would send the signed alert somewhere else.
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    let error: string | null = null;
    if (!isDelivered(response.status)) error = `HTTP ${response.status}: ${(await response.text().catch(() => "")).slice(0, MAX_ERROR_CHARS)}`;
    else await response.body?.cancel().catch(() => {});
    return { status: response.status, error };
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    const message = name === "TimeoutError" ? `No answer within ${options.timeoutMs / 1000} s` : error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    return { status: null, error: message };
  }
}

async function deliver(row: ClaimedRow, options: { timeoutMs: number; publicUrl: string | null; random: () => number }): Promise<void> {
  if (!row.enabled) {
    // Disabled after it was queued: it is not sent.
    await getPool().query("UPDATE webhook_deliveries SET status = 'cancelled', last_error = 'The webhook was disabled' WHERE id = $1", [row.id]);
    return;
  }
  await finish(row, await send(row, options), options.random);
}

/** The options given, else the defaults: the console's public URL (for links in payloads) from the configuration. */
function deliverySettings(options: WebhookWorkerOptions) {
  return { timeoutMs: options.timeoutMs ?? DELIVERY_TIMEOUT_MS, publicUrl: options.publicUrl ?? runtimeEnv().AGENTRY_PUBLIC_URL ?? null, random: options.random ?? Math.random };
}

/**
 * Sends every delivery due now, at most `concurrency` at a time, and returns how many were attempted.
 * The worker calls it on each tick; tests call it directly.
 */
export async function processDueDeliveries(options: WebhookWorkerOptions = {}): Promise<number> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const settings = deliverySettings(options);
  let attempted = 0;
  const inFlight = new Set<Promise<void>>();
  for (;;) {
    const rows = await claim(concurrency - inFlight.size);
    for (const row of rows) {
      const task = deliver(row, settings)
        .catch((error: unknown) => logError("webhook delivery failed to record", { deliveryId: row.id, error }))
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
      attempted += 1;
    }
    if (inFlight.size === 0) return attempted;
    await Promise.race(inFlight);
  }
}

/** One delivery, as its job runs it (a delivery not due, or held by another process, is left alone). */
export async function deliverWebhook(deliveryId: string, options: WebhookWorkerOptions = {}): Promise<boolean> {
  const [row] = await claim(1, deliveryId);
  if (!row) return false;
  await deliver(row, deliverySettings(options));
  return true;
}
