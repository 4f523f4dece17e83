// Strings from outside, checked the same way at every edge (agent API, OTLP, console forms).
// Free of server-only imports: the SDK, the browser's forms and the routers share it.
//
// Why: Node encodes a lone UTF-16 surrogate as U+FFFD on its way to PostgreSQL, so a JavaScript
// string holding one is not the string that is stored; comparisons made before storing (an
// event id's duplicate check, an agent's name lookup) would compare different values. PostgreSQL
// text cannot hold U+0000 at all. And a name that carries bidirectional or invisible control
// characters can display as a different name.
import { z } from "zod";

/** True when the string has no unpaired UTF-16 surrogate (what PostgreSQL stores is what we see). */
export function isWellFormedText(value: string): boolean {
  return value.isWellFormed();
}

// Bidirectional embeddings, overrides and isolates, and the implicit marks (LRM, RLM, ALM).
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
// Everything else that draws nothing or moves text: control characters (C0, DEL, C1), format
// characters (zero-width space and joiners, word joiner, soft hyphen, BOM, tag characters…), line
// and paragraph separators, and the Hangul fillers that render as blank.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0]/u;

/** True when a name shows what it is: no bidirectional controls and no invisible characters. */
export function isDisplaySafe(value: string): boolean {
  return !BIDI_CONTROLS.test(value) && !INVISIBLE.test(value);
}

/**
 * For names that arrive where they cannot be refused one by one (an agent discovered through an
 * org ingest key, a name read from an A2A card): the same name without the characters
 * `isDisplaySafe` refuses, and with lone surrogates replaced.
 */
export function toDisplaySafe(value: string): string {
  return value.toWellFormed().replace(new RegExp(`${BIDI_CONTROLS.source}|${INVISIBLE.source}`, "gu"), "");
}

export const TEXT_MESSAGES = {
  wellFormed: "must be well-formed Unicode text (it contains an unpaired UTF-16 surrogate)",
  nul: "must not contain the NUL character (U+0000)",
  displaySafe: "must not contain invisible or text-direction control characters (such as U+202E)",
} as const;

/** Any text: well-formed, without NUL (PostgreSQL refuses it). Newlines and tabs are fine. */
export function safeText() {
  return z
    .string()
    .refine(isWellFormedText, TEXT_MESSAGES.wellFormed)
    .refine((value) => !value.includes("\u0000"), TEXT_MESSAGES.nul);
}

/** An identifier sent by a client (an event id, a model, a tool): 1..max characters of safe text. */
export function identifierText(max = 200) {
  return z
    .string()
    .min(1)
    .max(max)
    .refine(isWellFormedText, TEXT_MESSAGES.wellFormed)
    .refine((value) => !value.includes("\u0000"), TEXT_MESSAGES.nul);
}

/** A name people read (agent, team, tag, org, person): trimmed, and it displays as what it is. */
export function displayName(options: { max: number; min?: number; required?: string; tooLong?: string }) {
  const min = options.min ?? 1;
  return z
    .string()
    .trim()
    .min(min, options.required ?? (min === 1 ? "Enter a name" : `At least ${min} characters`))
    .max(options.max, options.tooLong ?? `At most ${options.max} characters`)
    .refine(isWellFormedText, TEXT_MESSAGES.wellFormed)
    .refine(isDisplaySafe, TEXT_MESSAGES.displaySafe);
}

/** Free text people read (a description, a reason): newlines are fine, direction overrides are not. */
export function readableText(max: number) {
  return z
    .string()
    .trim()
    .max(max, `At most ${max} characters`)
    .refine(isWellFormedText, TEXT_MESSAGES.wellFormed)
    .refine((value) => !value.includes("\u0000"), TEXT_MESSAGES.nul)
    .refine((value) => !BIDI_CONTROLS.test(value), TEXT_MESSAGES.displaySafe);
}

/** Text from someone else's document (an A2A card): made display-safe rather than refused. */
export function sanitisedText(max: number) {
  return z.string().max(max).transform(toDisplaySafe);
}
