import { describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMIT, RateLimiter, rateLimitConfig, takeToken } from "./rate-limit";

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

  it("reads the rate and derives the burst from it unless one is given", () => {
    expect(rateLimitConfig("5", undefined)).toEqual({ ratePerSecond: 5, burst: 20 });
    expect(rateLimitConfig("5", "7")).toEqual({ ratePerSecond: 5, burst: 7 });
    expect(rateLimitConfig("0", undefined).ratePerSecond).toBe(0);
  });

  it("ignores values it cannot read", () => {
    expect(rateLimitConfig("fast", "-3")).toEqual(DEFAULT_RATE_LIMIT);
    expect(rateLimitConfig("", "")).toEqual(DEFAULT_RATE_LIMIT);
  });
});
