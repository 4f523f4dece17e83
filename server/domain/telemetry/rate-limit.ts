// Token buckets for the agent API: each key may send `ratePerSecond` requests a second on
// average, with bursts of up to `burst`. The state lives in one process's memory, so with N
// replicas behind a load balancer a key may reach up to N times the rate; that is deliberate
// (no shared state on the hot path) and documented in docs/agent-api.md.

export interface RateLimitConfig {
  /** Sustained requests per second per key; 0 turns limiting off. */
  ratePerSecond: number;
  /** Requests a key may send at once after being idle. */
  burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { ratePerSecond: 50, burst: 200 };

export interface Bucket {
  tokens: number;
  /** Milliseconds (any monotonic clock) when `tokens` was last brought up to date. */
  updatedAt: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Whole seconds until one request would be allowed again (for `Retry-After`); 0 when allowed. */
  retryAfterSeconds: number;
  bucket: Bucket;
}

/** Refills `bucket` for the time that passed and takes one token if there is one. */
export function takeToken(bucket: Bucket | undefined, now: number, config: RateLimitConfig): TakeResult {
  if (config.ratePerSecond <= 0) return { allowed: true, retryAfterSeconds: 0, bucket: bucket ?? { tokens: config.burst, updatedAt: now } };
  const tokens = refilled(bucket, now, config);
  if (tokens >= 1) return { allowed: true, retryAfterSeconds: 0, bucket: { tokens: tokens - 1, updatedAt: now } };
  const waitMs = ((1 - tokens) * 1000) / config.ratePerSecond;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), bucket: { tokens, updatedAt: now } };
}

function refilled(bucket: Bucket | undefined, now: number, config: RateLimitConfig): number {
  if (!bucket) return config.burst;
  const elapsedMs = Math.max(0, now - bucket.updatedAt);
  return Math.min(config.burst, bucket.tokens + (elapsedMs * config.ratePerSecond) / 1000);
}

/** Reads AGENTRY_RATE_LIMIT_RPS / AGENTRY_RATE_LIMIT_BURST; anything unparsable keeps the default. */
export function rateLimitConfig(rps: string | undefined, burst: string | undefined): RateLimitConfig {
  const parsedRps = rps === undefined || rps.trim() === "" ? Number.NaN : Number(rps);
  const ratePerSecond = Number.isFinite(parsedRps) && parsedRps >= 0 ? parsedRps : DEFAULT_RATE_LIMIT.ratePerSecond;
  const parsedBurst = burst === undefined || burst.trim() === "" ? Number.NaN : Number(burst);
  const defaultBurst = ratePerSecond === DEFAULT_RATE_LIMIT.ratePerSecond ? DEFAULT_RATE_LIMIT.burst : Math.max(1, Math.ceil(ratePerSecond * 4));
  return { ratePerSecond, burst: Number.isFinite(parsedBurst) && parsedBurst >= 1 ? Math.floor(parsedBurst) : defaultBurst };
}

/** One bucket per key, in memory. Full buckets are forgotten when the map grows, so idle keys cost nothing. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly config: RateLimitConfig,
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string, now: number): TakeResult {
    const result = takeToken(this.buckets.get(key), now, this.config);
    this.buckets.set(key, result.bucket);
    if (this.buckets.size > this.maxKeys) this.prune(now);
    return result;
  }

  get size(): number {
    return this.buckets.size;
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (refilled(bucket, now, this.config) >= this.config.burst) this.buckets.delete(key);
    }
    // Every key still busy: drop the oldest rather than grow without bound.
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= this.maxKeys) break;
      this.buckets.delete(key);
    }
  }
}
