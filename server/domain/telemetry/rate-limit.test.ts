import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEDUCTION_FLOOR_BURSTS, DEFAULT_RATE_LIMIT, deductTokens, RateLimiter, rateLimitConfig, SharedRateLimiter, takeToken } from "./rate-limit";

describe("takeToken", () => {
  const config = { ratePerSecond: 10, burst: 3 };

  it("lets a burst through, then refuses with the seconds until the next token", () => {
    let bucket = undefined;
    for (let i = 0; i < 3; i++) {
      const result = takeToken(bucket, 1000, config);
      expect(result.allowed).toBe(true);
      bucket = result.bucket;
    }
    const refused = takeToken(bucket, 1000, config);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(1);
  });

  it("refills at the configured rate and never above the burst", () => {
    const empty = { tokens: 0, updatedAt: 0 };
    expect(takeToken(empty, 50, config).allowed).toBe(false);
    expect(takeToken(empty, 100, config).allowed).toBe(true);
    const later = takeToken(empty, 60_000, config);
    expect(later.bucket.tokens).toBe(config.burst - 1);
  });

  it("rounds Retry-After up to whole seconds for slow rates", () => {
    const slow = { ratePerSecond: 0.1, burst: 1 };
    const result = takeToken({ tokens: 0, updatedAt: 0 }, 0, slow);
    expect(result).toMatchObject({ allowed: false, retryAfterSeconds: 10 });
  });

  it("a rate of 0 turns limiting off", () => {
    let bucket = undefined;
    for (let i = 0; i < 1000; i++) {
      const result = takeToken(bucket, 0, { ratePerSecond: 0, burst: 1 });
      expect(result.allowed).toBe(true);
      bucket = result.bucket;
    }
  });

  it("a clock that goes backwards does not mint tokens", () => {
    const result = takeToken({ tokens: 0, updatedAt: 5000 }, 1000, config);
    expect(result.allowed).toBe(false);
  });
});

describe("RateLimiter", () => {
  it("keeps one bucket per key", () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1 });
    expect(limiter.take("a", 0).allowed).toBe(true);
    expect(limiter.take("a", 0).allowed).toBe(false);
    expect(limiter.take("b", 0).allowed).toBe(true);
  });

  it("forgets full buckets when it holds too many keys, but not busy ones", () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 2 }, 2);
    limiter.take("idle-1", 0);
    limiter.take("idle-2", 0);
    limiter.take("busy", 10_000);
    limiter.take("busy", 10_000);
    expect(limiter.take("busy", 10_000).allowed).toBe(false);
    expect(limiter.size).toBeLessThanOrEqual(2);
    // The busy key is still limited: its bucket survived the pruning.
    expect(limiter.take("busy", 10_000).allowed).toBe(false);
  });
});

describe("rateLimitConfig", () => {
  it("defaults to 50 requests a second with a burst of 200", () => {
    expect(rateLimitConfig(undefined, undefined)).toEqual(DEFAULT_RATE_LIMIT);
    expect(DEFAULT_RATE_LIMIT).toEqual({ ratePerSecond: 50, burst: 200 });
  });

  it("takes the rate and derives the burst from it unless one is given", () => {
    expect(rateLimitConfig(5, undefined)).toEqual({ ratePerSecond: 5, burst: 20 });
    expect(rateLimitConfig(5, 7)).toEqual({ ratePerSecond: 5, burst: 7 });
    expect(rateLimitConfig(0, undefined).ratePerSecond).toBe(0);
    expect(rateLimitConfig(undefined, 300)).toEqual({ ratePerSecond: 50, burst: 300 });
  });
});

describe("deductTokens", () => {
  const config = { ratePerSecond: 1, burst: 4 };

  it("spends tokens admitted elsewhere, below zero if need be, and the key waits it off", () => {
    const bucket = deductTokens(undefined, 6, 0, config);
    expect(bucket.tokens).toBe(-2);
    expect(takeToken(bucket, 0, config)).toMatchObject({ allowed: false, retryAfterSeconds: 3 });
    expect(takeToken(bucket, 3_000, config).allowed).toBe(true);
  });

  it("never goes below ten bursts", () => {
    expect(deductTokens(undefined, 1_000_000, 0, config).tokens).toBe(-DEDUCTION_FLOOR_BURSTS * config.burst);
  });
});

describe("SharedRateLimiter", () => {
  const config = { ratePerSecond: 2, burst: 4 };

  it("alone, decides exactly as the single-process limiter", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom("k1", "k2"), fc.integer({ min: 0, max: 400 })), { maxLength: 200 }), (requests) => {
        const shared = new SharedRateLimiter(config);
        const single = new RateLimiter(config);
        let now = 0;
        for (const [key, gap] of requests) {
          now += gap;
          expect(shared.take(key, "org", now, now).allowed).toBe(single.take(key, now).allowed);
        }
      }),
    );
  });

  it("publishes absolute counts per key and window until confirmed", () => {
    const limiter = new SharedRateLimiter(config);
    for (let i = 0; i < 3; i++) limiter.take("k", "org", 0, 1_500);
    limiter.take("k", "org", 0, 2_100);
    const pending = limiter.pending(2_100);
    expect(pending).toEqual([
      { keyId: "k", orgId: "org", window: 1, admitted: 3 },
      { keyId: "k", orgId: "org", window: 2, admitted: 1 },
    ]);
    // Not stored (the database did not answer): published again next time.
    expect(limiter.pending(2_100)).toEqual(pending);
    limiter.confirm(pending);
    expect(limiter.pending(2_100)).toEqual([]);
    expect(limiter.take("k", "org", 1_000, 2_200).allowed).toBe(true);
    expect(limiter.pending(2_200)).toEqual([{ keyId: "k", orgId: "org", window: 2, admitted: 2 }]);
    // Refused requests are not counted.
    const crowded = new SharedRateLimiter({ ratePerSecond: 1, burst: 1 });
    crowded.take("k", "org", 0, 0);
    crowded.take("k", "org", 0, 0);
    expect(crowded.pending(0)).toEqual([{ keyId: "k", orgId: "org", window: 0, admitted: 1 }]);
  });

  it("deducts each peer window once, however often it is read, and only what is new in it", () => {
    const limiter = new SharedRateLimiter(config);
    limiter.absorb([{ keyId: "k", processId: "p2", window: 7, admitted: 3 }], 0, 0);
    limiter.absorb([{ keyId: "k", processId: "p2", window: 7, admitted: 3 }], 0, 0);
    expect(limiter.take("k", "org", 0, 0).allowed).toBe(true); // 4 − 3 = 1 left
    expect(limiter.take("k", "org", 0, 0).allowed).toBe(false);
    // One more admitted there since: the bucket owes one token, and refills at 2 a second.
    limiter.absorb([{ keyId: "k", processId: "p2", window: 7, admitted: 4 }], 0, 0);
    expect(limiter.take("k", "org", 500, 500)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take("k", "org", 1_000, 1_000).allowed).toBe(true);
  });

  /**
   * A cluster in simulation: N processes, each deciding from memory and reconciling every
   * `interval` ms (at its own phase) through a shared store. However the requests fall, the cluster
   * admits at most what one bucket would, plus what the other processes can admit before they are
   * heard of (publish, then read: two intervals): burst + rate × T + (N − 1) × (burst + rate × 2 × interval).
   */
  it("holds a key to one limit across processes, within two reconciliation intervals", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }),
        fc.constantFrom(100, 250),
        fc.array(fc.tuple(fc.nat(3), fc.integer({ min: 0, max: 80 })), { minLength: 100, maxLength: 400, size: "max" }),
        fc.array(fc.nat(249), { minLength: 4, maxLength: 4 }),
        (processes, interval, requests, phases) => {
          const cluster = Array.from({ length: processes }, (_, index) => ({ id: `p${index}`, limiter: new SharedRateLimiter(config), nextSync: phases[index] ?? 0 }));
          const store = new Map<string, { keyId: string; processId: string; window: number; admitted: number }>();
          let now = 0;
          let admitted = 0;
          const syncUntil = (until: number) => {
            for (;;) {
              const next = cluster.reduce((soonest, member) => (member.nextSync < soonest.nextSync ? member : soonest));
              if (next.nextSync > until) return;
              const at = next.nextSync;
              const published = next.limiter.pending(at);
              for (const count of published) store.set(`${count.keyId} ${next.id} ${count.window}`, { keyId: count.keyId, processId: next.id, window: count.window, admitted: count.admitted });
              next.limiter.confirm(published);
              next.limiter.absorb(
                [...store.values()].filter((count) => count.processId !== next.id),
                at,
                at,
              );
              next.nextSync += interval;
            }
          };
          for (const [member, gap] of requests) {
            now += gap;
            syncUntil(now);
            const process = cluster[member % processes];
            if (process?.limiter.take("k", "org", now, now).allowed) admitted += 1;
          }
          const bound = config.burst + (config.ratePerSecond * now) / 1000 + (processes - 1) * (config.burst + (config.ratePerSecond * 2 * interval) / 1000);
          expect(admitted).toBeLessThanOrEqual(Math.floor(bound));
        },
      ),
    );
  });
});
