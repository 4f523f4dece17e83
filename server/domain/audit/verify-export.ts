// Offline verification of an NDJSON audit export (`npm run audit:verify -- <file>`). Pure: it
// takes lines and returns a verdict, so the CLI (scripts/audit-verify.ts) only reads the file
// and prints. It must stay free of anything that needs a database: an auditor runs it on a
// laptop with nothing but the export.
import { z } from "zod";
import type { JsonValue } from "./canonical-json";
import { verifyAuditChain, type ChainedAuditRecord } from "./chain";

const hash = z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lowercase hex digits");

/**
 * One exported entry. Strict: a member the hash does not cover (an added field) is refused, so
 * nothing can be slipped into an export without the verifier noticing.
 */
export const exportedEntrySchema = z.strictObject({
  id: z.string().min(1),
  orgId: z.string().min(1),
  seq: z.number().int().positive(),
  at: z.iso.datetime(),
  actorType: z.enum(["user", "system", "agent"]),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  action: z.string().min(1),
  targetType: z.string().min(1),
  targetId: z.string().nullable(),
  teamId: z.string().nullable(),
  before: z.json().nullable(),
  after: z.json().nullable(),
  reason: z.string().nullable(),
  prevHash: hash,
  hash,
});

export interface ExportFailure {
  /** 1-based line number in the file. */
  line: number;
  /** Known when the line parsed far enough to say which entry it is. */
  seq: number | null;
  id: string | null;
  problem: string;
}

export interface OrgVerification {
  orgId: string;
  count: number;
  firstSeq: number;
  headSeq: number;
  headHash: string;
  /** The first entry's prevHash when the export does not start at seq 1 (trusted, not checked). */
  startsMidChain: { seq: number; prevHash: string } | null;
  /** Partial mode: how many runs of consecutive seqs (1 = no gaps). */
  runs: number;
}

export type ExportVerification =
  | { ok: true; orgs: OrgVerification[]; partial: boolean }
  | { ok: false; failure: ExportFailure; orgs: OrgVerification[]; partial: boolean }
  | { ok: false; failure: null; orgs: []; partial: boolean; empty: true };

interface OrgState {
  orgId: string;
  count: number;
  firstSeq: number;
  last: { seq: number; hash: string };
  startsMidChain: { seq: number; prevHash: string } | null;
  runs: number;
}

function describeZodIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

/** Best effort at naming the entry on a line that failed validation. */
function identify(value: unknown): { seq: number | null; id: string | null } {
  if (value === null || typeof value !== "object") return { seq: null, id: null };
  const record = value as Record<string, unknown>;
  return {
    seq: typeof record.seq === "number" && Number.isInteger(record.seq) ? record.seq : null,
    id: typeof record.id === "string" ? record.id : null,
  };
}

/**
 * Feed lines in file order with `push`; it returns the first failure and the verifier stops
 * there (later entries cannot be vouched for once the chain is broken). Entries are grouped by
 * org; each org's entries must appear in sequence order.
 *
 * Full mode: every org's entries must be one contiguous run. If the first one is not seq 1, the
 * export started mid-chain and is verified from that entry's prevHash.
 * Partial mode (a team-scoped export, which has gaps by design): each entry's own hash is
 * checked, and so is the link between entries whose seqs are consecutive.
 */
export class ExportVerifier {
  readonly partial: boolean;
  private readonly orgs = new Map<string, OrgState>();
  private failure: ExportFailure | null = null;

  constructor(options: { partial?: boolean } = {}) {
    this.partial = options.partial ?? false;
  }

  get failed(): ExportFailure | null {
    return this.failure;
  }

  push(text: string, line: number): ExportFailure | null {
    if (this.failure) return this.failure;
    // Blank lines carry nothing (a trailing newline, an editor's habit); a missing entry is
    // still caught by its sequence number.
    if (text.trim() === "") return null;

    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return this.fail({ line, seq: null, id: null, problem: `not valid JSON (${error instanceof Error ? error.message : "parse error"})` });
    }
    const parsed = exportedEntrySchema.safeParse(raw);
    if (!parsed.success) {
      return this.fail({ line, ...identify(raw), problem: `not an audit entry (${describeZodIssues(parsed.error)})` });
    }
    const entry: ChainedAuditRecord = { ...parsed.data, before: parsed.data.before as JsonValue | null, after: parsed.data.after as JsonValue | null };
    const state = this.orgs.get(entry.orgId);

    let from: { seq: number; hash: string };
    if (!state) {
      // The first entry of the org in this file: at seq 1 it links to the genesis hash; later,
      // the export starts mid-chain and the entry's own prevHash is the only anchor there is.
      from = { seq: entry.seq - 1, hash: entry.prevHash };
    } else if (entry.seq <= state.last.seq) {
      return this.fail({
        line,
        seq: entry.seq,
        id: entry.id,
        problem: `sequence ${entry.seq} after ${state.last.seq} (entries are out of order or duplicated)`,
      });
    } else if (entry.seq === state.last.seq + 1 || !this.partial) {
      from = state.last;
    } else {
      // Partial export: a gap is expected; the entry is checked on its own.
      from = { seq: entry.seq - 1, hash: entry.prevHash };
    }

    // seq 1 is checked against the genesis hash by verifyAuditChain itself.
    const result = verifyAuditChain([entry], entry.seq === 1 && !state ? null : from);
    if (!result.ok) return this.fail({ line, seq: entry.seq, id: entry.id, problem: result.problem });

    if (!state) {
      this.orgs.set(entry.orgId, {
        orgId: entry.orgId,
        count: 1,
        firstSeq: entry.seq,
        last: { seq: entry.seq, hash: entry.hash },
        startsMidChain: entry.seq > 1 ? { seq: entry.seq, prevHash: entry.prevHash } : null,
        runs: 1,
      });
    } else {
      if (entry.seq !== state.last.seq + 1) state.runs += 1;
      state.count += 1;
      state.last = { seq: entry.seq, hash: entry.hash };
    }
    return null;
  }

  finish(): ExportVerification {
    const orgs: OrgVerification[] = [...this.orgs.values()].map((state) => ({
      orgId: state.orgId,
      count: state.count,
      firstSeq: state.firstSeq,
      headSeq: state.last.seq,
      headHash: state.last.hash,
      startsMidChain: state.startsMidChain,
      runs: state.runs,
    }));
    if (this.failure) return { ok: false, failure: this.failure, orgs, partial: this.partial };
    if (orgs.length === 0) return { ok: false, failure: null, orgs: [], partial: this.partial, empty: true };
    return { ok: true, orgs, partial: this.partial };
  }

  private fail(failure: ExportFailure): ExportFailure {
    this.failure = failure;
    return failure;
  }
}

/** Verifies a whole export held in memory (tests, small files). */
export function verifyExportLines(lines: Iterable<string>, options: { partial?: boolean } = {}): ExportVerification {
  const verifier = new ExportVerifier(options);
  let line = 0;
  for (const text of lines) {
    line += 1;
    if (verifier.push(text, line)) break;
  }
  return verifier.finish();
}

/** The verdict as the CLI prints it, and its exit code (0 verified, 1 broken or empty). */
export function formatExportVerification(result: ExportVerification): { lines: string[]; exitCode: 0 | 1 } {
  if (!result.ok && result.failure) {
    const { failure } = result;
    const where = failure.seq !== null ? `entry seq ${failure.seq} (${failure.id !== null ? `id ${failure.id}, ` : ""}line ${failure.line})` : `line ${failure.line}`;
    const lines = [`BROKEN: ${where}: ${failure.problem}`];
    if (!result.partial && /^sequence \d+ where \d+ was expected/.test(failure.problem)) {
      lines.push("  hint: a team-scoped export (audit-…-teams.ndjson) has gaps by design; verify it with --partial.");
    }
    const verifiedBefore = result.orgs.reduce((sum, org) => sum + org.count, 0);
    if (verifiedBefore > 0) lines.push(`  ${verifiedBefore} ${verifiedBefore === 1 ? "entry" : "entries"} before it verified; nothing after it was checked.`);
    return { lines, exitCode: 1 };
  }
  if (!result.ok) return { lines: ["BROKEN: the file holds no audit entries"], exitCode: 1 };

  const lines: string[] = [];
  for (const org of result.orgs) {
    lines.push(`OK: ${org.count} ${org.count === 1 ? "entry" : "entries"} verified for org ${org.orgId}, head hash ${org.headHash}`);
    if (org.startsMidChain) {
      lines.push(`  note: the export starts mid-chain at seq ${org.startsMidChain.seq}; verified from that entry's prevHash ${org.startsMidChain.prevHash} (the entries before it are not in this file).`);
    }
    if (result.partial) {
      lines.push(
        `  note: partial export (--partial): seqs ${org.firstSeq}–${org.headSeq} in ${org.runs} ${org.runs === 1 ? "run" : "runs"}; each entry's own hash and the links between consecutive seqs were checked, the gaps were not.`,
      );
    }
  }
  return { lines, exitCode: 0 };
}

export const AUDIT_VERIFY_USAGE = `Usage: npm run audit:verify -- [--partial] <export.ndjson>

Verifies an NDJSON audit export offline: every entry's hash, and the links between entries.
  --partial   the export is team-scoped and has gaps by design: check each entry's own hash
              and the links between consecutive sequence numbers only.
Exit codes: 0 verified, 1 broken (or empty), 2 usage error.`;

export type AuditVerifyArgs = { kind: "run"; file: string; partial: boolean } | { kind: "help" } | { kind: "usage_error"; message: string };

export function parseAuditVerifyArgs(argv: readonly string[]): AuditVerifyArgs {
  let partial = false;
  const files: string[] = [];
  let optionsEnded = false;
  for (const arg of argv) {
    if (!optionsEnded && arg === "--") optionsEnded = true;
    else if (!optionsEnded && (arg === "--help" || arg === "-h")) return { kind: "help" };
    else if (!optionsEnded && arg === "--partial") partial = true;
    else if (!optionsEnded && arg.startsWith("-") && arg !== "-") return { kind: "usage_error", message: `unknown option ${arg}` };
    else files.push(arg);
  }
  const [file, ...rest] = files;
  if (file === undefined) return { kind: "usage_error", message: "name the export file to verify" };
  if (rest.length > 0) return { kind: "usage_error", message: "verify one file at a time" };
  return { kind: "run", file, partial };
}
