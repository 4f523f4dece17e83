// The audit log against the real database: concurrent appends form one gap-free chain, the
// database itself refuses to change or delete entries, and tampering with an export is caught.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readAuditChain } from "../../server/data/audit";
import { verifyOrgChain } from "../../server/data/audit-query";
import { verifyAuditChain, type ChainedAuditRecord } from "../../server/domain/audit/chain";
import { callerFor, createTestOrg, databaseUrl, testDb, type TestOrg } from "./helpers";

async function exportChain(orgId: string): Promise<ChainedAuditRecord[]> {
  const entries: ChainedAuditRecord[] = [];
  for await (const entry of readAuditChain(testDb(), orgId)) entries.push(entry);
  return entries;
}

describe("appending", () => {
  test("concurrent mutations in one org get contiguous seq 1..N and the chain verifies", async () => {
    const org = await createTestOrg();
    const owner = callerFor(org.users.owner.userId);
    const admin = callerFor(org.users.admin.userId);
    const calls = [
      ...Array.from({ length: 8 }, (_, index) => owner.teams.create({ orgId: org.id, name: `Concurrent ${index}` })),
      ...Array.from({ length: 4 }, (_, index) => admin.org.update({ orgId: org.id, name: `Name ${index}` })),
      admin.teams.rename({ orgId: org.id, teamId: org.otherTeamId, name: "Renamed concurrently" }),
      owner.members.update({ orgId: org.id, membershipId: org.users.viewer.membershipId, role: "compliance", teamIds: [] }),
    ];
    await Promise.all(calls);

    const entries = await exportChain(org.id);
    expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: calls.length }, (_, index) => index + 1));
    expect(await verifyOrgChain(testDb(), org.id)).toEqual({ ok: true, count: calls.length, headHash: entries[entries.length - 1]?.hash });
    const verified = await owner.audit.verify({ orgId: org.id });
    expect(verified).toMatchObject({ ok: true, count: calls.length });
  });

  test("each org has its own chain starting at 1", async () => {
    const [a, b] = await Promise.all([createTestOrg(), createTestOrg()]);
    await Promise.all([
      callerFor(a.users.owner.userId).org.update({ orgId: a.id, name: "A" }),
      callerFor(b.users.owner.userId).org.update({ orgId: b.id, name: "B" }),
      callerFor(b.users.owner.userId).org.update({ orgId: b.id, name: "B2" }),
    ]);
    expect((await exportChain(a.id)).map((entry) => entry.seq)).toEqual([1]);
    expect((await exportChain(b.id)).map((entry) => entry.seq)).toEqual([1, 2]);
  });
});

describe("the database refuses to change the log", () => {
  let org: TestOrg;
  let client: pg.Client;
  let target: ChainedAuditRecord;

  beforeAll(async () => {
    org = await createTestOrg();
    const owner = callerFor(org.users.owner.userId);
    await owner.org.update({ orgId: org.id, name: "First" });
    await owner.org.update({ orgId: org.id, name: "Second" });
    const [first] = await exportChain(org.id);
    if (!first) throw new Error("no audit entry written");
    target = first;
    client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    // Should the trigger ever fail, a TRUNCATE must not sit on the table's lock for long.
    await client.query("SET lock_timeout = '5s'");
  });

  afterAll(async () => {
    await client.end();
  });

  /** Runs `sql` in a transaction that is always rolled back, and returns the error it raised. */
  async function refused(sql: string, params: unknown[] = []): Promise<{ code?: string; message: string }> {
    await client.query("BEGIN");
    try {
      await client.query(sql, params);
      return { message: "the statement succeeded" };
    } catch (error) {
      return error as { code?: string; message: string };
    } finally {
      await client.query("ROLLBACK");
    }
  }

  test.each([
    ["UPDATE", `UPDATE audit_entries SET after = '{"name":"Forged"}'::jsonb WHERE id = $1`],
    ["DELETE", "DELETE FROM audit_entries WHERE id = $1"],
    ["TRUNCATE", "TRUNCATE audit_entries"],
  ])("%s is refused and the entry is unchanged", async (operation, sql) => {
    const error = await refused(sql, sql.includes("$1") ? [target.id] : []);
    expect(error.code).toBe("42501");
    expect(error.message).toBe(`audit_entries is append-only: ${operation} is not allowed`);

    const [stillFirst] = await exportChain(org.id);
    expect(stillFirst).toEqual(target);
    expect(await verifyOrgChain(testDb(), org.id)).toMatchObject({ ok: true, count: 2 });
  });
});

describe("tampering with an export", () => {
  let exported: ChainedAuditRecord[];

  beforeAll(async () => {
    const org = await createTestOrg();
    const owner = callerFor(org.users.owner.userId);
    for (const name of ["One", "Two", "Three", "Four"]) await owner.org.update({ orgId: org.id, name });
    // Export as NDJSON and read it back, as an offline verifier would.
    const ndjson = (await exportChain(org.id)).map((entry) => JSON.stringify(entry)).join("\n");
    exported = ndjson.split("\n").map((line) => JSON.parse(line) as ChainedAuditRecord);
  });

  const entry = (index: number): ChainedAuditRecord => {
    const found = exported[index];
    if (!found) throw new Error(`no entry ${index}`);
    return found;
  };

  test("the untouched export verifies offline", () => {
    expect(verifyAuditChain(exported)).toMatchObject({ ok: true, count: 4 });
  });

  test("an altered field names the altered entry", () => {
    const copy = exported.map((record, index) => (index === 2 ? { ...record, after: { name: "Forged" } } : record));
    expect(verifyAuditChain(copy)).toMatchObject({ ok: false, count: 2, brokenAt: { index: 2, seq: 3, id: entry(2).id } });
  });

  test("a changed time or actor names that entry", () => {
    const copy = exported.map((record, index) => (index === 1 ? { ...record, actorLabel: "someone-else@test.invalid" } : record));
    expect(verifyAuditChain(copy)).toMatchObject({ ok: false, brokenAt: { index: 1, seq: 2, id: entry(1).id } });
    const shifted = exported.map((record, index) => (index === 3 ? { ...record, at: new Date(0).toISOString() } : record));
    expect(verifyAuditChain(shifted)).toMatchObject({ ok: false, brokenAt: { index: 3, seq: 4, id: entry(3).id } });
  });

  test("a removed entry names the entry after the gap", () => {
    const copy = exported.filter((_, index) => index !== 1);
    expect(verifyAuditChain(copy)).toMatchObject({ ok: false, brokenAt: { index: 1, seq: 3, id: entry(2).id } });
  });
});
