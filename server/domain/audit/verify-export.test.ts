import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json";
import { chainAuditRecord, type ChainedAuditRecord } from "./chain";
import { formatExportVerification, parseAuditVerifyArgs, verifyExportLines } from "./verify-export";

const ORG = "4b2d36fe-bff3-44a5-8f9d-e624cd7e1583";
const OTHER_ORG = "9f0c0c1e-1111-4222-8333-444455556666";
const FINANCE = "12598984-ba6a-47ff-a6ec-1e434533dd5b";

function buildChain(length: number, orgId = ORG): ChainedAuditRecord[] {
  const chain: ChainedAuditRecord[] = [];
  for (let index = 0; index < length; index += 1) {
    const previous = chain[chain.length - 1] ?? null;
    chain.push(
      chainAuditRecord(previous, {
        id: `${orgId.slice(0, 8)}-entry-${index + 1}`,
        orgId,
        at: new Date(Date.UTC(2025, 0, 1, 12, index)).toISOString(),
        actorType: "user",
        actorId: "user-1",
        actorLabel: "owner@acme.test",
        action: index % 2 === 0 ? "budget.updated" : "team.renamed",
        targetType: index % 2 === 0 ? "budget" : "team",
        targetId: `target-${index}`,
        teamId: index % 3 === 0 ? FINANCE : null,
        before: { limitUsd: 100 + index, nested: { tags: ["a", "b"] } },
        after: { limitUsd: 200 + index, nested: { tags: ["a"] } },
        reason: index === 2 ? "quarterly review" : null,
      }),
    );
  }
  return chain;
}

const toLines = (entries: readonly ChainedAuditRecord[]) => entries.map((entry) => canonicalJson(entry));

function expectBroken(result: ReturnType<typeof verifyExportLines>, expected: { line: number; seq: number | null; problem: RegExp }) {
  expect(result.ok).toBe(false);
  if (result.ok || !result.failure) throw new Error("expected a failure naming an entry");
  expect(result.failure.line).toBe(expected.line);
  expect(result.failure.seq).toBe(expected.seq);
  expect(result.failure.problem).toMatch(expected.problem);
}

describe("verifyExportLines", () => {
  it("verifies an intact export and reports its head hash", () => {
    const chain = buildChain(6);
    const result = verifyExportLines([...toLines(chain), ""]);
    expect(result).toMatchObject({ ok: true, orgs: [{ orgId: ORG, count: 6, firstSeq: 1, headSeq: 6, startsMidChain: null }] });
    const printed = formatExportVerification(result);
    expect(printed.exitCode).toBe(0);
    expect(printed.lines[0]).toBe(`OK: 6 entries verified for org ${ORG}, head hash ${chain[5]?.hash}`);
  });

  it("names the entry whose field was altered", () => {
    const lines = toLines(buildChain(5));
    lines[2] = (lines[2] ?? "").replace('"limitUsd":202', '"limitUsd":203');
    const result = verifyExportLines(lines);
    expectBroken(result, { line: 3, seq: 3, problem: /hash does not match/ });
    const printed = formatExportVerification(result);
    expect(printed.exitCode).toBe(1);
    expect(printed.lines[0]).toBe(`BROKEN: entry seq 3 (id ${ORG.slice(0, 8)}-entry-3, line 3): hash does not match the entry's contents (the entry was altered)`);
  });

  it("catches an altered hash field at the entry that carries it", () => {
    const chain = buildChain(4);
    const forged = chain.map((entry, index) => (index === 1 ? { ...entry, hash: "f".repeat(64) } : entry));
    expectBroken(verifyExportLines(toLines(forged)), { line: 2, seq: 2, problem: /hash does not match/ });
  });

  it("catches a re-hashed entry by the broken link to the next one", () => {
    // Someone alters entry 2 and recomputes its hash: entry 3 no longer links to it.
    const chain = buildChain(4);
    const [first, second] = chain;
    if (!first || !second) throw new Error("chain too short");
    const rewritten = chainAuditRecord(first, { ...second, reason: "backdated" });
    const lines = toLines([first, rewritten, ...chain.slice(2)]);
    expectBroken(verifyExportLines(lines), { line: 3, seq: 3, problem: /prevHash does not match/ });
  });

  it("names the entry after a deleted line", () => {
    const lines = toLines(buildChain(5));
    lines.splice(1, 1);
    expectBroken(verifyExportLines(lines), { line: 2, seq: 3, problem: /sequence 3 where 2 was expected/ });
  });

  it("refuses reordered lines", () => {
    const lines = toLines(buildChain(5));
    const [third, fourth] = [lines[2] ?? "", lines[3] ?? ""];
    lines[2] = fourth;
    lines[3] = third;
    expectBroken(verifyExportLines(lines), { line: 3, seq: 4, problem: /sequence 4 where 3 was expected/ });
  });

  it("reports a malformed JSON line with its line number", () => {
    const lines = toLines(buildChain(3));
    lines[1] = (lines[1] ?? "").slice(0, 40);
    const result = verifyExportLines(lines);
    expectBroken(result, { line: 2, seq: null, problem: /not valid JSON/ });
    expect(formatExportVerification(result).lines[0]).toMatch(/^BROKEN: line 2: not valid JSON/);
  });

  it("reports a line that is JSON but not an audit entry, naming the entry when it can", () => {
    const chain = buildChain(3);
    const lines = toLines(chain);
    lines[1] = JSON.stringify({ ...chain[1], seq: "2" });
    expectBroken(verifyExportLines(lines), { line: 2, seq: null, problem: /not an audit entry \(seq:/ });
    // A member the hash does not cover cannot be slipped in.
    lines[1] = JSON.stringify({ ...chain[1], approvedBy: "someone" });
    expectBroken(verifyExportLines(lines), { line: 2, seq: 2, problem: /not an audit entry/ });
  });

  it("verifies an export that starts mid-chain from its first entry's prevHash, and says so", () => {
    const chain = buildChain(8);
    const result = verifyExportLines(toLines(chain.slice(3)));
    expect(result).toMatchObject({ ok: true, orgs: [{ count: 5, firstSeq: 4, startsMidChain: { seq: 4, prevHash: chain[2]?.hash } }] });
    const printed = formatExportVerification(result);
    expect(printed.lines[0]).toBe(`OK: 5 entries verified for org ${ORG}, head hash ${chain[7]?.hash}`);
    expect(printed.lines[1]).toMatch(/starts mid-chain at seq 4/);
  });

  it("still checks the first entry's own hash when the export starts mid-chain", () => {
    const lines = toLines(buildChain(8).slice(3));
    lines[0] = (lines[0] ?? "").replace("owner@acme.test", "intruder@acme.test");
    expectBroken(verifyExportLines(lines), { line: 1, seq: 4, problem: /hash does not match/ });
  });

  it("does not accept a seq-1 entry that does not start from the genesis hash", () => {
    const chain = buildChain(2);
    const [first] = chain;
    if (!first) throw new Error("empty chain");
    const { hash: _hash, ...body } = first;
    const fake = chainAuditRecord({ seq: 0, hash: "a".repeat(64) }, body);
    expectBroken(verifyExportLines([canonicalJson(fake)]), { line: 1, seq: 1, problem: /prevHash/ });
  });

  it("in --partial mode accepts gaps but checks own hashes and links between consecutive seqs", () => {
    const chain = buildChain(10);
    const financeOnly = chain.filter((entry) => entry.teamId === FINANCE); // seqs 1, 4, 7, 10
    const strict = verifyExportLines(toLines(financeOnly));
    expectBroken(strict, { line: 2, seq: 4, problem: /sequence 4 where 2 was expected/ });
    expect(formatExportVerification(strict).lines[1]).toMatch(/verify it with --partial/);

    const result = verifyExportLines(toLines(financeOnly), { partial: true });
    expect(result).toMatchObject({ ok: true, partial: true, orgs: [{ count: 4, runs: 4, headSeq: 10 }] });
    expect(formatExportVerification(result).lines.join("\n")).toMatch(/partial export \(--partial\): seqs 1–10 in 4 runs/);

    const withRun = [chain[0], chain[3], chain[4], chain[5], chain[9]].filter((entry) => entry !== undefined);
    const tampered = toLines(withRun);
    tampered[3] = (tampered[3] ?? "").replace('"limitUsd":205', '"limitUsd":1');
    expectBroken(verifyExportLines(tampered, { partial: true }), { line: 4, seq: 6, problem: /hash does not match/ });

    const [a, b, c] = [chain[3], chain[4], chain[5]];
    if (!a || !b || !c) throw new Error("chain too short");
    const relinked = chainAuditRecord(a, { ...b, reason: "rewritten" });
    expectBroken(verifyExportLines(toLines([a, relinked, c]), { partial: true }), { line: 3, seq: 6, problem: /prevHash does not match/ });

    const reordered = toLines([chain[4], chain[2]].filter((entry) => entry !== undefined));
    expectBroken(verifyExportLines(reordered, { partial: true }), { line: 2, seq: 3, problem: /out of order/ });
  });

  it("verifies each org of a file that holds several", () => {
    const lines = [...toLines(buildChain(3)), ...toLines(buildChain(2, OTHER_ORG))];
    const result = verifyExportLines(lines);
    expect(result).toMatchObject({
      ok: true,
      orgs: [
        { orgId: ORG, count: 3 },
        { orgId: OTHER_ORG, count: 2 },
      ],
    });
    expect(formatExportVerification(result).lines.filter((line) => line.startsWith("OK:"))).toHaveLength(2);
  });

  it("does not call an empty file verified", () => {
    const result = verifyExportLines(["", "  "]);
    expect(result.ok).toBe(false);
    expect(formatExportVerification(result)).toEqual({ lines: ["BROKEN: the file holds no audit entries"], exitCode: 1 });
  });
});

describe("parseAuditVerifyArgs", () => {
  it("reads the file and the --partial flag in any order", () => {
    expect(parseAuditVerifyArgs(["export.ndjson"])).toEqual({ kind: "run", file: "export.ndjson", partial: false });
    expect(parseAuditVerifyArgs(["--partial", "export.ndjson"])).toEqual({ kind: "run", file: "export.ndjson", partial: true });
    expect(parseAuditVerifyArgs(["export.ndjson", "--partial"])).toEqual({ kind: "run", file: "export.ndjson", partial: true });
    expect(parseAuditVerifyArgs(["--", "--odd-name.ndjson"])).toEqual({ kind: "run", file: "--odd-name.ndjson", partial: false });
  });

  it("refuses a missing file, two files and unknown options", () => {
    expect(parseAuditVerifyArgs([])).toMatchObject({ kind: "usage_error" });
    expect(parseAuditVerifyArgs(["a.ndjson", "b.ndjson"])).toMatchObject({ kind: "usage_error" });
    expect(parseAuditVerifyArgs(["--partail", "a.ndjson"])).toMatchObject({ kind: "usage_error", message: "unknown option --partail" });
    expect(parseAuditVerifyArgs(["--help"])).toEqual({ kind: "help" });
  });
});
