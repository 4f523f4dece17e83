// A request the rules refuse: what was asked cannot be done, with a sentence the person can act on.
// Data and domain functions throw it; the tRPC procedure chain answers it with its code and
// message (server/api/trpc.ts), so a refusal needs no translation in every router.

export type RefusalCode = "BAD_REQUEST" | "NOT_FOUND" | "FORBIDDEN" | "CONFLICT" | "UNAUTHORIZED" | "TOO_MANY_REQUESTS";

export class Refused extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
    this.name = "Refused";
  }
}

export function refuse(code: RefusalCode, message: string): never {
  throw new Refused(code, message);
}

/** Throws the check's refusal (a pure rule's `{ ok: false, message }`) with `code`. */
export function refuseUnless(check: { ok: true } | { ok: false; message: string }, code: RefusalCode = "BAD_REQUEST"): void {
  if (!check.ok) throw new Refused(code, check.message);
}

/** The value, or a NOT_FOUND refusal naming what was looked for ("No such agent."). */
export function found<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Refused("NOT_FOUND", `No such ${what}.`);
  return value;
}
