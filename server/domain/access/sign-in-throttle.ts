// How hard to push back on repeated failed sign-ins for one email address. Counted per address
// whether or not it exists, so the answer never tells which addresses have accounts.

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
const FREE_ATTEMPTS = 3;
export const LOCKOUT_AFTER = 10;
const MAX_DELAY_MS = 8000;

export type ThrottleDecision = { kind: "allow"; delayMs: number } | { kind: "locked"; retryAfterMs: number };

/**
 * `recentFailures` are the failure times in the window, oldest first. Up to three failures cost
 * nothing; after that each attempt waits twice as long (0.5 s, 1 s, 2 s … up to 8 s); from the tenth
 * the address is refused until its oldest failure leaves the window.
 */
export function throttleSignIn(recentFailures: readonly Date[], now: Date): ThrottleDecision {
  const inWindow = recentFailures.filter((at) => now.getTime() - at.getTime() < THROTTLE_WINDOW_MS);
  const count = inWindow.length;
  if (count >= LOCKOUT_AFTER) {
    const oldest = inWindow[count - LOCKOUT_AFTER] ?? inWindow[0] ?? now;
    return { kind: "locked", retryAfterMs: Math.max(1000, oldest.getTime() + THROTTLE_WINDOW_MS - now.getTime()) };
  }
  if (count < FREE_ATTEMPTS) return { kind: "allow", delayMs: 0 };
  return { kind: "allow", delayMs: Math.min(MAX_DELAY_MS, 500 * 2 ** (count - FREE_ATTEMPTS)) };
}
