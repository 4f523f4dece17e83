// Password attempts per email address, counted in PostgreSQL so that the limit holds across
// concurrent requests and across app processes. An attempt takes a numbered slot before its
// password is checked: under a per-address advisory lock, one transaction counts the slots in the
// window and records a new one only if the throttle allows it. A successful check then clears the
// address's slots; a failed check leaves its slot, which is the failure. So at most LOCKOUT_AFTER
// passwords are ever checked per address per window, however many arrive at once.
import type { DbOrTx, Db } from "../db";
import { throttleSignIn, THROTTLE_WINDOW_MS } from "../domain/access/sign-in-throttle";

export type AttemptSlot = { kind: "granted"; slotId: bigint; delayMs: number } | { kind: "locked"; retryAfterMs: number };

const lockKey = (email: string) => `sign-in:${email}`;

/** Claims a slot for one password check of `email` (already normalised), or says it is locked. */
export async function claimPasswordAttempt(db: Db, email: string, now: Date = new Date()): Promise<AttemptSlot> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${lockKey(email)}, 0))`;
    const recent = await tx.signInFailure.findMany({
      where: { email, at: { gt: new Date(now.getTime() - THROTTLE_WINDOW_MS) } },
      orderBy: { at: "asc" },
      select: { at: true },
    });
    const throttle = throttleSignIn(
      recent.map((row) => row.at),
      now,
    );
    if (throttle.kind === "locked") return throttle;
    const slot = await tx.signInFailure.create({ data: { email, at: now }, select: { id: true } });
    return { kind: "granted", slotId: slot.id, delayMs: throttle.delayMs };
  });
}

/** After a right password: the address starts afresh (slots claimed later by concurrent attempts stay counted). */
export async function clearPasswordAttempts(db: DbOrTx, email: string, upToSlot: bigint): Promise<void> {
  await db.signInFailure.deleteMany({ where: { email, id: { lte: upToSlot } } });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
