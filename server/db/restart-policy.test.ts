import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_RESTART_POLICY, planRestart, pruneAttempts, type RestartPolicy } from "./restart-policy";

const policy: RestartPolicy = { maxAttempts: 4, windowMs: 60_000, baseDelayMs: 200, maxDelayMs: 1_000 };

describe("planRestart", () => {
  it("restarts after a pause that doubles with each failure, up to its cap", () => {
    const delays = [0, 1, 2, 3, 4].map((failures) => planRestart([], failures, 0, { ...policy, maxAttempts: 100 }));
    expect(delays.map((plan) => (plan.action === "restart" ? plan.delayMs : -1))).toEqual([200, 400, 800, 1000, 1000]);
  });

  it("gives up once the window holds maxAttempts attempts, and forgets attempts older than the window", () => {
    const now = 100_000;
    const recent = [now - 4_000, now - 3_000, now - 2_000, now - 1_000];
    expect(planRestart(recent, 3, now, policy)).toEqual({ action: "give_up", attemptsInWindow: 4 });
    const old = recent.map((at) => at - 60_000);
    expect(planRestart(old, 0, now, policy)).toMatchObject({ action: "restart", attempt: 1 });
    expect(pruneAttempts([...old, now - 10], now, policy)).toEqual([now - 10]);
  });

  it("the default tries for about half a minute before giving up", () => {
    let now = 0;
    const attempts: number[] = [];
    for (let failures = 0; ; failures += 1) {
      const plan = planRestart(attempts, failures, now, DEFAULT_RESTART_POLICY);
      if (plan.action === "give_up") break;
      now += plan.delayMs;
      attempts.push(now);
    }
    expect(attempts).toHaveLength(DEFAULT_RESTART_POLICY.maxAttempts);
    expect(now).toBeGreaterThan(20_000);
    expect(now).toBeLessThan(60_000);
  });

  it("never allows more than maxAttempts attempts within any window, whenever deaths come", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30_000 }), { minLength: 1, maxLength: 40 }), (gaps) => {
        let now = 0;
        let attempts: number[] = [];
        const all: number[] = [];
        for (const gap of gaps) {
          now += gap;
          attempts = pruneAttempts(attempts, now, policy);
          const plan = planRestart(attempts, 0, now, policy);
          if (plan.action === "give_up") continue;
          expect(plan.delayMs).toBeGreaterThan(0);
          expect(plan.delayMs).toBeLessThanOrEqual(policy.maxDelayMs);
          attempts.push(now);
          all.push(now);
        }
        for (const at of all) {
          expect(all.filter((other) => other > at - policy.windowMs && other <= at).length).toBeLessThanOrEqual(policy.maxAttempts);
        }
      }),
    );
  });
});
