import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { alertText, buildPayload, isDelivered, nextRetryDelayMs, RETRY_DELAYS_MS, signPayload, verifySignature, webhookSecret, type AlertForPayload } from "./webhook";
import { validateWebhookUrl } from "./schemas";

const alert: AlertForPayload = {
  id: "a1",
  orgId: "o1",
  kind: "loop_detected",
  severity: "critical",
  title: "Loop detected: lookup_invoice called 5 times in 60 s",
  details: { count: 5 },
  agentId: "ag1",
  agentName: "doc-classifier",
  teamId: "t1",
  teamName: "IT",
  createdAt: new Date("2026-01-02T03:04:05.000Z"),
};

describe("webhook secret", () => {
  it("is derived from the server secret and the webhook id, different per webhook and per server", () => {
    const a = webhookSecret("server-secret", "w1");
    expect(a).toBe(webhookSecret("server-secret", "w1"));
    expect(a).not.toBe(webhookSecret("server-secret", "w2"));
    expect(a).not.toBe(webhookSecret("other-secret", "w1"));
    expect(a).toBe(`whsec_${createHmac("sha256", "server-secret").update("webhook:w1").digest("hex")}`);
  });
});

describe("signature", () => {
  const body = JSON.stringify({ hello: "world" });
  it("is t=<unix>,v1=<HMAC-SHA256 of t.body> and verifies", () => {
    const header = signPayload("s3cret", body, 1_700_000_000);
    const expected = createHmac("sha256", "s3cret").update(`1700000000.${body}`).digest("hex");
    expect(header).toBe(`t=1700000000,v1=${expected}`);
    expect(verifySignature("s3cret", body, header, 1_700_000_010)).toBe(true);
  });

  it("refuses a changed body, a wrong secret, a stale timestamp and garbage", () => {
    const header = signPayload("s3cret", body, 1_700_000_000);
    expect(verifySignature("s3cret", `${body} `, header, 1_700_000_000)).toBe(false);
    expect(verifySignature("other", body, header, 1_700_000_000)).toBe(false);
    expect(verifySignature("s3cret", body, header, 1_700_000_000 + 301)).toBe(false);
    expect(verifySignature("s3cret", body, "t=1700000000,v1=zz", 1_700_000_000)).toBe(false);
    expect(verifySignature("s3cret", body, "", 1_700_000_000)).toBe(false);
  });
});

describe("payload", () => {
  it("carries the alert and a one-line Slack text naming severity, title and agent", () => {
    const payload = buildPayload(alert, "d1", "http://localhost:3000/acme/alerts");
    expect(payload.text).toBe("[CRITICAL] Agentry: Loop detected: lookup_invoice called 5 times in 60 s (agent doc-classifier) http://localhost:3000/acme/alerts");
    expect(payload.text).not.toContain("\n");
    expect(payload.alert).toMatchObject({ id: "a1", kind: "loop_detected", severity: "critical", agent: { id: "ag1", name: "doc-classifier" }, team: { id: "t1", name: "IT" } });
    expect(payload.alert.createdAt).toBe("2026-01-02T03:04:05.000Z");
    expect(payload.deliveryId).toBe("d1");
  });

  it("names the team when there is no agent, and keeps multi-line titles on one line", () => {
    expect(alertText({ severity: "warning", title: "Budget\n80 % used", agentName: null, teamName: "Finance" })).toBe("[WARNING] Agentry: Budget 80 % used (team Finance)");
    expect(alertText({ severity: "info", title: "Org budget", agentName: null, teamName: null })).toBe("[INFO] Agentry: Org budget");
  });
});

describe("retry schedule", () => {
  it("backs off 10 s, 30 s, 2 min, 10 min, 1 h, then gives up", () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5].map((n) => nextRetryDelayMs(n, middle))).toEqual([10_000, 30_000, 120_000, 600_000, 3_600_000]);
    expect(nextRetryDelayMs(6, middle)).toBeNull();
    expect(nextRetryDelayMs(0, middle)).toBeNull();
  });

  it("jitters each wait within ±20 %", () => {
    RETRY_DELAYS_MS.forEach((base, index) => {
      expect(nextRetryDelayMs(index + 1, () => 0)).toBe(Math.round(base * 0.8));
      expect(nextRetryDelayMs(index + 1, () => 0.999999)).toBeLessThanOrEqual(Math.round(base * 1.2));
    });
  });

  it("counts only 2xx as delivered", () => {
    expect(isDelivered(200)).toBe(true);
    expect(isDelivered(204)).toBe(true);
    expect(isDelivered(301)).toBe(false);
    expect(isDelivered(500)).toBe(false);
    expect(isDelivered(null)).toBe(false);
  });
});

describe("webhook URL", () => {
  it("accepts http(s) URLs and refuses the rest with a reason", () => {
    expect(validateWebhookUrl(" https://hooks.slack.com/services/x ")).toEqual({ ok: true, url: "https://hooks.slack.com/services/x" });
    expect(validateWebhookUrl("ftp://example.com").ok).toBe(false);
    expect(validateWebhookUrl("not a url").ok).toBe(false);
    expect(validateWebhookUrl("https://user:pw@example.com/").ok).toBe(false);
  });
});
