// Property-based fuzzing of every /api/v1 endpoint over real HTTP (docs/security.md):
// decide, events, heartbeat, approvals/:id, directives/stream, otlp/v1/traces (JSON and
// protobuf, plain and gzip), mcp, openapi.json, and paths and methods the API does not have. Each
// request is what a broken or hostile client sends: malformed JSON, wrong types, huge strings,
// nesting 10,000 levels deep, lone surrogates, NUL, bidirectional overrides, prototype keys, wrong
// content types and encodings, bodies past the limit, odd keys and headers. The answer is never a
// server error: a success, or a 4xx in the documented shape (`{"error":{code,message,details?}}`,
// a google.rpc.Status for protobuf OTLP, JSON-RPC's error for MCP), and a refused request leaves
// the database as it was (events, decisions, audit entries, agents, instances, approvals,
// reservations of both orgs). The other org (B) is never changed by anything org A's keys send.
// The cases that once found a 500 are kept below the properties.
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { getPool } from "../../server/db/pool";
import { generateApiKey } from "../../server/domain/keys/api-key";
import { protobufBody, recordSpans } from "../otel/spans";
import { agentApiUrl } from "./agent-api";
import { createTestOrg, testDb } from "./helpers";
import { apiRefusalProblem, otlpStatusProblem, send, type RawAnswer, type RawRequest } from "./raw-http";

// The fuzzer is the load here: no per-key limit (this file runs in its own worker; read at first use).
process.env.AGENTRY_RATE_LIMIT_RPS = "0";

// Per property; AGENT_API_FUZZ_RUNS=1000 for a longer hunt (FC_SEED replays a failure: test/fast-check-setup.ts).
const RUNS = Number(process.env.AGENT_API_FUZZ_RUNS ?? 100);

// ---------------------------------------------------------------------------------------------
// The world: org A (whose keys the fuzzer holds) and org B (which it must never touch).

interface World {
  orgA: string;
  orgB: string;
  agentA: { id: string; name: string };
  agentB: { id: string; name: string };
  keys: { agent: string; ingest: string; revoked: string; otherOrgAgent: string };
  approvalA: string;
  approvalB: string;
}
let world: World;
let base: string;

async function agentWithKey(orgId: string, name: string): Promise<{ id: string; name: string; key: string }> {
  const agent = await testDb().agent.create({ data: { orgId, name, tags: ["fuzz"] } });
  const key = generateApiKey();
  await testDb().apiKey.create({ data: { orgId, kind: "agent", agentId: agent.id, name: "fuzz", prefix: key.prefix, hash: key.hash } });
  return { id: agent.id, name, key: key.key };
}

beforeAll(async () => {
  const [a, b] = [await createTestOrg(), await createTestOrg()];
  for (const org of [a, b]) await testDb().org.update({ where: { id: org.id }, data: { settings: { policyDefault: "allow" } } });
  const agentA = await agentWithKey(a.id, "fuzz-agent");
  const agentB = await agentWithKey(b.id, "fuzz-agent-b");
  const ingest = generateApiKey();
  await testDb().apiKey.create({ data: { orgId: a.id, kind: "ingest", name: "fuzz ingest", prefix: ingest.prefix, hash: ingest.hash } });
  const revoked = generateApiKey();
  await testDb().apiKey.create({ data: { orgId: a.id, kind: "agent", agentId: agentA.id, name: "fuzz revoked", prefix: revoked.prefix, hash: revoked.hash, revokedAt: new Date() } });
  const approval = (orgId: string, agentId: string) =>
    testDb().approval.create({
      data: { orgId, agentId, decisionId: crypto.randomUUID(), actionType: "tool", actionName: "refund", arguments: { amount: 1 }, expiresAt: new Date(Date.now() + 3_600_000) },
    });
  world = {
    orgA: a.id,
    orgB: b.id,
    agentA: { id: agentA.id, name: agentA.name },
    agentB: { id: agentB.id, name: agentB.name },
    keys: { agent: agentA.key, ingest: ingest.key, revoked: revoked.key, otherOrgAgent: agentB.key },
    approvalA: (await approval(a.id, agentA.id)).id,
    approvalB: (await approval(b.id, agentB.id)).id,
  };
  base = await agentApiUrl();
});

// ---------------------------------------------------------------------------------------------
// What the database holds for each org, before and after.

async function counts(orgId: string): Promise<Record<string, number>> {
  const { rows } = await getPool().query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM events WHERE org_id = $1) AS events,
            (SELECT count(*) FROM decisions WHERE org_id = $1) AS decisions,
            (SELECT count(*) FROM audit_entries WHERE org_id = $1) AS audit_entries,
            (SELECT count(*) FROM agents WHERE org_id = $1) AS agents,
            (SELECT count(*) FROM agent_instances WHERE org_id = $1) AS agent_instances,
            (SELECT count(*) FROM approvals WHERE org_id = $1) AS approvals,
            (SELECT count(*) FROM budget_reservations WHERE org_id = $1) AS budget_reservations`,
    [orgId],
  );
  return Object.fromEntries(Object.entries(rows[0] ?? {}).map(([name, value]) => [name, Number(value)]));
}

async function settled(orgId: string): Promise<void> {
  let last = JSON.stringify(await counts(orgId));
  for (let attempt = 0; attempt < 50; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = JSON.stringify(await counts(orgId));
    if (now === last) return;
    last = now;
  }
}

/**
 * The statuses the current property received: a fuzzer that never got past validation (or never
 * failed it) proves little. Random requests that pass every check are rare for some endpoints, so
 * each property also runs a well-formed request (fast-check's `examples`): it must succeed.
 */
let statuses: number[] = [];
function expectSuccessesAndRefusals(): void {
  expect(
    statuses.some((status) => status < 300),
    `no request succeeded: ${statuses.join(" ")}`,
  ).toBe(true);
  expect(
    statuses.some((status) => status >= 400),
    "no request was refused",
  ).toBe(true);
}

type Expect = "api" | "otlp-protobuf" | "mcp";

/**
 * Sends one request and checks what every request must satisfy; returns the answer for more
 * checks. Only the org whose key was sent may change, and only by a request that was not refused.
 */
async function check(request: RawRequest, expect_: Expect = "api"): Promise<RawAnswer> {
  const [beforeA, beforeB] = await Promise.all([counts(world.orgA), counts(world.orgB)]);
  const answer = await send(base, request);
  statuses.push(answer.status);
  const what = `${request.method} ${request.path.slice(0, 160)} → ${answer.status} ${answer.text.slice(0, 300)}`;
  expect(answer.status, what).toBeGreaterThanOrEqual(200);
  expect(answer.status, what).toBeLessThan(500);
  const [afterA, afterB] = await Promise.all([counts(world.orgA), counts(world.orgB)]);
  const sentB = request.headers?.authorization?.includes(world.keys.otherOrgAgent) ?? false;
  if (sentB) expect(afterA, `org A changed by org B's key: ${what}`).toEqual(beforeA);
  else expect(afterB, `org B changed: ${what}`).toEqual(beforeB);
  const refused = answer.status >= 400 || (expect_ === "mcp" && mcpRefused(answer));
  if (refused) {
    // A HEAD answer has no body to check.
    const problem = request.method === "HEAD" ? null : expect_ === "otlp-protobuf" ? otlpStatusProblem(answer) : expect_ === "mcp" ? mcpRefusalProblem(answer) : apiRefusalProblem(answer);
    expect(problem, what).toBeNull();
    expect(afterA, `a refused request changed org A: ${what}`).toEqual(beforeA);
    expect(afterB, `a refused request changed org B: ${what}`).toEqual(beforeB);
  } else if (answer.status === 202) {
    // Accepted with nothing to say (an MCP notification).
    expect(answer.text, what).toBe("");
  } else if (String(answer.headers["content-type"]).startsWith("text/event-stream")) {
    // A stream marks its instance alive just after its first message: let that land before the next case counts.
    await settled(world.orgA);
  } else if (request.method !== "HEAD") {
    // A success is a body the client can read: JSON, or protobuf for a protobuf export.
    if (expect_ === "otlp-protobuf") expect(answer.headers["content-type"], what).toBe("application/x-protobuf");
    else expect(() => JSON.parse(answer.text), what).not.toThrow();
  }
  return answer;
}

// MCP answers JSON-RPC: a protocol error is `{jsonrpc, error:{code,message}, id}`, a tool that
// refused its input answers `isError` in a result. Either is a refusal; neither may hide a fault.
const mcpError = (value: unknown): value is { error: { code: number; message: string } } => {
  const error = (value as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === "number" && typeof error.message === "string";
};
const mcpMessages = (answer: RawAnswer): unknown[] => {
  try {
    const json = JSON.parse(answer.text) as unknown;
    return Array.isArray(json) ? json : [json];
  } catch {
    return [];
  }
};
function mcpRefused(answer: RawAnswer): boolean {
  const messages = mcpMessages(answer);
  return messages.length > 0 && messages.every((message) => mcpError(message) || (message as { result?: { isError?: boolean } }).result?.isError === true);
}
function mcpRefusalProblem(answer: RawAnswer): string | null {
  if (answer.text.includes("internal_error")) return `a fault reported as a tool error: ${answer.text.slice(0, 300)}`;
  if (answer.status >= 400 && apiRefusalProblem(answer) === null) return null;
  const messages = mcpMessages(answer);
  if (messages.length === 0) return `not JSON: ${answer.status} ${answer.text.slice(0, 200)}`;
  for (const message of messages) {
    if (mcpError(message)) continue;
    const result = (message as { result?: { isError?: boolean; content?: { text?: string }[] } }).result;
    if (result?.isError && typeof result.content?.[0]?.text === "string") continue;
    return `neither a JSON-RPC error nor a tool error: ${JSON.stringify(message).slice(0, 200)}`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Hostile values. Big ones are placeholders written into the text when the request is built, so
// a failing case prints short.

class Filler {
  constructor(readonly length: number) {}
  [fc.toStringMethod](): string {
    return `Filler(${this.length})`;
  }
}
class Deep {
  constructor(
    readonly depth: number,
    readonly kind: "array" | "object",
  ) {}
  text(): string {
    return this.kind === "array" ? `${"[".repeat(this.depth)}1${"]".repeat(this.depth)}` : `${'{"a":'.repeat(this.depth)}1${"}".repeat(this.depth)}`;
  }
  [fc.toStringMethod](): string {
    return `Deep(${this.depth}, ${this.kind})`;
  }
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const nastyString: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\uD800",
    "a\uDFFFb",
    "\uDBFF\uDBFF",
    "\u0000",
    "id\u0000",
    "Fin\u202Eecnan",
    "\u2066admin\u2069",
    "zero\u200Bwidth",
    "\uFEFFbom",
    "__proto__",
    "constructor",
    "prototype",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00",
    "00000000-0000-0000-0000-000000000000",
    "1e309",
    "-0",
    "NaN",
    "9007199254740993",
    "2026-02-30T25:61:61Z",
    "\u{1F600}",
  ),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: fc.oneof(loneSurrogate, fc.constantFrom("a", "\u0000", "\u202E")), maxLength: 8 }),
  fc.constantFrom(201, 1_000, 70_000, 1_100_000).map((length) => new Filler(length)),
);
const nastyNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 0, 1e9 + 1, 2 ** 53 + 1, Number.MAX_VALUE, 1e-12, -0));
const scalar: fc.Arbitrary<unknown> = fc.oneof(nastyString, nastyNumber, fc.boolean(), fc.constant(null));
const deep = fc.tuple(fc.constantFrom(63, 65, 1_000, 10_000), fc.constantFrom("array" as const, "object" as const)).map(([depth, kind]) => new Deep(depth, kind));
const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"];

/** Keys copied with defineProperty: "__proto__" arrives as a key, as JSON.parse makes it. */
function objectOf(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: "small" }, { weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: tie("array") }, { weight: 1, arbitrary: tie("object") }, { weight: 1, arbitrary: deep }),
  array: fc.array(tie("any"), { maxLength: 4 }),
  object: fc.array(fc.tuple(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom(...PROTOTYPE_KEYS)), tie("any")), { maxLength: 4 }).map(objectOf),
})).any;

/** A field's value: mostly a plausible one, sometimes anything hostile (rarely enough that whole requests still pass often). */
const maybe = <T>(plausible: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: plausible }, { weight: 1, arbitrary: anyValue });

const DROPPED = Symbol("dropped");
/** `shape` with a key dropped now and then, and sometimes hostile keys added. */
function mutated(shape: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(shape);
  return fc
    .tuple(
      fc.tuple(...keys.map((key) => fc.option(shape[key] as fc.Arbitrary<unknown>, { freq: 12, nil: DROPPED }))),
      fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS, "extra"), anyValue), { minLength: 1, maxLength: 2 }) }),
    )
    .map(([values, extras]) => objectOf([...keys.flatMap((key, index): [string, unknown][] => (values[index] === DROPPED ? [] : [[key, values[index]]])), ...extras]));
}

/** JSON text of `value` with every placeholder written out. */
function jsonText(value: unknown): string {
  const placeholders: (Filler | Deep)[] = [];
  const text =
    JSON.stringify(value, (_key, item: unknown) => {
      if (item instanceof Filler || item instanceof Deep) {
        placeholders.push(item);
        return `\u0001${placeholders.length - 1}\u0001`;
      }
      return typeof item === "number" && !Number.isFinite(item) ? 1e308 * 10 : item;
    }) ?? "null";
  return text.replace(/"\\u0001(\d+)\\u0001"/g, (_match, index: string) => {
    const item = placeholders[Number(index)];
    return item instanceof Filler ? JSON.stringify("x".repeat(item.length)) : (item as Deep).text();
  });
}

/** A body as a broken client sends it: JSON of the value (mostly), or not JSON at all. */
function bodyOf(value: fc.Arbitrary<unknown>): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 6, arbitrary: value.map((item) => Buffer.from(jsonText(item), "utf8")) },
    { weight: 1, arbitrary: anyValue.map((item) => Buffer.from(jsonText(item), "utf8")) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          "",
          " ",
          "{",
          '{"events":',
          "null",
          "[]",
          '""',
          '{"a":1,}',
          "\uFEFF{}",
          "NaN",
          "1e999",
          "{'a':1}",
          '{"__proto__":{"polluted":true}}',
          '{"constructor":{"prototype":{"polluted":true}}}',
          '{"a":1}{"b":2}',
        )
        .map((text) => Buffer.from(text, "utf8")),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }).map((text) => Buffer.from(text, "utf8")) },
  );
}

// ---------------------------------------------------------------------------------------------
// Keys, headers and encodings.

const printable = fc.string({ unit: "grapheme-ascii", maxLength: 60 });
type KeyChoice = "agent" | "ingest" | "revoked" | "other-org-agent" | "none" | "garbage";
const keyChoice = (weights: Partial<Record<KeyChoice, number>> = {}): fc.Arbitrary<string | null> =>
  fc
    .oneof(
      { weight: weights.agent ?? 8, arbitrary: fc.constant("agent" as const) },
      { weight: weights.ingest ?? 2, arbitrary: fc.constant("ingest" as const) },
      { weight: weights.revoked ?? 1, arbitrary: fc.constant("revoked" as const) },
      { weight: weights["other-org-agent"] ?? 1, arbitrary: fc.constant("other-org-agent" as const) },
      { weight: weights.none ?? 1, arbitrary: fc.constant("none" as const) },
      { weight: weights.garbage ?? 1, arbitrary: fc.constant("garbage" as const) },
    )
    .chain((choice) => {
      switch (choice) {
        case "agent":
          return fc.constant(`Bearer ${world.keys.agent}`);
        case "ingest":
          return fc.constant(`Bearer ${world.keys.ingest}`);
        case "revoked":
          return fc.constant(`Bearer ${world.keys.revoked}`);
        case "other-org-agent":
          return fc.constant(`Bearer ${world.keys.otherOrgAgent}`);
        case "none":
          return fc.constant(null);
        default:
          return fc.oneof(
            fc.constantFrom("Bearer", "Bearer ", "bearer agt_", "Basic dXNlcjpwYXNz", `Bearer agt_${"a".repeat(5_000)}`, `Bearer ${world.keys.agent} extra`, `Bearer  ${world.keys.agent}`),
            printable.map((text) => `Bearer ${text}`),
          );
      }
    });

/** Content types: mostly JSON, also every way of not being JSON. */
const jsonContentType = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("application/json", "application/json; charset=utf-8") },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/json; charset=utf-16",
      "application/x-protobuf",
      "APPLICATION/JSON",
      "application/vnd.api+json",
      "application/json;;;",
      "*/*",
    ),
  },
  { weight: 1, arbitrary: printable },
);
const contentEncoding = fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: fc.constantFrom("gzip", "br", "deflate", "identity", "x-unknown", "gzip, gzip") });

interface Envelope {
  authorization: string | null;
  contentType: string;
  encoding: string | null;
  /** gzip the body (when the header says gzip, mostly it is; sometimes a liar). */
  gzip: boolean;
  chunked: boolean;
  requestId: string | null;
}
const envelope = (keys = keyChoice(), contentType: fc.Arbitrary<string> = jsonContentType, encoding = contentEncoding): fc.Arbitrary<Envelope> =>
  fc.record({
    authorization: keys,
    contentType,
    encoding,
    gzip: fc.boolean(),
    chunked: fc.boolean(),
    requestId: fc.option(fc.oneof(printable, fc.constant("x".repeat(300))), { nil: null }),
  });

/** What a well-behaved agent sends: its key, JSON, not compressed, not chunked. */
const agentEnvelope = (): Envelope => ({ authorization: `Bearer ${world.keys.agent}`, contentType: "application/json", encoding: null, gzip: false, chunked: false, requestId: null });
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), "utf8");

function post(path: string, env: Envelope, body: Buffer, method = "POST"): RawRequest {
  const headers: Record<string, string> = {};
  if (env.authorization !== null) headers.authorization = env.authorization;
  if (env.contentType !== "") headers["content-type"] = env.contentType;
  if (env.encoding !== null) headers["content-encoding"] = env.encoding;
  if (env.requestId !== null) headers["x-request-id"] = env.requestId;
  const gzipped = env.encoding !== null && env.encoding.startsWith("gzip") && env.gzip;
  return { method, path, headers, body: gzipped ? gzipSync(body) : body, chunked: env.chunked };
}

function get(path: string, authorization: string | null, extra: Record<string, string> = {}): RawRequest {
  return { method: "GET", path, headers: { ...(authorization !== null ? { authorization } : {}), ...extra } };
}

/** A path segment or query value, percent-encoded byte by byte (lone surrogates become U+FFFD's bytes, as a client's encoder makes them). */
function encoded(value: unknown): string {
  // A path past Node's 16 KiB header limit is refused by Node itself (431) before any handler runs.
  const text = value instanceof Filler ? "x".repeat(Math.min(value.length, 2_000)) : typeof value === "string" ? value : (JSON.stringify(value) ?? "");
  return [...Buffer.from(text, "utf8")].map((byte) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, "0").toUpperCase()}`)).join("");
}
/** Raw percent sequences no decoder accepts, and other path oddities. */
const BROKEN_SEGMENTS = ["%", "%E0%A4%A", "%FF", "%C0%AF", "%ED%A0%80", "%00", "..%2F..", "%2e%2e", "a%2Fb", "%uD800", "%%", "%zz"];

// ---------------------------------------------------------------------------------------------
// Plausible payloads, so fuzzing reaches past the first check.

const iso = fc.oneof(
  fc.constant(new Date().toISOString()),
  fc.date({ min: new Date("2000-01-01"), max: new Date(), noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom("1999-12-31T23:59:59Z", "2100-01-01T00:00:00Z", "2026-02-30T25:61:61Z", "2026-11-25T10:00:00"),
);
/** Arguments and attributes as agents send them: small JSON, prototype keys included. */
const plainObject = fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...PROTOTYPE_KEYS)), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((value) => objectOf(Object.entries(value)));
const agentReference = () =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(world.agentA.name, world.agentA.id) },
    { weight: 1, arbitrary: fc.constantFrom(world.agentB.name, world.agentB.id, "new-agent", "new\u202Eagent", "\uD800agent", "agent\u0000") },
  );

const eventLike = () =>
  mutated({
    id: maybe(fc.uuid()),
    type: maybe(fc.constantFrom("llm_call", "tool_call", "task_start", "task_end", "decision", "error", "log")),
    timestamp: iso,
    agent: maybe(agentReference()),
    model: maybe(fc.constantFrom("gpt-test", "unknown-model")),
    inputTokens: maybe(fc.nat(5000)),
    outputTokens: maybe(fc.nat(5000)),
    costUsd: maybe(fc.oneof(fc.constantFrom("0.01", "0", "12.5"), fc.double({ min: 0, max: 10, noNaN: true }))),
    latencyMs: maybe(fc.nat(100_000)),
    tool: maybe(fc.constantFrom("search", "delete_records")),
    status: maybe(fc.constantFrom("ok", "error")),
    decisionId: maybe(fc.uuid()),
    attributes: maybe(plainObject),
  });

const eventsBody = () =>
  fc.oneof(
    { weight: 5, arbitrary: fc.array(eventLike(), { minLength: 1, maxLength: 4 }).map((events) => ({ events })) },
    { weight: 1, arbitrary: fc.constantFrom(0, 1001).map((n) => ({ events: Array.from({ length: n }, (_, i) => ({ id: `e${i}`, type: "log", timestamp: new Date().toISOString() })) })) },
    { weight: 1, arbitrary: mutated({ events: anyValue }) },
  );

const decideBody = () =>
  mutated({
    action: maybe(
      mutated({
        type: maybe(fc.constantFrom("tool", "model", "data", "delegate")),
        name: maybe(fc.constantFrom("search", "auto", "gpt-test", "PCI", "other-agent")),
        arguments: maybe(plainObject),
      }),
    ),
    taskType: maybe(fc.constantFrom("classification", "analysis", "nope")),
    estimatedCostUsd: maybe(fc.constantFrom("0.01", "0", 0.5)),
    dataClasses: maybe(fc.array(fc.constantFrom("PII", "PCI", "x"), { maxLength: 3 })),
    instanceId: maybe(fc.constantFrom("i-1", "i-2")),
    taskId: maybe(fc.constantFrom("t-1")),
    approvalId: maybe(fc.constantFrom(world.approvalA, world.approvalB, "00000000-0000-0000-0000-000000000000")),
  });

const heartbeatBody = () =>
  mutated({
    instanceId: maybe(fc.constantFrom("i-1", "i-2")),
    version: maybe(fc.constantFrom("1.0.0")),
    status: maybe(fc.constantFrom("running", "halted")),
    directiveVersion: maybe(fc.nat(10)),
  });

// OTLP/JSON: an ExportTraceServiceRequest whose every part may be wrong.
const otlpAnyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    maybe(nastyString).map((stringValue) => ({ stringValue })),
    maybe(fc.oneof(fc.bigInt().map(String), fc.integer())).map((intValue) => ({ intValue })),
    maybe(fc.double()).map((doubleValue) => ({ doubleValue })),
    maybe(fc.boolean()).map((boolValue) => ({ boolValue })),
    fc.array(tie("value"), { maxLength: 3 }).map((values) => ({ arrayValue: { values } })),
    fc.array(tie("kv"), { maxLength: 3 }).map((values) => ({ kvlistValue: { values } })),
    maybe(fc.base64String({ maxLength: 12 })).map((bytesValue) => ({ bytesValue })),
  ),
  kv: mutated({
    key: maybe(fc.constantFrom("gen_ai.operation.name", "gen_ai.agent.name", "gen_ai.request.model", "gen_ai.usage.input_tokens", "gen_ai.tool.name", "__proto__", "x")),
    value: tie("value"),
  }),
})).value;
const otlpKv = mutated({
  key: maybe(fc.constantFrom("gen_ai.operation.name", "gen_ai.agent.name", "gen_ai.agent.id", "gen_ai.request.model", "gen_ai.usage.input_tokens", "service.name", "__proto__")),
  value: otlpAnyValue,
});
const hex = (length: number) => fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: length, maxLength: length });
const nanos = () => fc.oneof(fc.constant(`${BigInt(Date.now()) * 1_000_000n}`), fc.bigInt({ min: -1n, max: 2n ** 64n }).map(String), fc.integer().map(String), anyValue);
const otlpSpan = () =>
  mutated({
    traceId: maybe(hex(32)),
    spanId: maybe(fc.oneof(hex(16), fc.uuid())),
    parentSpanId: maybe(hex(16)),
    name: maybe(fc.constantFrom("chat gpt-test", "execute_tool search")),
    kind: maybe(fc.constantFrom(1, 3, "SPAN_KIND_CLIENT")),
    startTimeUnixNano: nanos(),
    endTimeUnixNano: nanos(),
    attributes: maybe(fc.array(otlpKv, { maxLength: 5 })),
    status: maybe(mutated({ code: maybe(fc.constantFrom(0, 1, 2, 3, "STATUS_CODE_ERROR")), message: maybe(nastyString) })),
  });
const otlpJson = () =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .array(
          mutated({
            resource: maybe(mutated({ attributes: maybe(fc.array(otlpKv, { maxLength: 3 })) })),
            scopeSpans: maybe(fc.array(mutated({ scope: maybe(mutated({ name: maybe(nastyString) })), spans: maybe(fc.array(otlpSpan(), { maxLength: 3 })) }), { maxLength: 2 })),
          }),
          { maxLength: 2 },
        )
        .map((resourceSpans) => ({ resourceSpans })),
    },
    { weight: 1, arbitrary: fc.constant({ resourceSpans: [{ scopeSpans: [{ spans: Array.from({ length: 1001 }, (_, i) => ({ spanId: `s${i}`, startTimeUnixNano: "1" })) }] }] }) },
  );

// OTLP protobuf: real exporter bodies of hostile spans, bytes that are not protobuf, and valid
// protobuf nested 10,000 levels deep (built by hand: no serializer would).
function field(number: number, payload: Buffer): Buffer {
  return Buffer.concat([varint((number << 3) | 2), varint(payload.length), payload]);
}
function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}
/**
 * An ExportTraceServiceRequest whose resource has one attribute nested `depth` kvlists deep
 * (AnyValue{kvlistValue: {values: [{key: "k", value: AnyValue{…}}]}}). Each level's prefix is
 * made from the inner length and the whole is joined once: nesting by copying would be quadratic.
 */
function deepProtobuf(depth: number): Buffer {
  const bottom = field(1, Buffer.from("bottom"));
  const prefixes: Buffer[] = [];
  let length = bottom.length;
  for (let level = 0; level < depth; level++) {
    const value = Buffer.concat([Buffer.from([0x0a, 0x01, 0x6b, 0x12]), varint(length)]); // key "k", then the value's tag and length
    const keyValue = value.length + length;
    const list = Buffer.concat([Buffer.from([0x0a]), varint(keyValue)]); // KeyValueList.values
    const anyValue = Buffer.concat([Buffer.from([0x32]), varint(list.length + keyValue)]); // AnyValue.kvlistValue
    prefixes.push(Buffer.concat([anyValue, list, value]));
    length += anyValue.length + list.length + value.length;
  }
  const nested = Buffer.concat([...prefixes.reverse(), bottom]);
  const attribute = Buffer.concat([field(1, Buffer.from("k")), field(2, nested)]);
  return field(1, field(1, field(1, attribute)));
}
const hostileSpans = fc.record({
  name: fc.string({ unit: "binary", maxLength: 20 }),
  attributes: fc.dictionary(
    fc.oneof(fc.constantFrom("gen_ai.operation.name", "gen_ai.agent.name", "gen_ai.request.model", "__proto__"), fc.string({ maxLength: 10 })),
    fc.oneof(fc.string({ unit: "binary", maxLength: 20 }), loneSurrogate, fc.constantFrom("\u0000", "\u202Eevil", "chat"), fc.integer(), fc.boolean()),
    { maxKeys: 4 },
  ),
});
async function protobufOf(spec: { name: string; attributes: Record<string, unknown> }): Promise<Buffer> {
  const spans = await recordSpans((tracer) => tracer.startSpan(spec.name, { attributes: spec.attributes as Record<string, string> }).end(), { "service.name": "fuzz-service" });
  return protobufBody(spans);
}
const protobufBodySpec = fc.oneof(
  { weight: 4, arbitrary: hostileSpans.map((spec) => ({ kind: "spans" as const, spec })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: "bytes" as const, bytes: Buffer.from(bytes) })) },
  { weight: 1, arbitrary: fc.tuple(hostileSpans, fc.nat(), fc.nat(255)).map(([spec, at, byte]) => ({ kind: "flipped" as const, spec, at, byte })) },
  { weight: 1, arbitrary: fc.constantFrom(64, 10_000).map((depth) => ({ kind: "deep" as const, depth })) },
);
type ProtobufSpec = typeof protobufBodySpec extends fc.Arbitrary<infer T> ? T : never;
async function protobufBytes(spec: ProtobufSpec): Promise<Buffer> {
  switch (spec.kind) {
    case "spans":
      return protobufOf(spec.spec);
    case "bytes":
      return spec.bytes;
    case "deep":
      return deepProtobuf(spec.depth);
    case "flipped": {
      const bytes = Buffer.from(await protobufOf(spec.spec));
      if (bytes.length > 0) bytes[spec.at % bytes.length] = spec.byte;
      return bytes.subarray(0, Math.max(1, bytes.length - (spec.at % 7)));
    }
  }
}

// MCP: JSON-RPC messages for the three tools, with hostile arguments.
const mcpCall = () =>
  mutated({
    jsonrpc: maybe(fc.constant("2.0")),
    id: maybe(fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null))),
    method: maybe(fc.constantFrom("tools/call", "tools/list", "initialize", "ping", "resources/list", "nope")),
    params: maybe(
      mutated({
        name: maybe(fc.constantFrom("decide", "get_directives", "report_events", "nope")),
        arguments: maybe(fc.oneof(decideBody(), eventsBody(), fc.constant({}))),
        protocolVersion: maybe(fc.constant("2025-06-18")),
        capabilities: maybe(fc.constant({})),
        clientInfo: maybe(fc.constant({ name: "fuzz", version: "1" })),
      }),
    ),
  });
const mcpBody = () => fc.oneof({ weight: 4, arbitrary: mcpCall() }, { weight: 1, arbitrary: fc.array(mcpCall(), { maxLength: 3 }) });
const mcpAccept = fc.oneof({ weight: 5, arbitrary: fc.constant("application/json, text/event-stream") }, { weight: 1, arbitrary: fc.constantFrom("", "application/json", "text/html", "*/*") });

// ---------------------------------------------------------------------------------------------

describe("fuzzing every /api/v1 endpoint over HTTP", () => {
  beforeEach(() => {
    statuses = [];
  });
  afterAll(async () => {
    // Never a crash: the server still answers.
    expect((await send(base, get("/api/v1/openapi.json", null))).status).toBe(200);
  });

  test("POST /api/v1/decide", async () => {
    await fc.assert(
      fc.asyncProperty(envelope(), bodyOf(decideBody()), async (env, body) => void (await check(post("/api/v1/decide", env, body)))),
      { numRuns: RUNS, examples: [[agentEnvelope(), json({ action: { type: "tool", name: "search", arguments: {} } })]] },
    );
    expectSuccessesAndRefusals();
  });

  test("POST /api/v1/events", async () => {
    await fc.assert(
      fc.asyncProperty(envelope(keyChoice({ agent: 4, ingest: 4 })), bodyOf(eventsBody()), async (env, body) => void (await check(post("/api/v1/events", env, body)))),
      { numRuns: RUNS, examples: [[agentEnvelope(), json({ events: [{ id: `good-${crypto.randomUUID()}`, type: "log", timestamp: new Date().toISOString() }] })]] },
    );
    expectSuccessesAndRefusals();
  });

  test("POST /api/v1/heartbeat", async () => {
    await fc.assert(
      fc.asyncProperty(envelope(), bodyOf(heartbeatBody()), async (env, body) => void (await check(post("/api/v1/heartbeat", env, body)))),
      { numRuns: RUNS, examples: [[agentEnvelope(), json({ instanceId: "i-1" })]] },
    );
    expectSuccessesAndRefusals();
  });

  test("GET /api/v1/approvals/:id", async () => {
    const id = fc.oneof(
      { weight: 3, arbitrary: fc.constant(world.approvalA) },
      { weight: 2, arbitrary: fc.constantFrom(world.approvalB, crypto.randomUUID(), world.approvalA.toUpperCase(), `%20${world.approvalA}`) },
      { weight: 1, arbitrary: nastyString.map(encoded) },
      { weight: 1, arbitrary: fc.constantFrom(...BROKEN_SEGMENTS) },
    );
    // Valid waits stay short: a pending request is waited on for as long as asked.
    const waitMs = fc.option(fc.oneof(fc.constantFrom("0", "1", "25", "-1", "1e3", "60001", "99999999999999999999", "0x10", "", "%205"), nastyString.map(encoded)), { nil: null });
    await fc.assert(
      fc.asyncProperty(keyChoice(), id, waitMs, async (authorization, segment, wait) => {
        await check(get(`/api/v1/approvals/${segment}${wait === null ? "" : `?waitMs=${wait}`}`, authorization));
      }),
      { numRuns: RUNS, examples: [[`Bearer ${world.keys.agent}`, world.approvalA, null]] },
    );
    expectSuccessesAndRefusals();
  });

  test("GET /api/v1/directives/stream", async () => {
    const instance = fc.option(fc.oneof(nastyString.map(encoded), fc.constantFrom(...BROKEN_SEGMENTS), fc.constant("i-1")), { nil: null });
    const header = fc.option(printable, { nil: null });
    await fc.assert(
      fc.asyncProperty(keyChoice(), instance, header, async (authorization, query, instanceHeader) => {
        await check(get(`/api/v1/directives/stream${query === null ? "" : `?instanceId=${query}`}`, authorization, instanceHeader === null ? {} : { "x-instance-id": instanceHeader }));
      }),
      { numRuns: RUNS, examples: [[`Bearer ${world.keys.agent}`, "i-1", null]] },
    );
    expectSuccessesAndRefusals();
  });

  test("POST /api/v1/otlp/v1/traces, JSON", async () => {
    const contentType = fc.oneof({ weight: 6, arbitrary: fc.constantFrom("application/json", "") }, { weight: 1, arbitrary: jsonContentType });
    await fc.assert(
      fc.asyncProperty(envelope(keyChoice({ agent: 4, ingest: 4 }), contentType), bodyOf(otlpJson()), async (env, body) => {
        // Refusals answer in the encoding the request claims: a JSON body labelled protobuf gets a google.rpc.Status.
        const claimsProtobuf = /^application\/(x-)?protobuf\s*(;|$)/i.test(env.contentType.trim());
        await check(post("/api/v1/otlp/v1/traces", env, body), claimsProtobuf ? "otlp-protobuf" : "api");
      }),
      { numRuns: RUNS, examples: [[agentEnvelope(), json({ resourceSpans: [] })]] },
    );
    expectSuccessesAndRefusals();
  });

  test("POST /api/v1/otlp/v1/traces, protobuf", async () => {
    const contentType = fc.oneof({ weight: 6, arbitrary: fc.constant("application/x-protobuf") }, { weight: 1, arbitrary: fc.constantFrom("application/protobuf", "application/x-protobuf; charset=binary") });
    const encoding = fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: fc.constant("gzip") }, { weight: 1, arbitrary: fc.constantFrom("br", "deflate") });
    await fc.assert(
      fc.asyncProperty(envelope(keyChoice({ agent: 4, ingest: 4 }), contentType, encoding), protobufBodySpec, async (env, spec) => {
        await check(post("/api/v1/otlp/v1/traces", env, await protobufBytes(spec)), "otlp-protobuf");
      }),
      {
        numRuns: RUNS,
        examples: [
          [
            { ...agentEnvelope(), contentType: "application/x-protobuf" },
            { kind: "spans", spec: { name: "chat", attributes: { "gen_ai.operation.name": "chat" } } },
          ],
        ],
      },
    );
    expectSuccessesAndRefusals();
  });

  test("POST /api/v1/mcp", async () => {
    await fc.assert(
      fc.asyncProperty(envelope(), bodyOf(mcpBody()), mcpAccept, async (env, body, accept) => {
        const request = post("/api/v1/mcp", env, body);
        if (accept !== "") request.headers = { ...request.headers, accept };
        await check(request, "mcp");
      }),
      { numRuns: RUNS, examples: [[agentEnvelope(), json({ jsonrpc: "2.0", id: 1, method: "tools/list" }), "application/json, text/event-stream"]] },
    );
    expectSuccessesAndRefusals();
  });

  test("GET /api/v1/openapi.json, other methods on it, and paths and methods the API does not have", async () => {
    const segment = fc.oneof(
      fc.constantFrom("decide", "events", "openapi.json", "health", "mcp", "approvals", "directives", "stream", "otlp", "v1", "traces", "", ".."),
      nastyString.map(encoded),
      fc.constantFrom(...BROKEN_SEGMENTS),
    );
    const path = fc.oneof(
      fc.array(segment, { minLength: 1, maxLength: 4 }).map((segments) => `/api/v1/${segments.join("/")}`),
      fc.constantFrom("/api/v1", "/api/v1/", "/api/v1//decide", "/api/v1/decide/", "/api/v1/openapi.json?x=%FF", "/api/v1/openapi.json?%", "/api/v1/DECIDE", "/api/v1/decide;x=1", "/api/v1/decide#frag"),
    );
    const method = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD");
    await fc.assert(
      fc.asyncProperty(method, path, keyChoice(), fc.option(bodyOf(anyValue), { nil: undefined }), async (verb, target, authorization, body) => {
        // Known endpoints are fuzzed above with bodies that fit them; here every route answers whatever comes.
        const request: RawRequest = {
          method: verb,
          path: target,
          headers: { ...(authorization ? { authorization } : {}), "content-type": "application/json" },
          body: verb === "GET" || verb === "HEAD" ? undefined : body,
        };
        // The MCP endpoint speaks JSON-RPC, refusals included.
        const answer = await check(request, /^\/api\/v1\/mcp(\?|$)/.test(target) ? "mcp" : "api");
        if (target === "/api/v1/openapi.json" && verb === "GET") expect(answer.status).toBe(200);
      }),
      // A random path rarely names a route that exists: these two always run, so the property sees a success.
      {
        numRuns: RUNS * 2,
        examples: [
          ["GET", "/api/v1/openapi.json", null, undefined],
          ["GET", "/api/v1/health", null, undefined],
        ],
      },
    );
    expectSuccessesAndRefusals();
  });

  test("bodies past the limit are refused with 413, declared or streamed, plain or gzip", async () => {
    const big = Buffer.from(JSON.stringify({ events: [{ id: "x", type: "log", timestamp: new Date().toISOString(), attributes: { pad: "x".repeat(1_100_000) } }] }));
    const bomb = gzipSync(Buffer.from(`{"resourceSpans":[{"pad":"${"0".repeat(8 * 1024 * 1024)}"}]}`));
    const agent = `Bearer ${world.keys.agent}`;
    const cases: [RawRequest, Expect][] = [
      [{ method: "POST", path: "/api/v1/events", headers: { authorization: agent, "content-type": "application/json" }, body: big }, "api"],
      [{ method: "POST", path: "/api/v1/events", headers: { authorization: agent, "content-type": "application/json" }, body: big, chunked: true }, "api"],
      [
        {
          method: "POST",
          path: "/api/v1/decide",
          headers: { authorization: agent, "content-type": "application/json" },
          body: Buffer.from(JSON.stringify({ action: { type: "tool", name: "x", arguments: { pad: "x".repeat(70_000) } } })),
          chunked: true,
        },
        "api",
      ],
      [{ method: "POST", path: "/api/v1/mcp", headers: { authorization: agent, "content-type": "application/json", accept: "application/json, text/event-stream" }, body: big }, "api"],
      [{ method: "POST", path: "/api/v1/otlp/v1/traces", headers: { authorization: agent, "content-type": "application/json", "content-encoding": "gzip" }, body: bomb }, "api"],
      [{ method: "POST", path: "/api/v1/otlp/v1/traces", headers: { authorization: agent, "content-type": "application/x-protobuf", "content-encoding": "gzip" }, body: bomb }, "otlp-protobuf"],
      [{ method: "POST", path: "/api/v1/otlp/v1/traces", headers: { authorization: agent, "content-type": "application/x-protobuf" }, body: big, chunked: true }, "otlp-protobuf"],
    ];
    for (const [request, kind] of cases) expect((await check(request, kind)).status).toBe(413);
  });

  // --- cases that found a 500, kept -----------------------------------------------------------

  test("a path whose percent-encoding does not decode is a 404, not a 500", async () => {
    for (const segment of BROKEN_SEGMENTS) {
      const answer = await check(get(`/api/v1/approvals/${segment}`, `Bearer ${world.keys.agent}`));
      expect(answer.status, segment).toBe(404);
    }
  });

  test("JSON endpoints refuse a body that says it is something else with 415", async () => {
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16", "application/x-protobuf"]) {
      const answer = await check({ method: "POST", path: "/api/v1/heartbeat", headers: { authorization: `Bearer ${world.keys.agent}`, "content-type": contentType }, body: '{"instanceId":"i-1"}' });
      expect(answer.status, contentType).toBe(415);
    }
    const gzipped = await check({
      method: "POST",
      path: "/api/v1/heartbeat",
      headers: { authorization: `Bearer ${world.keys.agent}`, "content-type": "application/json", "content-encoding": "gzip" },
      body: '{"instanceId":"i-1"}',
    });
    expect(gzipped.status).toBe(415);
    // JSON without a charset, with UTF-8, or with no content type at all is taken.
    for (const headers of [{ "content-type": "application/json" }, { "content-type": "application/json; charset=UTF-8" }, {}]) {
      const answer = await check({ method: "POST", path: "/api/v1/heartbeat", headers: { authorization: `Bearer ${world.keys.agent}`, ...(headers as Record<string, string>) }, body: '{"instanceId":"i-1"}' });
      expect(answer.status).toBe(200);
    }
  });
});
