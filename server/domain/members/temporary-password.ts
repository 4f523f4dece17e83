import { randomInt } from "node:crypto";

// Unambiguous characters only (no 0/O, 1/l/I): the admin reads this out or pastes it once.
const ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A random password of four dash-separated groups, ~95 bits of entropy. */
export function temporaryPassword(): string {
  const group = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  return [group(), group(), group(), group()].join("-");
}
