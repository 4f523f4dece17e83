// Property-based fuzzing of the console's tRPC inputs (docs/security.md). Every
// procedure of the app router (listed from the router itself, so a new one is fuzzed without
// anyone adding it here) is called over the same HTTP handler the app uses, as an org owner (who
// may call everything), with generated inputs: wrong types, huge strings, deep nesting, lone
// surrogates, NUL, bidirectional overrides, prototype keys, and bodies that are not JSON at all.
// The answer is always a refusal of the request (4xx) or a success, never a server error, and a
// refused call leaves the org's audit trail (and so every audited change) as it was.
import fc from "fast-check";
import superjson from "superjson";
import { z } from "zod";
import { beforeAll, describe, expect, test } from "vitest";
import { handleTrpcRequest } from "../../server/api/http-handler";
import { appRouter } from "../../server/api/root";
import { auditCount, createTestOrg, testDb, type TestOrg } from "./helpers";

interface ProcedureDef {
  _def: { type: "query" | "mutation" | "subscription"; inputs: unknown[] };
}
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, ProcedureDef>).map(([path, procedure]) => ({
  path,
  type: procedure._def.type,
  keys: inputKeys(procedure._def.inputs),
}));

/** The field names a procedure's input schemas know, so generated inputs hit real fields too. */
function inputKeys(inputs: unknown[]): string[] {
  const keys = new Set<string>();
  const visit = (schema: unknown, depth: number) => {
    if (depth > 3) return;
    if (schema instanceof z.ZodObject) {
      for (const [key, value] of Object.entries(schema.shape as Record<string, unknown>)) {
        keys.add(key);
        visit(value, depth + 1);
      }
    } else if (schema instanceof z.ZodUnion || schema instanceof z.ZodDiscriminatedUnion) {
      for (const option of schema.options as unknown[]) visit(option, depth + 1);
    } else if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault) {
      visit((schema as unknown as { unwrap(): unknown }).unwrap(), depth + 1);
    }
  };
  for (const input of inputs) visit(input, 0);
  return [...keys];
}

// ---------------------------------------------------------------------------------------------
// What a hostile or broken client sends.

const nastyString = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\uD800",
    "a\uDFFFb",
    "\u0000",
    "name\u0000",
    "Fin\u202Eecnan",
    "\u2066admin\u2069",
    "zero\u200Bwidth",
    "__proto__",
    "constructor",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "00000000-0000-0000-0000-000000000000",
    "https://example.invalid/agent",
    "x@y.invalid",
    "1e309",
    "-1",
    "NaN",
  ),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.uuid(),
  fc.integer({ min: 1000, max: 300_000 }).map((length) => "x".repeat(length)),
);

const scalar = fc.oneof(nastyString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.bigInt(), fc.date({ noInvalidDate: false }));

const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"];

/**
 * Nested far deeper than any input needs. Written into the request text only when encoded (by
 * string concatenation: serialising it would exhaust the test's own stack), so a failure report
 * stays short.
 */
class Deep {
  constructor(readonly depth: number) {}
  get token(): string {
    return `__deep_${this.depth}__`;
  }
  text(): string {
    return `${"[".repeat(this.depth)}"bottom"${"]".repeat(this.depth)}`;
  }
  [fc.toStringMethod](): string {
    return `Deep(${this.depth})`;
  }
}
const deep = fc.integer({ min: 50, max: 3000 }).map((depth) => new Deep(depth));

/** The generated value with each Deep as a placeholder string (keys copied as data, "__proto__" included). */
function withPlaceholders(value: unknown, found: Deep[]): unknown {
  if (value instanceof Deep) {
    found.push(value);
    return value.token;
  }
  if (Array.isArray(value)) return value.map((item) => withPlaceholders(item, found));
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      Object.defineProperty(out, key, { value: withPlaceholders((value as Record<string, unknown>)[key], found), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: "small" }, scalar, scalar, tie("array"), tie("object"), deep),
  array: fc.array(tie("any"), { maxLength: 5 }),
  object: fc.dictionary(fc.oneof(nastyString, fc.constantFrom(...PROTOTYPE_KEYS)), tie("any"), { maxKeys: 5 }),
})).any;

/** An input shaped like the procedure's: its own orgId (mostly), some of its fields, and hostile extras. */
function inputFor(keys: string[], orgId: string): fc.Arbitrary<unknown> {
  const fields = keys.filter((key) => key !== "orgId");
  const known = fields.length > 0 ? fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: fields.length }) : fc.constant({});
  const hostile = fc.dictionary(fc.constantFrom(...PROTOTYPE_KEYS), value, { maxKeys: 2 });
  return fc.oneof(
    { weight: 8, arbitrary: fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constant(orgId) }, { weight: 1, arbitrary: value }), known, hostile).map(([org, own, extra]) => withKeys({ orgId: org }, own, extra)) },
    { weight: 1, arbitrary: value },
  );
}

/** Copies keys with defineProperty, so "__proto__" arrives as a key, as JSON.parse would make it. */
function withKeys(...parts: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    for (const key of Object.keys(part)) Object.defineProperty(out, key, { value: part[key], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Either superjson (what the console's client sends) or a body that is not what it should be. */
const encoding = fc.oneof(
  { weight: 8, arbitrary: fc.constant("superjson" as const) },
  { weight: 1, arbitrary: fc.constant("plain-json" as const) },
  { weight: 1, arbitrary: fc.constantFrom("{", "not json", '{"json":', "[]", "null", '{"json":{"orgId":"x"},"meta":{"values":{"orgId":["undefined"]}}}', '{"json":1,"meta":{"values":["map"]}}') },
);

/** JSON as an attacker writes it: whatever the keys (the real client's superjson refuses "__proto__"). */
function plainJson(input: unknown): string {
  return JSON.stringify({ json: input }, (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item)) ?? "null";
}

function encode(generated: unknown, how: string): string {
  const deeps: Deep[] = [];
  const input = withPlaceholders(generated, deeps);
  let text = how;
  if (how === "superjson") {
    try {
      text = JSON.stringify(superjson.serialize(input));
    } catch {
      text = plainJson(input);
    }
  } else if (how === "plain-json") {
    text = plainJson(input);
  }
  for (const item of deeps) text = text.replace(JSON.stringify(item.token), item.text());
  return text;
}

function request(path: string, type: string, body: string): Request {
  if (type === "query") return new Request(`http://console.test/api/trpc/${path}?input=${encodeURIComponent(body)}`);
  return new Request(`http://console.test/api/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });
}

const REFUSALS = new Set([400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 429]);

describe("fuzzing every tRPC procedure's input", () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await createTestOrg();
    // Something for id-taking procedures to find, so fuzzing reaches past "not found" too.
    await testDb().agent.create({ data: { orgId: org.id, name: "fuzz-agent", teamId: org.leadTeamId } });
  });

  test("every procedure is fuzzed (listed from the router)", () => {
    expect(procedures.length).toBeGreaterThan(50);
    expect(procedures.filter((procedure) => procedure.type === "subscription")).toEqual([]);
  });

  test.each(procedures)("$path: never a server error, and a refused call changes nothing", async ({ path, type, keys }) => {
    const context = async (requestId: string) => ({ db: testDb(), userId: org.users.owner.userId, requestId });
    await fc.assert(
      fc.asyncProperty(inputFor(keys, org.id), encoding, async (input, how) => {
        const before = await auditCount(org.id);
        const response = await handleTrpcRequest(request(path, type, encode(input, how)), context);
        const text = await response.text();
        expect(response.status, `${path} answered ${response.status}: ${text.slice(0, 300)}`).not.toBeGreaterThanOrEqual(500);
        if (response.status !== 200) {
          expect(REFUSALS.has(response.status), `${path} answered ${response.status}`).toBe(true);
          // tRPC's error shape: a code the client can act on, and a message.
          const body = JSON.parse(text) as { error?: { json?: { data?: { code?: string }; message?: string } } };
          expect(body.error?.json?.data?.code).toEqual(expect.any(String));
          expect(await auditCount(org.id)).toBe(before);
        }
      }),
      { numRuns: 25 },
    );
  });
});
