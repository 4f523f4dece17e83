// Token buckets for the agent API: each key may send `ratePerSecond` requests a second on
// average, with bursts of up to `burst`. Each process decides on its own, from memory, on every
// request (no shared state on the hot path); what keeps the limit across replicas is the
// reconciliation below (SharedRateLimiter): every ~250 ms a process publishes what it admitted per
// key and deducts what the others admitted from its own buckets (server/data/rate-limits.ts does
// the round trip; docs/scaling.md states the design and its bound).

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

/** How far below zero deductions may take a bucket, in bursts (a safety valve, far past any real overshoot). */
export const DEDUCTION_FLOOR_BURSTS = 10;

/**
 * Takes `count` tokens that requests admitted elsewhere spent. The bucket may go below zero, so
 * the key waits off what was admitted beyond the limit before the processes heard of each other
 * (over time the cluster averages the rate exactly); never below −10 bursts, so no report, however
 * late or large, locks a key out for long.
 */
export function deductTokens(bucket: Bucket | undefined, count: number, now: number, config: RateLimitConfig): Bucket {
  const tokens = refilled(bucket, now, config) - count;
  return { tokens: Math.max(-DEDUCTION_FLOOR_BURSTS * config.burst, tokens), updatedAt: bucket ? Math.max(bucket.updatedAt, now) : now };
}

function refilled(bucket: Bucket | undefined, now: number, config: RateLimitConfig): number {
  if (!bucket) return config.burst;
  const elapsedMs = Math.max(0, now - bucket.updatedAt);
  return Math.min(config.burst, bucket.tokens + (elapsedMs * config.ratePerSecond) / 1000);
}

/** The limit from its settings (validated by server/env.ts): the burst defaults to 4 × a non-default rate. */
export function rateLimitConfig(ratePerSecond: number | undefined, burst: number | undefined): RateLimitConfig {
  const rate = ratePerSecond ?? DEFAULT_RATE_LIMIT.ratePerSecond;
  const defaultBurst = rate === DEFAULT_RATE_LIMIT.ratePerSecond ? DEFAULT_RATE_LIMIT.burst : Math.max(1, Math.ceil(rate * 4));
  return { ratePerSecond: rate, burst: burst ?? defaultBurst };
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

  /** Spends `count` tokens of `key` admitted by another process (see deductTokens). */
  deduct(key: string, count: number, now: number): void {
    if (this.config.ratePerSecond <= 0 || count <= 0) return;
    this.buckets.set(key, deductTokens(this.buckets.get(key), count, now, this.config));
    if (this.buckets.size > this.maxKeys) this.prune(now);
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

// ---------------------------------------------------------------------------------------------
// Across processes.

/** What one process admitted for one key in one of its windows: an absolute count, so publishing it twice is harmless. */
export interface WindowCount {
  keyId: string;
  orgId: string;
  /** The window's number in the publishing process's own numbering (opaque to everyone else). */
  window: number;
  admitted: number;
}

/** A count read back from another process. */
export interface PeerWindowCount {
  keyId: string;
  processId: string;
  window: number;
  admitted: number;
}

export const RATE_WINDOW_MS = 1_000;
/** Own windows are kept (and re-published until confirmed) this long; later ones are past every reader's horizon. */
const OWN_RETENTION_MS = 10_000;
/** A peer's window not seen again for this long is forgotten. */
const PEER_RETENTION_MS = 15_000;

/**
 * A process's side of a rate limit shared by several processes. `take` decides from memory, as
 * the single-process limiter does, and counts what it admitted per key and window; `pending`
 * is what to publish, `confirm` marks it published, and `absorb` deducts what the other processes
 * admitted (each peer window counted once, however often it is read). Pure: clocks are arguments
 * (`now` monotonic for the buckets, `wallNow` for window numbers).
 */
export class SharedRateLimiter {
  private readonly limiter: RateLimiter;
  /** Own counts: `${keyId} ${window}` → the window's count, its org, and whether it changed since it was last confirmed. */
  private readonly own = new Map<string, { keyId: string; orgId: string; window: number; admitted: number; published: number }>();
  /** Peer counts already deducted: `${keyId} ${processId} ${window}` → count and when it was last seen. */
  private readonly peers = new Map<string, { admitted: number; seenAt: number }>();

  constructor(
    readonly config: RateLimitConfig,
    maxKeys = 10_000,
  ) {
    this.limiter = new RateLimiter(config, maxKeys);
  }

  get enabled(): boolean {
    return this.config.ratePerSecond > 0;
  }

  take(keyId: string, orgId: string, now: number, wallNow: number): TakeResult {
    const result = this.limiter.take(keyId, now);
    if (result.allowed && this.enabled) {
      const window = Math.floor(wallNow / RATE_WINDOW_MS);
      const slot = `${keyId} ${window}`;
      const entry = this.own.get(slot);
      if (entry) entry.admitted += 1;
      else this.own.set(slot, { keyId, orgId, window, admitted: 1, published: 0 });
    }
    return result;
  }

  /** Own windows whose count the others have not yet been told; drops windows too old to matter. */
  pending(wallNow: number): WindowCount[] {
    const oldest = Math.floor((wallNow - OWN_RETENTION_MS) / RATE_WINDOW_MS);
    const out: WindowCount[] = [];
    for (const [slot, entry] of this.own) {
      if (entry.window < oldest) {
        this.own.delete(slot);
        continue;
      }
      if (entry.admitted !== entry.published) out.push({ keyId: entry.keyId, orgId: entry.orgId, window: entry.window, admitted: entry.admitted });
    }
    return out;
  }

  /** These counts were stored: the others can read them. */
  confirm(published: readonly WindowCount[]): void {
    for (const count of published) {
      const entry = this.own.get(`${count.keyId} ${count.window}`);
      if (entry) entry.published = Math.max(entry.published, count.admitted);
    }
  }

  /** Deducts what other processes admitted since their counts were last read here. */
  absorb(counts: readonly PeerWindowCount[], now: number, wallNow: number): void {
    for (const count of counts) {
      const slot = `${count.keyId} ${count.processId} ${count.window}`;
      const seen = this.peers.get(slot);
      const fresh = count.admitted - (seen?.admitted ?? 0);
      this.peers.set(slot, { admitted: Math.max(count.admitted, seen?.admitted ?? 0), seenAt: wallNow });
      if (fresh > 0) this.limiter.deduct(count.keyId, fresh, now);
    }
    for (const [slot, entry] of this.peers) if (wallNow - entry.seenAt > PEER_RETENTION_MS) this.peers.delete(slot);
  }

  /** Nothing to publish and no peer window remembered: the process may stop reconciling until its next request. */
  idle(wallNow: number): boolean {
    return this.pending(wallNow).length === 0 && this.peers.size === 0;
  }
}
