// API keys: `agt_` + 256 random bits (base64url). Only a SHA-256 of the key is stored; with that
// much entropy a fast hash cannot be brute-forced, and lookups stay a single indexed read.
import { createHash, randomBytes } from "node:crypto";

export const API_KEY_PREFIX = "agt_";
const KEY_PATTERN = /^agt_[A-Za-z0-9_-]{43}$/;

export interface NewApiKey {
  /** Shown once to the person who created it; never stored. */
  key: string;
  /** The first characters, stored and shown in lists so people can tell keys apart. */
  prefix: string;
  hash: string;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function generateApiKey(): NewApiKey {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { key, prefix: key.slice(0, 12), hash: hashApiKey(key) };
}

export function looksLikeApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/** The key from an `Authorization: Bearer <key>` header, or null. */
export function bearerKey(header: string | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}
