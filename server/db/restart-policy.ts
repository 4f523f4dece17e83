// When the supervised embedded PostgreSQL dies: restart it after a growing pause, and give up (so
// the app exits and a process manager restarts everything) once it has needed too many attempts
// in a short window: a server that keeps dying will not be saved by one more try.

export interface RestartPolicy {
  /** Restart attempts allowed within `windowMs`; one more and the supervisor gives up. */
  maxAttempts: number;
  windowMs: number;
  /** The pause before the first attempt after a death; it doubles with each failed attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
}

// 10 attempts: 0.2 + 0.4 + 0.8 + 1.6 + 3.2 + 5 × 5 s ≈ 31 s of trying before giving up.
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  maxAttempts: 10,
  windowMs: 5 * 60_000,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
};

export type RestartPlan = { action: "restart"; delayMs: number; attempt: number } | { action: "give_up"; attemptsInWindow: number };

/**
 * The next step after a death or a failed attempt. `attempts` holds the times of earlier restart
 * attempts (any order); `failuresInARow` counts attempts since the server last came up.
 */
export function planRestart(attempts: readonly number[], failuresInARow: number, now: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): RestartPlan {
  const attemptsInWindow = attempts.filter((at) => at > now - policy.windowMs && at <= now).length;
  if (attemptsInWindow >= policy.maxAttempts) return { action: "give_up", attemptsInWindow };
  const doubling = Math.min(Math.max(0, failuresInARow), 30);
  const delayMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** doubling);
  return { action: "restart", delayMs, attempt: attemptsInWindow + 1 };
}

/** Attempt times still inside the window (the supervisor keeps only these). */
export function pruneAttempts(attempts: readonly number[], now: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): number[] {
  return attempts.filter((at) => at > now - policy.windowMs);
}
