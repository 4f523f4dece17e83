// Email + password verification with throttling. Returns the user id, or why not; the caller
// shows one message for every failure so the answer does not reveal whether an email exists.
// The throttle is claimed in PostgreSQL, in one statement, before the password is checked
// (server/data/sign-in-attempts.ts), so concurrent guesses from any number of processes share one limit.
import type { Db } from "../db";
import { claimPasswordAttempt, clearPasswordAttempts, sleep } from "../data/sign-in-attempts";
import { dummyPasswordHash, verifyPassword } from "./password";

export type CredentialCheck = { ok: true; userId: string } | { ok: false; reason: "invalid" | "locked"; retryAfterMs?: number };

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function checkCredentials(db: Db, rawEmail: string, password: string, now = new Date()): Promise<CredentialCheck> {
  const email = normaliseEmail(rawEmail);
  const slot = await claimPasswordAttempt(db, email, now);
  if (slot.kind === "locked") return { ok: false, reason: "locked", retryAfterMs: slot.retryAfterMs };
  if (slot.delayMs > 0) await sleep(slot.delayMs);

  const user = await db.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  // A failure keeps its slot: that slot is the recorded failure.
  if (!user || !user.passwordHash || !valid) return { ok: false, reason: "invalid" };
  // Two independent writes: neither needs the other to have happened.
  await clearPasswordAttempts(db, email, slot.at);
  await db.user.update({ where: { id: user.id }, data: { lastSignInAt: now } });
  return { ok: true, userId: user.id };
}
