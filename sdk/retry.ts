// Retry timing: exponential backoff with full jitter (a random delay between 0 and the capped
// exponential), so a fleet of agents that failed together does not retry together.

export interface RetryOptions {
  /** Retries after the first attempt (default 5). */
  retries: number;
  /** The first backoff's ceiling (default 250 ms); it doubles each retry. */
  baseDelayMs: number;
  /** No backoff waits longer than this (default 10 s); a server's Retry-After is honoured as sent. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 5, baseDelayMs: 250, maxDelayMs: 10_000 };

/** A server's Retry-After beyond this is treated as this: no agent should sleep for hours on one header. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** The wait before retry number `attempt` (0 for the first retry). */
export function backoffDelay(attempt: number, options: Pick<RetryOptions, "baseDelayMs" | "maxDelayMs">, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Retry-After in milliseconds, from delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.min(MAX_RETRY_AFTER_MS, Math.round(Number(trimmed) * 1000));
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - now));
}

/** Whether an HTTP status is worth retrying: rate limits and the server's own failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
