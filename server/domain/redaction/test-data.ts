// Generators of valid sensitive values for the redaction tests (not used by the app).
import { passesLuhn } from "./checksums";

/** Appends the Luhn check digit to `body`. */
export function withLuhnDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (passesLuhn(body + d)) return body + d;
  throw new Error("unreachable: one of ten check digits always fits");
}

/** A valid compact IBAN for `country` with the given BBAN (check digits computed per ISO 13616). */
export function ibanFor(country: string, bban: string): string {
  const numeric = (bban + country + "00").replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  return country + String(98 - remainder).padStart(2, "0") + bban;
}

/** `compact` in groups of four, the way IBANs and cards are printed. */
export function grouped(compact: string, separator = " "): string {
  return compact.replace(/(.{4})(?=.)/g, `$1${separator}`);
}

/** A base64url JWT-shaped token whose header is `header`. */
export function jwtWith(header: object, payload: object = { sub: "user-42", iat: 1764000000 }): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString("base64url");
  return `${encode(header)}.${encode(payload)}.${Buffer.from("signature-bytes-0123456789").toString("base64url")}`;
}
