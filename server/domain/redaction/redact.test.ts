import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { generateApiKey } from "../keys/api-key";
import { isValidIban } from "./checksums";
import { isCardNumber } from "./detectors";
import { DEFAULT_REDACTION_DETECTORS, REDACTION_DETECTORS, redactJson, redactText, type RedactionDetector } from "./redact";
import { grouped, ibanFor, jwtWith, withLuhnDigit } from "./test-data";

const ALL: ReadonlySet<RedactionDetector> = new Set(DEFAULT_REDACTION_DETECTORS);
const only = (...names: RedactionDetector[]): ReadonlySet<RedactionDetector> => new Set(names);
const redact = (text: string) => redactText(text, ALL);

/** Each case: text, expected text, expected count. */
type Case = [string, string, number];

function expectCases(cases: Case[]): void {
  for (const [input, expected, count] of cases) {
    expect(redact(input), input).toEqual({ text: expected, count });
  }
}

function expectUntouched(inputs: string[]): void {
  for (const input of inputs) expect(redact(input), input).toEqual({ text: input, count: 0 });
}

const JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
const OPENAI_KEY = "sk-proj-4xK9mQ2vLp7RtZ8wNc3bHj6YdFg1sEa0uTiOyWq5XrMn_Bv-Kl2Pz8Jh7Gf4Dc";
const ANTHROPIC_KEY = "sk-ant-api03-Xr8v2KqLm9NpT4wZ7bYc1HdJfG6sEa3uRiOyQ5tMnB0vWx-Kl2Pz8Jh7Gf4DcAa_bC9dE3fG5hI7jK1lM-AA";

describe("the public surface", () => {
  test("lists every detector, all on by default", () => {
    expect([...REDACTION_DETECTORS].sort()).toEqual(["api_key", "bearer", "card", "email", "iban", "jwt", "phone", "ssn"]);
    expect([...DEFAULT_REDACTION_DETECTORS].sort()).toEqual([...REDACTION_DETECTORS].sort());
  });

  test("runs only the detectors it is given", () => {
    const text = "jane@example.com called from 415-555-0132 about card 4111 1111 1111 1111";
    expect(redactText(text, only("email"))).toEqual({ text: "[REDACTED:EMAIL] called from 415-555-0132 about card 4111 1111 1111 1111", count: 1 });
    expect(redactText(text, only("phone", "card"))).toEqual({ text: "jane@example.com called from [REDACTED:PHONE] about card [REDACTED:CARD]", count: 2 });
    expect(redactText(text, new Set())).toEqual({ text, count: 0 });
  });
});

describe("email", () => {
  test("redacts addresses in prose, logs, headers and URLs", () => {
    expectCases([
      ["Contact jane.doe@example.com for access.", "Contact [REDACTED:EMAIL] for access.", 1],
      ['From: "Ops" <ops+alerts@mail.acme-corp.co.uk>', 'From: "Ops" <[REDACTED:EMAIL]>', 1],
      ['{"level":"info","user":"J.Smith_99@Example.ORG","msg":"login ok"}', '{"level":"info","user":"[REDACTED:EMAIL]","msg":"login ok"}', 1],
      ["mailto:support@acme.io?subject=Hi", "mailto:[REDACTED:EMAIL]?subject=Hi", 1],
      ["GET /v1/users?email=jane.doe%40example.com&page=2", "GET /v1/users?email=[REDACTED:EMAIL]&page=2", 1],
      ["cc: a.b@x.dev, c-d@y.internal", "cc: [REDACTED:EMAIL], [REDACTED:EMAIL]", 2],
    ]);
  });

  test("leaves look-alikes alone: hosts without a dotted TLD, mentions, packages, assets, digests", () => {
    expectUntouched([
      "connect to postgres@localhost:5432",
      "a@b",
      "thanks @mention and @team-leads",
      "installed lodash@4.17.21 and @types/node@20.11.5",
      "img src=/static/icon@2x.png",
      "pulled nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31",
      "user@example",
      "x@y.z",
      "email@1.2.3",
    ]);
  });
});

describe("phone", () => {
  test("redacts international and national numbers", () => {
    expectCases([
      ["Call +1 (415) 555-0132 after 5pm", "Call [REDACTED:PHONE] after 5pm", 1],
      ["London office: +44 20 7946 0958.", "London office: [REDACTED:PHONE].", 1],
      ["+44 (0)20 7946 0958", "[REDACTED:PHONE]", 1],
      ["callback 415-555-0132 or (415) 555 0132 or 415.555.0132", "callback [REDACTED:PHONE] or [REDACTED:PHONE] or [REDACTED:PHONE]", 3],
      ["toll free 1-800-555-0199", "toll free [REDACTED:PHONE]", 1],
      ['{"to":"+14155550132","channel":"sms"}', '{"to":"[REDACTED:PHONE]","channel":"sms"}', 1],
      ["https://api.twilio.example/send?to=%2B14155550132&body=hi", "https://api.twilio.example/send?to=[REDACTED:PHONE]&body=hi", 1],
      ["Paris: +33 1 23 45 67 89, Berlin: +49 30 901820", "Paris: [REDACTED:PHONE], Berlin: [REDACTED:PHONE]", 2],
      ["UK national 020 7946 0958 / mobile 07700 900123", "UK national [REDACTED:PHONE] / mobile [REDACTED:PHONE]", 2],
      ["FR 01 23 45 67 89", "FR [REDACTED:PHONE]", 1],
      ["Room 5 415-555-0132", "Room 5 [REDACTED:PHONE]", 1],
      ['<a href="tel:+14155550132">phone:415-555-0132</a>', '<a href="tel:[REDACTED:PHONE]">phone:[REDACTED:PHONE]</a>', 2],
    ]);
  });

  test("leaves dates, times, versions, IPs, UUIDs, order numbers and short numbers alone", () => {
    expectUntouched([
      "due 2026-11-25, shipped 2026/11/25",
      "at 2026-11-25T12:30:45.123Z (12:30:45)",
      "started 23:03 00000019-e4da-18c7-9872-ec877a6d5bc3",
      "local time 05.11.2026 10:30",
      "timezone +05:30 and +0100",
      "upgraded 1.2.3 -> 10.20.30 (build 2026.11.25.1)",
      "client 192.168.100.200 via 10.0.0.1:8080",
      "trace 550e8400-e29b-41d4-a716-446655440000",
      "id 12345678-1234-5678-1234-567812345678",
      "order #123456789 and order ORD-415-555-0132-A",
      "invoice 2026-000123, ticket 4155550132",
      "retry 3 of 5, took 1500 ms, 42 tokens",
      "123-456-7890",
      "scores 1 2 3 4 5 6 7 8 9",
      "+1.2.3",
      "ratio 0.123 456 789",
    ]);
  });
});

describe("card", () => {
  test("redacts Luhn-valid numbers, plain or grouped", () => {
    expectCases([
      ["paid with 4111 1111 1111 1111 today", "paid with [REDACTED:CARD] today", 1],
      ["card=5500-0000-0000-0004;", "card=[REDACTED:CARD];", 1],
      ['{"pan":"378282246310005"}', '{"pan":"[REDACTED:CARD]"}', 1],
      ["amex 3782 822463 10005", "amex [REDACTED:CARD]", 1],
      ["discover 6011111111111117 jcb 3530111333300000", "discover [REDACTED:CARD] jcb [REDACTED:CARD]", 2],
      ["mastercard 2-series 2223 0031 2200 3222", "mastercard 2-series [REDACTED:CARD]", 1],
      // A CVV written after the number does not hide the card.
      ["4111 1111 1111 1111 123 exp 12/29", "[REDACTED:CARD] 123 exp 12/29", 1],
    ]);
  });

  test("leaves numbers that fail Luhn or are not card-like alone", () => {
    expectUntouched([
      "4111 1111 1111 1112",
      "4111111111111112",
      "5500-0000-0000-0005",
      // Epoch milliseconds/nanoseconds start with 1, like no card network's numbers.
      "ts=1764000000006 ns=1764000000000000003",
      // Too long to be a card, and decimals.
      "41111111111111111111111",
      "ratio 0.4111111111111111",
      "4111-1111-1111-1111-1111-1111",
    ]);
  });
});

describe("iban", () => {
  test("redacts valid IBANs with or without spaces", () => {
    expectCases([
      ["IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX", "IBAN [REDACTED:IBAN], BIC COBADEFFXXX", 1],
      ["pay to GB82WEST12345698765432.", "pay to [REDACTED:IBAN].", 1],
      ['{"iban":"FR14 2004 1010 0505 0001 3M02 606"}', '{"iban":"[REDACTED:IBAN]"}', 1],
      ["NL91ABNA0417164300 / NO9386011117947", "[REDACTED:IBAN] / [REDACTED:IBAN]", 2],
      // A following word of four capitals is not swallowed.
      ["ES91 2100 0418 4502 0005 1332 EURO", "[REDACTED:IBAN] EURO", 1],
    ]);
  });

  test("leaves IBAN-shaped strings with a wrong check, length or country alone", () => {
    expectUntouched(["DE88 3704 0044 0532 0130 00", "GB82WEST12345698765433", "DE89 3704 0044 0532 0130 0", "XX89370400440532013000", "SKU AB12CDEF34567890XYZ"]);
  });
});

describe("ssn", () => {
  test("redacts ddd-dd-dddd in issued ranges", () => {
    expectCases([
      ["SSN 123-45-6789 on file", "SSN [REDACTED:SSN] on file", 1],
      ['{"ssn":"078-05-1120"}', '{"ssn":"[REDACTED:SSN]"}', 1],
      ["applicant 665-12-3456.", "applicant [REDACTED:SSN].", 1],
      ["applicant #2 123-45-6789", "applicant #2 [REDACTED:SSN]", 1],
    ]);
  });

  test("leaves never-issued ranges and other digit shapes alone", () => {
    expectUntouched(["000-12-3456", "666-12-3456", "900-12-3456 and 987-65-4320", "123-00-4567", "123-45-0000", "123456789", "1234-56-7890", "123-45-67890", "part 123-45-6789-B"]);
  });
});

describe("bearer", () => {
  test("redacts the token and keeps the scheme word", () => {
    expectCases([
      ["Authorization: Bearer 9f8e7d6c5b4a3210fedcba98", "Authorization: Bearer [REDACTED:BEARER]", 1],
      ['{"headers":{"authorization":"bearer abc.def-ghi_jkl~mno+pqr/stu=="}}', '{"headers":{"authorization":"bearer [REDACTED:BEARER]"}}', 1],
      ["curl -H 'Authorization: BEARER QWxhZGRpbjpvcGVuIHNlc2FtZQ'", "curl -H 'Authorization: BEARER [REDACTED:BEARER]'", 1],
      // Overlap: a JWT or vendor key sent as a bearer token counts once, as BEARER.
      [`Authorization: Bearer ${JWT}`, "Authorization: Bearer [REDACTED:BEARER]", 1],
      [`Authorization: Bearer ${OPENAI_KEY}`, "Authorization: Bearer [REDACTED:BEARER]", 1],
    ]);
  });

  test("leaves prose and templates alone", () => {
    expectUntouched(["Use Bearer authentication for the admin API", "the bearer of bad news", "bearer bonds", "Authorization: Bearer <token>", "Authorization: Bearer ${TOKEN}", "Bearer token-based auth"]);
  });
});

describe("api_key", () => {
  test("redacts well-known secret formats", () => {
    const agentry = generateApiKey().key;
    expectCases([
      [`OPENAI_API_KEY=${OPENAI_KEY}`, "OPENAI_API_KEY=[REDACTED:API_KEY]", 1],
      [`x-api-key: ${ANTHROPIC_KEY}`, "x-api-key: [REDACTED:API_KEY]", 1],
      ["legacy sk-Ab3dEf6hIj9kLmN0pQrStUvWxYz1234567890abcdEFGHIJ", "legacy [REDACTED:API_KEY]", 1],
      ["aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "aws_access_key_id = [REDACTED:API_KEY]", 1],
      ["session ASIAY34FZKBOKMUTVV7A expired", "session [REDACTED:API_KEY] expired", 1],
      ["git clone https://ghp_1234567890abcdefghijklmnopqrstuvwxyz@github.com/acme/x", "git clone https://[REDACTED:API_KEY]@github.com/acme/x", 1],
      ["gho_16C7e42F292c6912E7710c838347Ae178B4a and ghs_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "[REDACTED:API_KEY] and [REDACTED:API_KEY]", 2],
      ["token github_pat_11ABCDEFG0123456789abc_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVW", "token [REDACTED:API_KEY]", 1],
      ['{"slack":"xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"}', '{"slack":"[REDACTED:API_KEY]"}', 1],
      ["stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc rk_live_51Hx2kLmNoPqRsTuVwXyZ012 pk_live_TYooMQauvdEDq54NiTphI7jx", "stripe [REDACTED:API_KEY] [REDACTED:API_KEY] [REDACTED:API_KEY]", 3],
      ["https://maps.googleapis.com/maps/api/geocode/json?key=AIzaSyD-1234567890abcdefghijklmnopqrstu&address=x", "https://maps.googleapis.com/maps/api/geocode/json?key=[REDACTED:API_KEY]&address=x", 1],
      [`agent key ${agentry} leaked`, "agent key [REDACTED:API_KEY] leaked", 1],
    ]);
  });

  test("leaves ordinary dashed and underscored words alone", () => {
    expectUntouched([
      "sk-learn-is-a-cool-library-name-for-ml",
      "sk-2024-roadmap-for-q3-planning-notes",
      "ask-me-anything-thread-for-the-whole-team",
      "risk_live_monitoring_dashboard_enabled",
      "task_test_results_for_the_nightly_build",
      "xoxo-hugs-and-kisses-from-the-team",
      "AKIAshort and ASIA-PACIFIC-REGION",
      "ghp_short gho_ github_pat_ agt_ agt_prefix12",
      "column agt_team_budget_allocation_per_month",
      "sk-1234567890abcdef",
    ]);
  });
});

describe("jwt", () => {
  test("redacts tokens whose header is JSON with alg", () => {
    const rs256 = jwtWith({ alg: "RS256", typ: "JWT", kid: "2026-key" });
    const unsigned = jwtWith({ alg: "none" }).replace(/[^.]+$/, "");
    expectCases([
      [`id_token=${JWT}&state=xyz`, "id_token=[REDACTED:JWT]&state=xyz", 1],
      [`{"assertion":"${rs256}"}`, '{"assertion":"[REDACTED:JWT]"}', 1],
      [`unsigned ${unsigned} end`, "unsigned [REDACTED:JWT] end", 1],
    ]);
  });

  test("leaves dotted non-tokens alone", () => {
    const noAlg = jwtWith({ typ: "JWT" });
    expectUntouched(["a.b.c", "v1.2.3", "eyJfoo.bar.baz", noAlg, "eyJhbGciOiJIUzI1NiJ9 alone", "www.example.com"]);
  });
});

describe("mixed text", () => {
  test("redacts every kind in one log line and counts each", () => {
    const line =
      `2026-11-25T12:30:45Z INFO user=jane.doe@example.com phone=+44 20 7946 0958 card=4111111111111111 ` +
      `iban=DE89370400440532013000 ssn=123-45-6789 auth="Bearer 9f8e7d6c5b4a3210fedcba98" key=AKIAIOSFODNN7EXAMPLE jwt=${JWT} v=1.2.3`;
    expect(redact(line)).toEqual({
      text:
        "2026-11-25T12:30:45Z INFO user=[REDACTED:EMAIL] phone=[REDACTED:PHONE] card=[REDACTED:CARD] " +
        'iban=[REDACTED:IBAN] ssn=[REDACTED:SSN] auth="Bearer [REDACTED:BEARER]" key=[REDACTED:API_KEY] jwt=[REDACTED:JWT] v=1.2.3',
      count: 8,
    });
  });

  test("returns short and clean strings as they are", () => {
    expectUntouched(["", "ok", "gpt-4o-mini", "search_tickets", "Classified ticket as billing; confidence 0.93 after 2 attempts"]);
  });

  test("runs in linear time on adversarial input", () => {
    const hostile = ["a@".repeat(50_000), "1 ".repeat(50_000), "4111-".repeat(50_000), "+1 (1)".repeat(20_000), "DE89 ".repeat(50_000), "bearer ".repeat(50_000), "sk-".repeat(50_000), "eyJ.".repeat(50_000)];
    const started = performance.now();
    for (const text of hostile) redact(text);
    // Each is ~100-300 kB; catastrophic backtracking would take minutes, linear scans milliseconds.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const word = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"), minLength: 1, maxLength: 12 });
const prose = fc.array(fc.tuple(word, fc.constantFrom(" ", " ", ", ", ". ", "-", "_", "/", ": ")), { maxLength: 20 }).map((parts) => parts.map(([w, sep]) => w + sep).join(""));

/** A random card number of a network-like first digit (2-6), 13-19 digits, Luhn-valid. */
const cardNumber = fc.tuple(fc.integer({ min: 2, max: 6 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 11, maxLength: 17 })).map(([first, rest]) => withLuhnDigit(`${first}${rest.join("")}`));

/** Fragments that, glued in any order, put sensitive values and near-misses next to each other. */
const fragment = fc.oneof(
  word,
  fc.constantFrom(" ", "-", ".", "@", "+", "(", ")", ":", "/", "_", "=", "%40", "\n", "1", "0", "42", "2026-11-25", "1.2.3", "+1 ", "Bearer "),
  fc.constantFrom("jane@example.com", "+44 20 7946 0958", "415-555-0132", "(415) 555 0132", "123-45-6789", "DE89 3704 0044 0532 0130 00"),
  fc.constantFrom("GB82WEST12345698765432", "AKIAIOSFODNN7EXAMPLE", OPENAI_KEY, JWT, "4111 1111 1111 1111", "378282246310005"),
  cardNumber,
  fc.integer({ min: 0, max: 99_999 }).map(String),
);
const messy = fc.array(fragment, { maxLength: 25 }).map((parts) => parts.join(""));

describe("properties", () => {
  test("redacting twice gives the same text as redacting once", () => {
    fc.assert(
      fc.property(messy, (text) => {
        const once = redact(text);
        expect(redact(once.text)).toEqual({ text: once.text, count: 0 });
      }),
      { numRuns: 500 },
    );
  });

  test("a Luhn-valid card number never survives, however it is written", () => {
    fc.assert(
      fc.property(prose, cardNumber, fc.constantFrom("plain", "spaces", "dashes"), prose, (before, card, style, after) => {
        const written = style === "plain" ? card : grouped(card, style === "spaces" ? " " : "-");
        const { text, count } = redact(`${before} ${written} ${after}`);
        expect(count).toBeGreaterThanOrEqual(1);
        expect(text).not.toContain(card);
        expect(text).not.toContain(written);
      }),
    );
  });

  test("a valid IBAN never survives, and with a wrong check digit it is left alone", () => {
    const countries = ["DE", "GB", "FR", "NL", "ES", "IT", "CH", "NO", "BE", "AT"] as const;
    const lengths: Record<(typeof countries)[number], number> = { DE: 22, GB: 22, FR: 27, NL: 18, ES: 24, IT: 27, CH: 21, NO: 15, BE: 16, AT: 20 };
    fc.assert(
      fc.property(fc.constantFrom(...countries), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 30, maxLength: 30 }), fc.boolean(), (country, digits, spaced) => {
        const iban = ibanFor(country, digits.join("").slice(0, lengths[country] - 4));
        const written = spaced ? grouped(iban) : iban;
        expect(redact(`to ${written} please`)).toEqual({ text: "to [REDACTED:IBAN] please", count: 1 });

        const check = Number(iban.slice(2, 4));
        const wrong = `${iban.slice(0, 2)}${String(check === 98 ? 2 : check + 1).padStart(2, "0")}${iban.slice(4)}`;
        expect(isValidIban(wrong)).toBe(false);
        const wrongWritten = spaced ? grouped(wrong) : wrong;
        expect(redact(`to ${wrongWritten} please`)).toEqual({ text: `to ${wrongWritten} please`, count: 0 });
      }),
    );
  });

  test("timestamps, dates, times, IP addresses, versions, UUIDs and numbers up to 12 digits are never redacted", () => {
    const pad = (n: number) => String(n).padStart(2, "0");
    const calendar = fc.tuple(fc.integer({ min: 1970, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }));
    const clock = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }));
    const harmless = fc.oneof(
      fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2099-12-31T23:59:59Z"), noInvalidDate: true }).map((date) => date.toISOString()),
      fc.tuple(calendar, clock).map(([[y, mo, d], [h, mi, se]]) => `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(se)}`),
      fc.tuple(calendar, clock).map(([[y, mo, d], [h, mi]]) => `${pad(d)}.${pad(mo)}.${y} ${pad(h)}:${pad(mi)}`),
      calendar.map(([y, mo, d]) => `${pad(mo)}/${pad(d)}/${y}`),
      fc.ipV4(),
      fc.tuple(fc.ipV4(), fc.integer({ min: 1, max: 65_535 })).map(([ip, port]) => `${ip}:${port}`),
      // Versions; a three-digit major would look like a dotted US number (415.555.0132) and is redacted.
      fc.tuple(fc.nat(99), fc.nat(999), fc.nat(9999)).map((parts) => parts.join(".")),
      fc.uuid(),
      fc.integer({ min: 0, max: 999_999_999_999 }).map(String),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String),
    );
    fc.assert(
      fc.property(fc.array(harmless, { minLength: 1, maxLength: 8 }), (values) => {
        const text = values.join(", ");
        expect(redact(text)).toEqual({ text, count: 0 });
      }),
      { numRuns: 1000 },
    );
  });

  test("strings without digits or '@' are unchanged by the content detectors", () => {
    const content = only("email", "phone", "card", "iban", "ssn");
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (raw) => {
        const text = raw.replace(/[\d@]/g, "");
        expect(redactText(text, content)).toEqual({ text, count: 0 });
      }),
      { numRuns: 500 },
    );
  });

  test("ordinary prose is unchanged by every detector", () => {
    fc.assert(
      fc.property(prose, (text) => {
        expect(redact(text)).toEqual({ text, count: 0 });
      }),
      { numRuns: 500 },
    );
  });

  test("the count is the number of placeholders written", () => {
    fc.assert(
      fc.property(messy, (text) => {
        const { text: out, count } = redact(text);
        const placeholders = out.match(/\[REDACTED:[A-Z_]+\]/g)?.length ?? 0;
        const already = text.match(/\[REDACTED:[A-Z_]+\]/g)?.length ?? 0;
        expect(placeholders - already).toBe(count);
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// redactJson

/** Checks that `output` has `input`'s shape: same keys and lengths everywhere, non-strings kept. */
function expectSameShape(input: unknown, output: unknown): void {
  if (Array.isArray(input)) {
    expect(Array.isArray(output)).toBe(true);
    const items = output as unknown[];
    expect(items).toHaveLength(input.length);
    input.forEach((item, i) => expectSameShape(item, items[i]));
  } else if (typeof input === "object" && input !== null) {
    expect(typeof output === "object" && output !== null && !Array.isArray(output)).toBe(true);
    const record = output as Record<string, unknown>;
    expect(Object.keys(record)).toEqual(Object.keys(input));
    for (const [key, item] of Object.entries(input)) expectSameShape(item, record[key]);
  } else if (typeof input === "string") {
    expect(typeof output).toBe("string");
  } else if (typeof input === "number" && output === "[REDACTED:CARD]") {
    expect(isCardNumber(String(input))).toBe(true);
  } else {
    expect(output).toBe(input);
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

describe("redactJson", () => {
  test("redacts strings at every depth and keeps keys, numbers, booleans and nulls", () => {
    const attributes = {
      "http.url": "https://api.example.com/v1/users?email=jane.doe%40example.com",
      "http.status_code": 200,
      "gen_ai.usage.input_tokens": 1200,
      "jane@example.com": "keys are not redacted",
      customer: { phone: "+1 (415) 555-0132", vip: true, notes: null, tags: ["ssn 123-45-6789", "gold", 3] },
      headers: [{ name: "authorization", value: `Bearer ${JWT}` }],
    };
    expect(redactJson(attributes, ALL)).toEqual({
      value: {
        "http.url": "https://api.example.com/v1/users?email=[REDACTED:EMAIL]",
        "http.status_code": 200,
        "gen_ai.usage.input_tokens": 1200,
        "jane@example.com": "keys are not redacted",
        customer: { phone: "[REDACTED:PHONE]", vip: true, notes: null, tags: ["ssn [REDACTED:SSN]", "gold", 3] },
        headers: [{ name: "authorization", value: "Bearer [REDACTED:BEARER]" }],
      },
      count: 4,
    });
  });

  test("turns a card number sent as a JSON number into the placeholder and leaves other numbers", () => {
    const { value, count } = redactJson({ pan: 4111111111111111, amex: 378282246310005, ts: 1764000000000, orderId: 4111111111111112, amount: 12.5 }, ALL);
    expect(value).toEqual({ pan: "[REDACTED:CARD]", amex: "[REDACTED:CARD]", ts: 1764000000000, orderId: 4111111111111112, amount: 12.5 });
    expect(count).toBe(2);
    expect(redactJson({ pan: 4111111111111111 }, only("email"))).toEqual({ value: { pan: 4111111111111111 }, count: 0 });
  });

  test("handles bare values", () => {
    expect(redactJson("mail jane@example.com", ALL)).toEqual({ value: "mail [REDACTED:EMAIL]", count: 1 });
    expect(redactJson(42, ALL)).toEqual({ value: 42, count: 0 });
    expect(redactJson(null, ALL)).toEqual({ value: null, count: 0 });
    expect(redactJson(undefined, ALL)).toEqual({ value: undefined, count: 0 });
    const at = new Date("2026-11-25T12:30:45Z");
    expect(redactJson({ at }, ALL).value).toEqual({ at });
  });

  test("keeps a __proto__ key as a key", () => {
    const input: unknown = JSON.parse('{"__proto__":{"email":"jane@example.com"},"a":1}');
    const { value } = redactJson(input, ALL);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(["__proto__", "a"]);
    expect(JSON.stringify(value)).toBe('{"__proto__":{"email":"[REDACTED:EMAIL]"},"a":1}');
  });

  test("copies even when nothing was redacted, so callers may change the result", () => {
    const input = { a: { b: ["x"] } };
    const { value } = redactJson(input, ALL);
    expect(value).toEqual(input);
    expect(value).not.toBe(input);
    expect((value as typeof input).a).not.toBe(input.a);
  });

  test("walks very deep nesting without overflowing the stack", () => {
    let deep: unknown = "reach me at jane@example.com";
    for (let i = 0; i < 200_000; i++) deep = [deep];
    let { value } = redactJson(deep, ALL);
    for (let i = 0; i < 200_000; i++) value = (value as unknown[])[0];
    expect(value).toBe("reach me at [REDACTED:EMAIL]");
  });

  test("refuses a cyclic value instead of looping", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => redactJson(cyclic, ALL)).toThrow(TypeError);
  });

  test("preserves structure and non-string values and never mutates its input", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const before = JSON.stringify(value);
        const result = redactJson(deepFreeze(value), ALL);
        expect(JSON.stringify(value)).toBe(before);
        expectSameShape(value, result.value);
      }),
      { numRuns: 300 },
    );
  });

  test("counts what redactText counts for each string", () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(word, messy, { maxKeys: 4 }), { maxLength: 4 }), (records) => {
        const expected = records.flatMap((record) => Object.values(record)).reduce((sum, text) => sum + redact(text).count, 0);
        const result = redactJson(records, ALL);
        expect(result.count).toBe(expected);
        expect(result.value).toEqual(records.map((record) => Object.fromEntries(Object.entries(record).map(([key, text]) => [key, redact(text).text]))));
      }),
      { numRuns: 200 },
    );
  });
});
