// Password attempts per email address, counted in PostgreSQL so that the limit holds across
// concurrent requests and across app processes. An attempt claims its place before its password
// is checked, in one statement: an upsert on the address's row that appends the attempt only if
// fewer than LOCKOUT_AFTER attempts are in the window. The row lock of INSERT … ON CONFLICT DO
// UPDATE serialises concurrent claims on one address, and each sees the list as the previous claim
// committed it. A failed check leaves its attempt in the list (it is the failure); a right password
// clears the attempts up to its own. So at most LOCKOUT_AFTER passwords are ever checked per address
// per window, however many arrive at once.
import type { DbOrTx } from "../db";
import { LOCKOUT_AFTER, throttleSignIn, THROTTLE_WINDOW_MS } from "../domain/access/sign-in-throttle";

export type AttemptSlot = { kind: "granted"; at: Date; delayMs: number } | { kind: "locked"; retryAfterMs: number };

/** Claims a password check for `email` (already normalised), or says the address is locked. */
export async function claimPasswordAttempt(db: DbOrTx, email: string, now: Date = new Date()): Promise<AttemptSlot> {
  const windowStart = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const claimed = await db.$queryRaw<{ attempts: Date[] }[]>`
    INSERT INTO sign_in_throttles AS t (email, attempts) VALUES (${email}, ARRAY[${now}::timestamptz])
    ON CONFLICT (email) DO UPDATE
      SET attempts = ARRAY(SELECT a FROM unnest(t.attempts) AS a WHERE a > ${windowStart}::timestamptz ORDER BY a) || ${now}::timestamptz
      WHERE (SELECT count(*) FROM unnest(t.attempts) AS a WHERE a > ${windowStart}::timestamptz) < ${LOCKOUT_AFTER}
    RETURNING attempts`;
  const attempts = claimed[0]?.attempts;
  if (attempts) {
    // The earlier attempts in the window decide how long this one waits.
    const earlier = attempts.slice(0, -1);
    const throttle = throttleSignIn(earlier, now);
    return { kind: "granted", at: now, delayMs: throttle.kind === "allow" ? throttle.delayMs : 0 };
  }
  const row = await db.signInThrottle.findUnique({ where: { email }, select: { attempts: true } });
  const throttle = throttleSignIn(row?.attempts ?? [], now);
  return throttle.kind === "locked" ? throttle : { kind: "locked", retryAfterMs: 1000 };
}

/** After a right password: the address starts afresh (attempts claimed after this one stay counted). */
export async function clearPasswordAttempts(db: DbOrTx, email: string, upTo: Date): Promise<void> {
  await db.$executeRaw`
    UPDATE sign_in_throttles SET attempts = ARRAY(SELECT a FROM unnest(attempts) AS a WHERE a > ${upTo}::timestamptz ORDER BY a)
    WHERE email = ${email}`;
}

/** Forgets an address's attempts altogether (after a password reset). */
export async function forgetPasswordAttempts(db: DbOrTx, email: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { email } });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
