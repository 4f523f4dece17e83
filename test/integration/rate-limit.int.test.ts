// The agent API's rate limit as a client meets it: past the burst, a key gets 429 `rate_limited`
// with Retry-After in the API's JSON error shape, while another key goes on unaffected.
import { beforeAll, describe, expect, test } from "vitest";
import { generateApiKey } from "../../server/domain/keys/api-key";
import { agentApiUrl } from "./agent-api";
import { createTestOrg, testDb } from "./helpers";

// Read when the limiter is first used; this file runs in its own worker.
process.env.AGENTRY_RATE_LIMIT_RPS = "0.1";
process.env.AGENTRY_RATE_LIMIT_BURST = "3";

// The events endpoint answers 400 for an empty batch once the key passed: enough to tell a key let through (400) from one refused (429).
const call = async (key: string) =>
  fetch(`${await agentApiUrl()}/api/v1/events`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify({ events: [] }) });

describe("rate limiting", () => {
  const keys: string[] = [];

  beforeAll(async () => {
    const org = await createTestOrg();
    for (const name of ["busy", "calm"]) {
      const key = generateApiKey();
      await testDb().apiKey.create({ data: { orgId: org.id, kind: "ingest", name, prefix: key.prefix, hash: key.hash } });
      keys.push(key.key);
    }
  });

  test("a key past its burst gets 429 with Retry-After; another key does not", async () => {
    const [busy, calm] = keys;
    if (!busy || !calm) throw new Error("keys missing");
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(busy)).status);
    expect(statuses).toEqual([400, 400, 400]);

    const refused = await call(busy);
    expect(refused.status).toBe(429);
    // One token every 10 s: the wait is what is left of those 10 s, in whole seconds.
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);
    expect(await refused.json()).toEqual({ error: { code: "rate_limited", message: expect.stringContaining(`retry in ${retryAfter} s`) } });

    expect((await call(calm)).status).toBe(400);
  });
});
