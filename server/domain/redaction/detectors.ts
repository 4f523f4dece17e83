// The detectors behind redactText. Each is one precompiled global regex that finds candidates in a
// single left-to-right scan, plus a replacer that validates the candidate (checksum, digit count,
// shape) and either returns the placeholder or the candidate unchanged.
//
// Regex rules that keep this linear on hostile input: no nested quantifiers over overlapping
// classes (repeated groups always start with a mandatory separator the group body cannot
// contain), bounded repetitions, and lookbehinds so a pattern is only tried where a token starts
// (`(?<![\w...])` fails in one step everywhere else).
import { isValidIban, passesLuhn } from "./checksums";
import type { RedactionDetector as DetectorName } from "./redact";

export interface Detector {
  name: DetectorName;
  pattern: RegExp;
  replace: (match: string, ...rest: string[]) => string;
  /** Cheap test on the whole string: false means the pattern cannot match, so skip the scan. */
  mayMatch: (text: string, shape: TextShape) => boolean;
}

/** Character counts taken in one pass over a string, for the detectors' pre-checks. */
export interface TextShape {
  digits: number;
  upper: number;
  at: boolean;
  percent: boolean;
}

export function shapeOf(text: string): TextShape {
  let digits = 0;
  let upper = 0;
  let at = false;
  let percent = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) digits++;
    else if (code >= 65 && code <= 90) upper++;
    else if (code === 64) at = true;
    else if (code === 37) percent = true;
  }
  return { digits, upper, at, percent };
}

export const PLACEHOLDER: Readonly<Record<DetectorName, string>> = {
  email: "[REDACTED:EMAIL]",
  phone: "[REDACTED:PHONE]",
  card: "[REDACTED:CARD]",
  iban: "[REDACTED:IBAN]",
  ssn: "[REDACTED:SSN]",
  bearer: "[REDACTED:BEARER]",
  api_key: "[REDACTED:API_KEY]",
  jwt: "[REDACTED:JWT]",
};

/**
 * Replacements made by the detector currently running. `String.replace` calls the replacers
 * synchronously, so a module-level tally is safe and spares a closure per call on the hot path.
 */
export const tally = { count: 0 };

function redacted(name: DetectorName): string {
  tally.count++;
  return PLACEHOLDER[name];
}

// ---------------------------------------------------------------------------------------------
// bearer: the credential after the auth scheme. The word stays ("Bearer [REDACTED:BEARER]") so a
// stored header still says what it was. The token must look like one (a digit or a token68
// punctuation mark, or long) so prose such as "Bearer authentication" or "bearer bonds" survives.
const BEARER = /(?<![\w-])(bearer)([ \t]+)([\w.~+/-]+=*)/gi;
const TOKEN_MARK = /[\d.~+/=]/;

function replaceBearer(match: string, word: string, space: string, token: string): string {
  if (token.length < 8 || (!TOKEN_MARK.test(token) && token.length < 24)) return match;
  return word + space + redacted("bearer");
}

// ---------------------------------------------------------------------------------------------
// jwt: header.payload.signature (or the five segments of a JWE) whose header is base64url JSON
// carrying "alg". Only a header that decodes makes it a JWT: "eyJfoo.bar.baz" survives.
const JWT = /(?<![\w-])eyJ[\w-]+\.[\w-]+\.[\w-]*(?:\.[\w-]*\.[\w-]*)?(?![\w-])/g;

function headerHasAlg(segment: string): boolean {
  try {
    const binary = atob(segment.replace(/-/g, "+").replace(/_/g, "/"));
    const header: unknown = JSON.parse(binary);
    return typeof header === "object" && header !== null && typeof (header as { alg?: unknown }).alg === "string";
  } catch {
    return false;
  }
}

function replaceJwt(match: string): string {
  return headerHasAlg(match.slice(0, match.indexOf("."))) ? redacted("jwt") : match;
}

// ---------------------------------------------------------------------------------------------
// api_key: vendor secret formats, each anchored on its published prefix. The open-ended ones
// (sk-, xox?-) must also look random, so "sk-learn-style-names-with-dashes" survives.
const API_KEY = new RegExp(
  String.raw`(?<![\w-])(?:` +
    [
      String.raw`sk-[\w-]{20,}`, // OpenAI (sk-, sk-proj-, sk-svcacct-) and Anthropic (sk-ant-)
      String.raw`(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}`, // Stripe
      String.raw`(?:AKIA|ASIA)[A-Z0-9]{16}`, // AWS access key id
      String.raw`gh[pousr]_[A-Za-z0-9]{36,255}`, // GitHub classic tokens
      String.raw`github_pat_[\w]{22,255}`, // GitHub fine-grained tokens
      String.raw`xox[abpr]-[A-Za-z0-9-]{10,}`, // Slack
      String.raw`AIza[\w-]{35}`, // Google API key
      String.raw`agt_[\w-]{43}`, // Agentry keys (server/domain/keys/api-key.ts: agt_ + 32 bytes base64url)
    ].join("|") +
    String.raw`)(?![\w-])`,
  "g",
);
const LONG_RANDOM_RUN = /[A-Za-z0-9]{12}/;
const DIGIT = /\d/;

function replaceApiKey(match: string): string {
  if (match.startsWith("sk-") && !(DIGIT.test(match) && LONG_RANDOM_RUN.test(match.slice(3)))) return match;
  if (match.startsWith("xox") && !DIGIT.test(match)) return match;
  return redacted("api_key");
}

// ---------------------------------------------------------------------------------------------
// email: local@domain.tld with a letters-only TLD, also URL-encoded (local%40domain.tld).
// Hosts without a dotted TLD ("postgres@localhost", "a@b") are not addresses of a person and
// survive, as do package specs ("lodash@4.17.21") and retina asset names ("icon@2x.png").
const EMAIL = /(?<![\w.%+-])[\w%+-][\w.%+-]{0,63}(?:@|%40)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,24})(?![\w-])/g;
/** File extensions that are not top-level domains: "name@2x.png" is an asset, not an address. */
const FILE_EXTENSIONS = new Set("png jpg jpeg gif svg webp ico bmp tif tiff js mjs cjs ts tsx jsx css scss less json html htm txt yaml yml xml csv log map woff woff2 ttf otf lock wasm".split(" "));

function replaceEmail(match: string, tld: string): string {
  return FILE_EXTENSIONS.has(tld.toLowerCase()) ? match : redacted("email");
}

// ---------------------------------------------------------------------------------------------
// iban: CC + 2 check digits + BBAN, compact or in groups of four. Validated by registered length
// and mod-97. A spaced candidate may run into a following word of four capitals ("... 1332 EURO"),
// so group-aligned prefixes of the registered length are tried too.
const IBAN = /(?<!\w)[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?!\w)/g;

function replaceIban(match: string): string {
  if (!match.includes(" ")) return isValidIban(match) ? redacted("iban") : match;
  let compact = "";
  for (let end = match.indexOf(" "); ; end = match.indexOf(" ", end + 1)) {
    const stop = end === -1 ? match.length : end;
    compact = match.slice(0, stop).replace(/ /g, "");
    if (compact.length >= 15 && isValidIban(compact)) return redacted("iban") + match.slice(stop);
    if (end === -1) return match;
  }
}

// ---------------------------------------------------------------------------------------------
// card: 13-19 digits, plain or grouped the way cards are printed (4-4-4-4[-1..3], 4-4-4-1..3,
// Amex/Diners 4-6-5 / 4-6-4), passing Luhn. The first digit must be a card network's (2-6:
// Mastercard 2-series, Amex/Diners/JCB, Visa, Mastercard/Maestro, Discover/UnionPay): digit runs
// starting with 1 are epoch timestamps in ms/us/ns and snowflake ids, 10% of which pass Luhn.
// A grouped candidate may carry a CVV or an expiry behind it, so shorter group-aligned prefixes
// are tried as well; a run that goes on with dash-joined digits is some other identifier.
// The lookbehinds keep a candidate from starting inside a token or a dash-joined number, and a
// grouped one from starting inside a run of four-digit groups or a spaced IBAN (whose BBAN groups
// would otherwise pass Luhn 1 time in 10): "1234 4111 1111 1111 1111" is left alone.
const CARD = /(?<![\w.]|\d-)(?:[2-6]\d{12,18}|(?<!\d{4} |[A-Z]{2}\d{2} )(?:[2-6]\d{3}([ -])\d{4}\1\d{4}(?:\1\d{1,4}){1,2}|3\d{3}([ -])\d{6}\2\d{4,5}))(?!\w|\.\d|-\w)/g;

export function isCardNumber(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  const first = digits.charCodeAt(0);
  return first >= 50 && first <= 54 && passesLuhn(digits);
}

function replaceCard(match: string): string {
  let digits = "";
  let best = -1;
  for (let i = 0; i <= match.length; i++) {
    const code = i < match.length ? match.charCodeAt(i) : 32;
    if (code >= 48 && code <= 57) {
      digits += match.charAt(i);
    } else if (isCardNumber(digits)) {
      best = i; // the longest card-valid group-aligned prefix wins
    }
  }
  return best === -1 ? match : redacted("card") + match.slice(best);
}

// ---------------------------------------------------------------------------------------------
// ssn: ddd-dd-dddd without the never-issued ranges (area 000, 666, 9xx; group 00; serial 0000).
// Dashes are required: a bare nine-digit run is far more often an id than an SSN.
const SSN = /(?<![\w.-])(?!000|666|9)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?!\w|-\w|\.\d)/g;

function replaceSsn(): string {
  return redacted("ssn");
}

// ---------------------------------------------------------------------------------------------
// phone: four shapes, all with a required structure so dates (2026-11-25), times, versions
// (1.2.3), IP addresses, UUIDs and plain numbers never qualify:
//   international  +CC [(area)] groups separated by single spaces/dots/dashes, or +E.164 compact
//                  (also URL-encoded as %2B); 8-15 digits in all (E.164).
//   NANP           [1 ](415) 555-0132, 415-555-0132, 415.555.0132, 415 555 0132, with valid
//                  area and exchange codes (2-9 first).
//   trunk national 020 7946 0958, 01 23 45 67 89, 030-901820: a 0 + area code, then groups
//                  with one consistent separator; 9-12 digits in all.
// The lookbehind keeps a match from starting inside a dashed/dotted token or a time (and a trunk
// number from starting inside a run of digit groups, such as the BBAN of a mistyped IBAN); the
// lookahead keeps it from stopping inside one (or before a ":" of a time).
const PHONE = new RegExp(
  String.raw`(?<![\w+.-]|\d:)(?:` +
    [
      String.raw`(?:\+|%2[Bb])[1-9]\d{0,2}(?:[ .-]?\(\d{1,4}\)\d{0,4})?(?:[ .-]\d{1,10}){1,6}`,
      String.raw`(?:\+|%2[Bb])[1-9]\d{7,14}`,
      String.raw`(?:1[ .-]?)?(?:\([2-9]\d{2}\)[ .-]?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}`,
      String.raw`(?<!\d )0[1-9]\d{0,3}([ .-])\d{2,8}(?:\1\d{2,8}){0,3}`,
    ].join("|") +
    String.raw`)(?![\w:]|\.\d|-\w)`,
  "g",
);

function countDigits(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) n++;
  }
  return n;
}

function replacePhone(match: string): string {
  const first = match.charCodeAt(0);
  if (first === 43 /* + */ || first === 37 /* % of %2B */) {
    const digits = countDigits(match) - (first === 37 ? 1 : 0);
    if (digits < 8 || digits > 15) return match;
  } else if (first === 48 /* 0 */) {
    const digits = countDigits(match);
    if (digits < 9 || digits > 12) return match;
  }
  return redacted("phone");
}

// ---------------------------------------------------------------------------------------------
// Order matters where detectors overlap; each later detector sees the earlier ones' placeholders,
// which none of them can match (brackets are outside every token class):
// - bearer first: "Bearer eyJ..." or "Bearer sk-..." is a credential in an Authorization header
//   whatever its format, and keeping "Bearer" says so; it counts once, as BEARER.
// - jwt before api_key: a JWT segment is base64url and may contain "sk-..."-like runs.
// - api_key and email before the digit detectors: keys and addresses contain digit runs.
// - iban before card/phone: a BBAN is full of digit groups.
// - card and ssn before phone: they are checksum/range-validated, phone is shape-only.
// The pre-checks are lower bounds on what a match needs: a phone has at least 8 digits, an SSN 9,
// a card 13; an IBAN at least 2 capitals and 2 digits; the token detectors a literal prefix.
const BEARER_HINT = /earer/i;
const API_KEY_HINT = /sk-|[srp]k_|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abpr]-|AIza|agt_/;

export const DETECTORS_IN_ORDER: readonly Detector[] = [
  { name: "bearer", pattern: BEARER, replace: replaceBearer, mayMatch: (text) => BEARER_HINT.test(text) },
  { name: "jwt", pattern: JWT, replace: replaceJwt, mayMatch: (text) => text.includes("eyJ") },
  { name: "api_key", pattern: API_KEY, replace: replaceApiKey, mayMatch: (text) => API_KEY_HINT.test(text) },
  { name: "email", pattern: EMAIL, replace: replaceEmail, mayMatch: (_text, shape) => shape.at || (shape.percent && shape.digits >= 2) },
  { name: "iban", pattern: IBAN, replace: replaceIban, mayMatch: (_text, shape) => shape.digits >= 2 && shape.upper >= 2 },
  { name: "card", pattern: CARD, replace: replaceCard, mayMatch: (_text, shape) => shape.digits >= 13 },
  { name: "ssn", pattern: SSN, replace: replaceSsn, mayMatch: (_text, shape) => shape.digits >= 9 },
  { name: "phone", pattern: PHONE, replace: replacePhone, mayMatch: (_text, shape) => shape.digits >= 8 },
];
