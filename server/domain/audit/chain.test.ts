import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { chainAuditRecord, GENESIS_HASH, hashAuditRecord, verifyAuditChain, type AuditRecord, type ChainedAuditRecord } from "./chain";
import { canonicalJson, type JsonValue } from "./canonical-json";

type Body = Omit<AuditRecord, "seq" | "prevHash">;

const ORG = "6f1c2a70-0000-4000-8000-000000000001";

function body(index: number, overrides: Partial<Body> = {}): Body {
  return {
    id: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
    orgId: ORG,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
    actorType: "user",
    actorId: "user-1",
    actorLabel: "owner@acme.test",
    action: "team.renamed",
    targetType: "team",
    targetId: `team-${index}`,
    teamId: null,
    before: { name: `Old ${index}` },
    after: { name: `New ${index}` },
    reason: null,
    ...overrides,
  };
}

function chain(bodies: readonly Body[]): ChainedAuditRecord[] {
  const out: ChainedAuditRecord[] = [];
  for (const entry of bodies) out.push(chainAuditRecord(out[out.length - 1] ?? null, entry));
  return out;
}

const five = () => chain([1, 2, 3, 4, 5].map((index) => body(index)));

function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`no item at ${index}`);
  return item;
}

describe("chainAuditRecord", () => {
  test("numbers entries from 1 and links each to the hash before it", () => {
    const entries = five();
    expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(at(entries, 0).prevHash).toBe(GENESIS_HASH);
    for (let index = 1; index < entries.length; index++) expect(at(entries, index).prevHash).toBe(at(entries, index - 1).hash);
  });

  test("hash = sha256(prevHash + canonical JSON of the entry without its hash), as an offline verifier computes it", () => {
    const entry = at(five(), 2);
    const { hash, ...rest } = entry;
    expect(hash).toBe(
      createHash("sha256")
        .update(rest.prevHash + canonicalJson(rest))
        .digest("hex"),
    );
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("verifyAuditChain", () => {
  test("accepts an intact chain and names its head", () => {
    const entries = five();
    expect(verifyAuditChain(entries)).toEqual({ ok: true, count: 5, headHash: at(entries, 4).hash });
    expect(verifyAuditChain([])).toEqual({ ok: true, count: 0, headHash: null });
  });

  test("names an entry whose contents were altered", () => {
    const entries = five();
    const altered = entries.map((entry, index) => (index === 2 ? { ...entry, after: { name: "Forged" } } : entry));
    const result = verifyAuditChain(altered);
    expect(result).toMatchObject({ ok: false, count: 2, brokenAt: { index: 2, seq: 3, id: at(entries, 2).id } });
    if (!result.ok) expect(result.problem).toMatch(/altered/);
  });

  test("names the gap where an entry was removed", () => {
    const entries = five();
    const result = verifyAuditChain([...entries.slice(0, 1), ...entries.slice(2)]);
    expect(result).toMatchObject({ ok: false, brokenAt: { index: 1, seq: 3 } });
    if (!result.ok) expect(result.problem).toMatch(/missing or out of order/);
  });

  test("refuses entries out of order", () => {
    const [a, b, c, d, e] = five();
    if (!a || !b || !c || !d || !e) throw new Error("five entries expected");
    expect(verifyAuditChain([a, c, b, d, e])).toMatchObject({ ok: false, brokenAt: { index: 1, seq: 3 } });
  });

  test("refuses an entry rehashed onto the wrong predecessor", () => {
    const entries = five();
    const original = at(entries, 3);
    const { hash: _hash, ...rest } = original;
    const relinked: AuditRecord = { ...rest, prevHash: at(entries, 1).hash };
    const forged = { ...relinked, hash: hashAuditRecord(relinked) };
    const result = verifyAuditChain(entries.map((entry, index) => (index === 3 ? forged : entry)));
    expect(result).toMatchObject({ ok: false, brokenAt: { index: 3, seq: 4 } });
    if (!result.ok) expect(result.problem).toMatch(/prevHash/);
  });

  test("refuses an entry rewritten with a fresh hash: the next entry no longer links to it", () => {
    const entries = five();
    const { hash: _hash, ...rest } = at(entries, 1);
    const rewritten: AuditRecord = { ...rest, actorLabel: "someone-else@acme.test" };
    const forged = { ...rewritten, hash: hashAuditRecord(rewritten) };
    expect(verifyAuditChain(entries.map((entry, index) => (index === 1 ? forged : entry)))).toMatchObject({
      ok: false,
      brokenAt: { index: 2, seq: 3 },
    });
  });

  test("refuses an entry of another org in the chain", () => {
    const entries = five();
    const other = chainAuditRecord(at(entries, 1), body(3, { orgId: "6f1c2a70-0000-4000-8000-000000000002" }));
    expect(verifyAuditChain([at(entries, 0), at(entries, 1), other])).toMatchObject({ ok: false, brokenAt: { index: 2 } });
  });

  test("verifies a range that starts mid-chain from its predecessor", () => {
    const entries = five();
    const previous = at(entries, 1);
    expect(verifyAuditChain(entries.slice(2), { seq: previous.seq, hash: previous.hash })).toMatchObject({ ok: true, count: 3 });
    expect(verifyAuditChain(entries.slice(2))).toMatchObject({ ok: false, brokenAt: { index: 0 } });
    expect(verifyAuditChain(entries.slice(2), { seq: previous.seq, hash: GENESIS_HASH })).toMatchObject({ ok: false, brokenAt: { index: 0 } });
  });

  const json = fc.jsonValue() as fc.Arbitrary<JsonValue>;
  const bodyArb = fc.record({
    id: fc.uuid(),
    orgId: fc.constant(ORG),
    at: fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((date) => date.toISOString()),
    actorType: fc.constantFrom("user" as const, "system" as const, "agent" as const),
    actorId: fc.option(fc.string(), { nil: null }),
    actorLabel: fc.string(),
    action: fc.string({ minLength: 1 }),
    targetType: fc.string({ minLength: 1 }),
    targetId: fc.option(fc.string(), { nil: null }),
    teamId: fc.option(fc.uuid(), { nil: null }),
    before: fc.option(json, { nil: null }),
    after: fc.option(json, { nil: null }),
    reason: fc.option(fc.string(), { nil: null }),
  });

  test("any chained list of entries verifies", () => {
    fc.assert(
      fc.property(fc.array(bodyArb, { maxLength: 20 }), (bodies) => {
        const entries = chain(bodies);
        expect(verifyAuditChain(entries)).toMatchObject({ ok: true, count: bodies.length });
      }),
    );
  });

  test("changing the label of any one entry breaks the chain exactly there", () => {
    fc.assert(
      fc.property(
        fc.array(bodyArb, { minLength: 1, maxLength: 20 }).chain((bodies) => fc.tuple(fc.constant(bodies), fc.nat({ max: bodies.length - 1 }))),
        ([bodies, index]) => {
          const entries = chain(bodies);
          const tampered = entries.map((entry, i) => (i === index ? { ...entry, actorLabel: `${entry.actorLabel}!` } : entry));
          expect(verifyAuditChain(tampered)).toMatchObject({ ok: false, count: index, brokenAt: { index, seq: index + 1 } });
        },
      ),
    );
  });
});
