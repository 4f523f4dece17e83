// Webhook deliveries end to end against a real HTTP receiver on 127.0.0.1: an alert raised in a
// transaction is delivered signed (and the signature verifies with the secret shown at creation),
// a receiver that answers 500 gets the delivery again later, a disabled webhook receives nothing.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { raiseAlert } from "../../server/data/alerts";
import { queueTestDelivery } from "../../server/data/webhooks";
import { processDueDeliveries } from "../../server/data/webhook-delivery";
import { startJobWorker, stopJobWorker } from "../../server/jobs/worker";
import { getPool, inTransaction } from "../../server/db/pool";
import { SIGNATURE_HEADER, verifySignature, webhookSecret, type WebhookPayload } from "../../server/domain/alerts/webhook";
import { env } from "../../server/env";
import { createTestOrg, testDb, type TestOrg } from "./helpers";

interface Received {
  path: string;
  body: string;
  signature: string | undefined;
}

let server: Server;
let baseUrl: string;
const received: Received[] = [];
/** Status the receiver answers per path (200 unless set). */
const answers = new Map<string, number>();

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

beforeAll(async () => {
  server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const path = request.url ?? "/";
      const signature = request.headers[SIGNATURE_HEADER.toLowerCase()];
      received.push({ path, body, signature: Array.isArray(signature) ? signature[0] : signature });
      response.statusCode = answers.get(path) ?? 200;
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function createWebhook(org: TestOrg, path: string, options: { enabled?: boolean; kinds?: string[] } = {}) {
  return testDb().webhook.create({ data: { orgId: org.id, url: `${baseUrl}${path}`, enabled: options.enabled ?? true, kinds: options.kinds ?? [] } });
}

function raise(org: TestOrg, kind: "loop_detected" | "budget_threshold" = "loop_detected") {
  return inTransaction(getPool(), (client) => raiseAlert(client, { orgId: org.id, kind, severity: "critical", title: "Loop detected: doc-classifier suspended", details: { count: 5 } }));
}

describe("webhook deliveries", () => {
  test("an alert arrives signed, verifiable with the webhook's secret, with a Slack text line", async () => {
    const org = await createTestOrg();
    const hook = await createWebhook(org, `/ok-${org.slug}`);
    const alertId = await raise(org);

    expect(await processDueDeliveries({ publicUrl: "http://localhost:3000" })).toBeGreaterThanOrEqual(1);
    const got = received.filter((r) => r.path === `/ok-${org.slug}`);
    expect(got).toHaveLength(1);
    const [delivery] = got;
    if (!delivery?.signature) throw new Error("no signature header");
    const secret = webhookSecret(env().AUTH_SECRET, hook.id);
    expect(verifySignature(secret, delivery.body, delivery.signature, Date.now() / 1000)).toBe(true);
    expect(verifySignature("whsec_wrong", delivery.body, delivery.signature, Date.now() / 1000)).toBe(false);

    const payload = JSON.parse(delivery.body) as WebhookPayload;
    expect(payload.alert.id).toBe(alertId);
    expect(payload.alert.kind).toBe("loop_detected");
    expect(payload.text).toBe(`[CRITICAL] Agentry: Loop detected: doc-classifier suspended http://localhost:3000/${org.slug}/alerts`);

    const row = await testDb().webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } });
    expect(row).toMatchObject({ status: "delivered", attempts: 1, lastStatus: 200 });
    expect(row.deliveredAt).not.toBeNull();
  });

  test("a 500 from the receiver is retried later with backoff, then delivered", async () => {
    const org = await createTestOrg();
    const path = `/flaky-${org.slug}`;
    answers.set(path, 500);
    const hook = await createWebhook(org, path);
    await raise(org);

    const before = Date.now();
    await processDueDeliveries();
    let row = await testDb().webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } });
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastStatus: 500 });
    expect(row.lastError).toContain("HTTP 500");
    // First retry after 10 s ± 20 %.
    const wait = row.nextAttemptAt.getTime() - before;
    expect(wait).toBeGreaterThan(7_000);
    expect(wait).toBeLessThan(13_000);

    // Not due yet: nothing is sent again.
    await processDueDeliveries();
    expect(received.filter((r) => r.path === path)).toHaveLength(1);

    // When it is due and the receiver has recovered, it is delivered.
    answers.set(path, 204);
    await testDb().webhookDelivery.update({ where: { id: row.id }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
    await processDueDeliveries();
    row = await testDb().webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } });
    expect(row).toMatchObject({ status: "delivered", attempts: 2, lastStatus: 204 });
    expect(received.filter((r) => r.path === path)).toHaveLength(2);
  });

  test("after the last retry the delivery is given up as failed", async () => {
    const org = await createTestOrg();
    const path = `/down-${org.slug}`;
    answers.set(path, 503);
    const hook = await createWebhook(org, path);
    await raise(org);
    await testDb().webhookDelivery.updateMany({ where: { webhookId: hook.id }, data: { attempts: 5 } });
    await processDueDeliveries();
    const row = await testDb().webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } });
    expect(row).toMatchObject({ status: "failed", attempts: 6, lastStatus: 503 });
  });

  test("a disabled webhook, or one subscribed to other kinds, receives nothing", async () => {
    const org = await createTestOrg();
    const off = await createWebhook(org, `/off-${org.slug}`, { enabled: false });
    const budgetsOnly = await createWebhook(org, `/budgets-${org.slug}`, { kinds: ["budget_threshold"] });
    await raise(org, "loop_detected");
    await processDueDeliveries();
    expect(await testDb().webhookDelivery.count({ where: { webhookId: { in: [off.id, budgetsOnly.id] } } })).toBe(0);
    expect(received.filter((r) => r.path === `/off-${org.slug}` || r.path === `/budgets-${org.slug}`)).toHaveLength(0);

    // Disabled after the alert was queued: still not sent.
    await raise(org, "budget_threshold");
    await testDb().webhook.update({ where: { id: budgetsOnly.id }, data: { enabled: false } });
    await processDueDeliveries();
    expect(received.filter((r) => r.path === `/budgets-${org.slug}`)).toHaveLength(0);
    expect((await testDb().webhookDelivery.findFirstOrThrow({ where: { webhookId: budgetsOnly.id } })).status).toBe("cancelled");
  });

  test("the job queue sends a queued test delivery within seconds", async () => {
    const org = await createTestOrg();
    const path = `/worker-${org.slug}`;
    const hook = await createWebhook(org, path, { kinds: ["budget_threshold"] });
    await startJobWorker();
    try {
      // A test goes to this one webhook whatever kinds it subscribes to.
      await inTransaction(getPool(), (client) => queueTestDelivery(client, { orgId: org.id, webhookId: hook.id, requestedBy: "owner@test.invalid" }));
      await expect.poll(() => received.filter((r) => r.path === path).length, { timeout: 5_000 }).toBe(1);
    } finally {
      await stopJobWorker();
    }
    const [delivery] = received.filter((r) => r.path === path);
    const payload = JSON.parse(delivery?.body ?? "{}") as WebhookPayload;
    expect(payload.alert.kind).toBe("webhook_test");
    expect(payload.text).toContain("Test delivery from Agentry");
    await expect.poll(async () => (await testDb().webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } })).status).toBe("delivered");
  });
});
