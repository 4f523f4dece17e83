// Limits that must hold across app processes (docs/scaling.md, "Rate limits"; sign-in throttling
// too): two app processes on one database, as two replicas behind a load balancer.
//   - The agent API's per-key rate limit (AGENTRY_RATE_LIMIT_RPS/BURST set low here): requests
//     spread over both processes are refused exactly where one process alone refuses them, and a
//     burst that reaches both at the same moment passes at most once per process (the documented
//     bound) and is then paid back: the key waits it off on both.
//   - Sign-in throttling: wrong passwords through both processes' credentials endpoints share one
//     limit; after it, even the right password is refused on both.
import { randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { hashPassword } from "../../../server/auth/password";
import { LOCKOUT_AFTER } from "../../../server/domain/access/sign-in-throttle";
import { generateApiKey } from "../../../server/domain/keys/api-key";
import { startApps, type AppProcess } from "../harness/app-process";
import { createTestOrg, databaseUrl, testDb, type TestOrg } from "../helpers";

const RATE = { rps: 0.1, burst: 4 };
/** Longer than two reconciliation intervals (250 ms each: publish, then the other's read), with room for a busy machine. */
const SPACING_MS = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let a: AppProcess;
let b: AppProcess;
let org: TestOrg;

beforeAll(async () => {
  [a, b] = (await startApps(2, { databaseUrl, env: { AGENTRY_RATE_LIMIT_RPS: String(RATE.rps), AGENTRY_RATE_LIMIT_BURST: String(RATE.burst) } })) as [AppProcess, AppProcess];
  org = await createTestOrg();
}, 180_000);

async function ingestKey(): Promise<string> {
  const key = generateApiKey();
  await testDb().apiKey.create({ data: { orgId: org.id, kind: "ingest", name: "rate limit", prefix: key.prefix, hash: key.hash } });
  return key.key;
}

/** An empty batch: 400 once the key got past the limiter, 429 when it did not. Nothing is stored either way. */
async function knock(app: AppProcess, key: string): Promise<{ status: number; retryAfter: string | null }> {
  const response = await fetch(`${app.url}/api/v1/events`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: '{"events":[]}' });
  await response.arrayBuffer();
  return { status: response.status, retryAfter: response.headers.get("retry-after") };
}

describe("the agent API's rate limit across two processes", () => {
  test("requests spread over both are refused exactly where one process alone refuses them", { timeout: 60_000 }, async () => {
    const [alone, spread] = [await ingestKey(), await ingestKey()];
    const onOne: number[] = [];
    const onBoth: number[] = [];
    for (let i = 0; i < 2 * RATE.burst; i++) {
      const [one, both] = await Promise.all([knock(a, alone), knock(i % 2 === 0 ? a : b, spread)]);
      onOne.push(one.status);
      onBoth.push(both.status);
      if (both.status === 429) expect(Number(both.retryAfter)).toBeGreaterThanOrEqual(1);
      await sleep(SPACING_MS);
    }
    const expected = [...Array<number>(RATE.burst).fill(400), ...Array<number>(RATE.burst).fill(429)];
    expect(onOne).toEqual(expected);
    expect(onBoth).toEqual(onOne);
  });

  test("a burst on both at the same moment passes at most once per process, and is then paid back on both", { timeout: 60_000 }, async () => {
    const key = await ingestKey();
    // Most of it through one process, a little through the other, all at once: neither has heard of the other yet.
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => knock(i < 10 ? a : b, key)));
    const passed = burst.filter((answer) => answer.status === 400).length;
    // Four through the first, and the second's two unless it heard of the first within the burst.
    expect(passed).toBeGreaterThanOrEqual(RATE.burst);
    expect(passed).toBeLessThanOrEqual(RATE.burst + 2);
    await sleep(SPACING_MS);
    // Both processes now know what both admitted, the one with tokens of its own left included:
    // every further request is refused until the excess is waited off.
    const after = [await knock(b, key), await knock(b, key), await knock(a, key), await knock(b, key)];
    expect(after.map((answer) => answer.status)).toEqual([429, 429, 429, 429]);
  });
});

// ---------------------------------------------------------------------------------------------

type SignInOutcome = "signed_in" | "invalid_credentials" | "too_many_attempts" | string;

/** One attempt through Auth.js's credentials endpoint, as the sign-in form posts it; the outcome from where it redirects. */
async function attemptSignIn(baseUrl: string, email: string, password: string): Promise<SignInOutcome> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const cookie = csrf.headers
    .getSetCookie()
    .map((value) => value.split(";")[0])
    .join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie, origin: baseUrl },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/` }),
  });
  await response.arrayBuffer();
  if (response.headers.getSetCookie().some((value) => value.includes("session-token="))) return "signed_in";
  const location = new URL(response.headers.get("location") ?? "/", baseUrl);
  return location.searchParams.get("code") ?? `HTTP ${response.status} ${location.pathname}${location.search}`;
}

describe("sign-in throttling across two processes", () => {
  test("wrong passwords through both share one limit; then the right one is refused on both", { timeout: 90_000 }, async () => {
    const password = randomBytes(12).toString("base64url");
    const email = `throttle-${randomUUID().slice(0, 8)}@processes.test`;
    await testDb().user.create({ data: { email, name: "Throttled", passwordHash: await hashPassword(password) } });

    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => attemptSignIn(i % 2 === 0 ? a.url : b.url, email, `wrong-${i}`)));
    const tally = (outcome: SignInOutcome) => outcomes.filter((value) => value === outcome).length;
    expect({ checked: tally("invalid_credentials"), refused: tally("too_many_attempts") }).toEqual({ checked: LOCKOUT_AFTER, refused: 30 - LOCKOUT_AFTER });
    expect((await testDb().signInThrottle.findUniqueOrThrow({ where: { email } })).attempts).toHaveLength(LOCKOUT_AFTER);

    expect(await attemptSignIn(a.url, email, password)).toBe("too_many_attempts");
    expect(await attemptSignIn(b.url, email, password)).toBe("too_many_attempts");

    // The control: another account signs in through either process.
    const other = `fine-${randomUUID().slice(0, 8)}@processes.test`;
    await testDb().user.create({ data: { email: other, name: "Fine", passwordHash: await hashPassword(password) } });
    expect(await attemptSignIn(b.url, other, password)).toBe("signed_in");
  });
});
