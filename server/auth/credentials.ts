// Email + password verification with throttling. Returns the user id, or why not; the caller
// shows one message for every failure so the answer does not reveal whether an email exists.
import type { Db } from "../db";
import { throttleSignIn, THROTTLE_WINDOW_MS } from "../domain/access/sign-in-throttle";
import { dummyPasswordHash, verifyPassword } from "./password";

export type CredentialCheck = { ok: true; userId: string } | { ok: false; reason: "invalid" | "locked"; retryAfterMs?: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function checkCredentials(db: Db, rawEmail: string, password: string, now = new Date()): Promise<CredentialCheck> {
  const email = normaliseEmail(rawEmail);
  const failures = await db.signInFailure.findMany({
    where: { email, at: { gt: new Date(now.getTime() - THROTTLE_WINDOW_MS) } },
    orderBy: { at: "asc" },
    select: { at: true },
  });
  const throttle = throttleSignIn(
    failures.map((failure) => failure.at),
    now,
  );
  if (throttle.kind === "locked") return { ok: false, reason: "locked", retryAfterMs: throttle.retryAfterMs };
  if (throttle.delayMs > 0) await sleep(throttle.delayMs);

  const user = await db.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !user.passwordHash || !valid) {
    await db.signInFailure.create({ data: { email } });
    return { ok: false, reason: "invalid" };
  }
  await db.$transaction([
    db.signInFailure.deleteMany({ where: { email } }),
    db.user.update({ where: { id: user.id }, data: { lastSignInAt: now } }),
  ]);
  return { ok: true, userId: user.id };
}
