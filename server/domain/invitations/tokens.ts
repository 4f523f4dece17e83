// Single-use secret links (invitations, password resets): 256 random bits, base64url, behind a
// prefix that says what the token is for. Only a SHA-256 of the token is stored: with that much
// entropy a fast hash cannot be brute-forced, and a lookup stays one indexed read.
import { createHash, randomBytes } from "node:crypto";

export const INVITATION_PREFIX = "inv_";
export const PASSWORD_RESET_PREFIX = "rst_";
type Prefix = typeof INVITATION_PREFIX | typeof PASSWORD_RESET_PREFIX;

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function newToken(prefix: Prefix): { token: string; hash: string } {
  const token = `${prefix}${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashToken(token) };
}

/** Cheap shape check before any database read: anything else cannot be one of ours. */
export function looksLikeToken(prefix: Prefix, value: string): boolean {
  return value.length === prefix.length + 43 && value.startsWith(prefix) && /^[A-Za-z0-9_-]+$/.test(value.slice(prefix.length));
}
