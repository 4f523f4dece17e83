// The evidence pack's files, built from plain data: the pack as JSON, a CSV of controls × agents,
// an OSCAL Assessment Results view, a printable HTML page, and the manifest with each file's
// SHA-256. Pure (hashing included), so the files an auditor receives can be rebuilt and checked.
import { createHash } from "node:crypto";
import { canonicalJson, type JsonValue } from "../audit/canonical-json";
import { CONTROLS, controlHeading, frameworkLabel, RISK_CLASS_LABELS, isRiskClass } from "./catalogue";
import { rollUpStatus, STATUS_LABELS, STATUS_ORDER, type ControlStatus } from "./status";

export const EVIDENCE_FORMAT = "agentry-evidence-pack/1";

export interface PackAuditRef {
  seq: number;
  hash: string;
  action: string;
  at: string;
}

export interface PackInput {
  org: { id: string; name: string; slug: string };
  scope: { kind: "org" | "team" | "agent"; id: string | null; name: string };
  period: { from: Date; to: Date };
  generatedAt: Date;
  generatedBy: string;
  agents: { id: string; name: string; teamName: string | null; riskClass: string | null; annexArea: string | null; riskReason: string | null }[];
  evaluations: { agentId: string; agentName: string; controlId: string; status: ControlStatus; evidence: Record<string, unknown> }[];
  activity: { events: number; decisions: number; auditEntries: number };
  /** The audit chain's head when the pack was built (before its own export entry). */
  chainHead: { seq: number; hash: string } | null;
}

export interface PackControl {
  id: string;
  framework: string;
  ref: string;
  title: string;
  description: string;
  check: string;
  status: ControlStatus | "partial";
  agents: { agentId: string; agentName: string; status: ControlStatus; summary: string; evidence: Record<string, unknown> }[];
  auditEntries: PackAuditRef[];
}

function refsIn(evidence: Record<string, unknown>): PackAuditRef[] {
  const list = evidence.auditEntries;
  if (!Array.isArray(list)) return [];
  return list.filter((ref): ref is PackAuditRef => typeof ref === "object" && ref !== null && typeof (ref as PackAuditRef).seq === "number" && typeof (ref as PackAuditRef).hash === "string");
}

/** The pack's controls: each with its status across the agents in scope, their evidence and the audit entries behind it. */
export function packControls(input: PackInput): PackControl[] {
  const byControl = new Map<string, PackInput["evaluations"]>();
  for (const row of input.evaluations) byControl.set(row.controlId, [...(byControl.get(row.controlId) ?? []), row]);
  return CONTROLS.map((control) => {
    const rows = byControl.get(control.id) ?? [];
    const applicable = rows.filter((row) => row.status !== "not_applicable");
    const refs = new Map<number, PackAuditRef>();
    for (const row of applicable) for (const ref of refsIn(row.evidence)) refs.set(ref.seq, ref);
    return {
      ...controlHeading(control),
      status: rollUpStatus(rows.map((row) => row.status)),
      agents: applicable.map((row) => ({
        agentId: row.agentId,
        agentName: row.agentName,
        status: row.status,
        summary: typeof row.evidence.summary === "string" ? row.evidence.summary : "",
        evidence: row.evidence,
      })),
      auditEntries: [...refs.values()].sort((a, b) => a.seq - b.seq),
    };
  }).sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.id.localeCompare(b.id));
}

/** Nothing happened in the scope over the period: the export says so instead of producing a pack. */
export function isEmptyPeriod(input: Pick<PackInput, "activity" | "agents">): boolean {
  return input.agents.length === 0 || (input.activity.events === 0 && input.activity.decisions === 0 && input.activity.auditEntries === 0);
}

function csvCell(value: string | number | null): string {
  const text = value === null ? "" : String(value);
  // A leading =, +, - or @ would be a formula in a spreadsheet: quote it as text.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function packCsv(controls: readonly PackControl[]): string {
  const lines = [["control_id", "framework", "ref", "title", "control_status", "agent", "agent_status", "summary", "audit_entries"].join(",")];
  for (const control of controls) {
    const refs = control.auditEntries.map((ref) => `${ref.seq}:${ref.hash}`).join(" ");
    if (control.agents.length === 0) {
      lines.push([control.id, frameworkLabel(control.framework), control.ref, control.title, control.status, null, null, null, refs].map(csvCell).join(","));
    }
    for (const agent of control.agents) {
      const agentRefs = refsIn(agent.evidence)
        .map((ref) => `${ref.seq}:${ref.hash}`)
        .join(" ");
      lines.push([control.id, frameworkLabel(control.framework), control.ref, control.title, control.status, agent.agentName, agent.status, agent.summary, agentRefs].map(csvCell).join(","));
    }
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** OSCAL only knows satisfied / not-satisfied: partial and not assessed ride along as properties. */
export function packOscal(input: PackInput, controls: readonly PackControl[], uuid: (seed: string) => string): JsonValue {
  const ns = "https://agentry.dev/ns/oscal";
  return {
    "assessment-results": {
      uuid: uuid("assessment-results"),
      metadata: {
        title: `Agentry evidence: ${input.org.name}, ${input.scope.name}`,
        "last-modified": input.generatedAt.toISOString(),
        version: EVIDENCE_FORMAT,
        "oscal-version": "1.1.2",
      },
      "import-ap": { href: "#agentry-controls" },
      results: [
        {
          uuid: uuid("result"),
          title: `Controls evaluated from Agentry's own state, ${input.period.from.toISOString()} to ${input.period.to.toISOString()}`,
          description: "Each finding's status comes from the system's state (decisions, audit chain, policies, budgets, kill switches, incidents), not from uploaded documents.",
          start: input.period.from.toISOString(),
          end: input.period.to.toISOString(),
          "reviewed-controls": { "control-selections": [{ "include-controls": controls.map((control) => ({ "control-id": control.id })) }] },
          findings: controls
            .filter((control) => control.status !== "not_applicable")
            .map((control) => ({
              uuid: uuid(`finding:${control.id}`),
              title: `${frameworkLabel(control.framework)} ${control.ref}: ${control.title}`,
              description: control.description,
              target: {
                type: "objective-id",
                "target-id": control.id,
                status: { state: control.status === "met" ? "satisfied" : "not-satisfied" },
              },
              props: [
                { name: "agentry-status", ns, value: control.status },
                ...(control.status === "partial" ? [{ name: "partial", ns, value: "true" }] : []),
                ...(control.status === "not_assessed" ? [{ name: "not-assessed", ns, value: "true" }] : []),
                { name: "agents-met", ns, value: String(control.agents.filter((agent) => agent.status === "met").length) },
                { name: "agents-applicable", ns, value: String(control.agents.length) },
              ],
              "related-observations": control.agents.map((agent) => ({ "observation-uuid": uuid(`observation:${control.id}:${agent.agentId}`) })),
            })),
          observations: controls.flatMap((control) =>
            control.agents.map((agent) => ({
              uuid: uuid(`observation:${control.id}:${agent.agentId}`),
              title: `${control.id} for ${agent.agentName}`,
              description: agent.summary || STATUS_LABELS[agent.status],
              methods: ["AUTOMATED"],
              collected: input.generatedAt.toISOString(),
              props: [{ name: "agentry-status", ns, value: agent.status }],
              "relevant-evidence": refsIn(agent.evidence).map((ref) => ({
                href: `#audit-${ref.seq}`,
                description: `Audit entry ${ref.seq} (${ref.action}), sha256 ${ref.hash}`,
              })),
            })),
          ),
        },
      ],
    },
  } as JsonValue;
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A self-contained page that prints well: headings, the controls with status and evidence, and the audit entries. */
export function packHtml(input: PackInput, controls: readonly PackControl[]): string {
  const statusClass = (status: string) => `s-${status}`;
  const riskLabel = (value: string | null) => (isRiskClass(value) ? RISK_CLASS_LABELS[value] : "Not classified");
  const controlRows = controls
    .filter((control) => control.status !== "not_applicable")
    .map(
      (
        control,
      ) => `<section class="control"><h3>${escape(frameworkLabel(control.framework))} ${escape(control.ref)} · ${escape(control.title)} <span class="badge ${statusClass(control.status)}">${escape(STATUS_LABELS[control.status])}</span></h3>
<p class="desc">${escape(control.description)} <span class="muted">(${escape(control.id)})</span></p>
<table><thead><tr><th>Agent</th><th>Status</th><th>Evidence</th><th>Audit entries</th></tr></thead><tbody>
${control.agents
  .map(
    (agent) =>
      `<tr><td>${escape(agent.agentName)}</td><td><span class="badge ${statusClass(agent.status)}">${escape(STATUS_LABELS[agent.status])}</span></td><td>${escape(agent.summary)}</td><td class="mono">${
        refsIn(agent.evidence)
          .map((ref) => `#${ref.seq} ${escape(ref.action)}<br>${ref.hash}`)
          .join("<br>") || "—"
      }</td></tr>`,
  )
  .join("\n")}
</tbody></table></section>`,
    )
    .join("\n");
  const notApplicable = controls
    .filter((control) => control.status === "not_applicable")
    .map((control) => `${escape(control.id)}`)
    .join(", ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evidence pack · ${escape(input.org.name)} · ${escape(input.scope.name)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#0f172a;margin:2rem auto;max-width:60rem;padding:0 1rem}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid #cbd5e1;padding-bottom:.25rem}h3{font-size:1rem;margin:1.25rem 0 .25rem}
.muted{color:#64748b}.desc{margin:.25rem 0 .5rem}.mono{font-family:ui-monospace,Menlo,monospace;font-size:11px;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:.25rem 0 1rem}th,td{border:1px solid #e2e8f0;padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#f8fafc;font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:#475569}
.badge{display:inline-block;border-radius:9999px;padding:0 .5rem;font-size:12px;font-weight:600;border:1px solid}
.s-met{color:#047857;border-color:#a7f3d0;background:#ecfdf5}.s-gap{color:#b91c1c;border-color:#fecaca;background:#fef2f2}.s-partial{color:#92400e;border-color:#fde68a;background:#fffbeb}.s-not_assessed{color:#334155;border-color:#cbd5e1;background:#f1f5f9}.s-not_applicable{color:#64748b;border-color:#e2e8f0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600;color:#475569}
@media print{body{margin:0;max-width:none}section.control{break-inside:avoid}a{color:inherit}}
</style></head><body>
<h1>Evidence pack: ${escape(input.org.name)}</h1>
<p class="muted">Scope: ${escape(input.scope.name)} · period ${input.period.from.toISOString()} to ${input.period.to.toISOString()} · generated ${input.generatedAt.toISOString()} by ${escape(input.generatedBy)}</p>
<h2>How to check this pack</h2>
<p>Each file's SHA-256 is in manifest.json, and the same hashes are in the audit entry that records this export (its sequence number and hash are in the manifest). Export the audit log, verify it with <code>npm run audit:verify</code>, and find that entry and every audit entry named below, by sequence number, with the same hash.</p>
<dl><dt>Audit chain head when built</dt><dd class="mono">${input.chainHead ? `#${input.chainHead.seq} ${input.chainHead.hash}` : "empty"}</dd>
<dt>Activity in the period</dt><dd>${input.activity.events} events, ${input.activity.decisions} decisions, ${input.activity.auditEntries} audit entries</dd></dl>
<h2>Agents in scope</h2>
<table><thead><tr><th>Agent</th><th>Team</th><th>EU AI Act risk class</th><th>Reason</th></tr></thead><tbody>
${input.agents.map((agent) => `<tr><td>${escape(agent.name)}</td><td>${escape(agent.teamName ?? "—")}</td><td>${escape(riskLabel(agent.riskClass))}</td><td>${escape(agent.riskReason ?? "—")}</td></tr>`).join("\n")}
</tbody></table>
<h2>Controls</h2>
${controlRows}
${notApplicable ? `<p class="muted">Not applicable to any agent in scope: ${notApplicable}.</p>` : ""}
</body></html>
`;
}

export function sha256(content: string | Uint8Array): string {
  return createHash("sha256").update(content).digest("hex");
}

export interface PackFile {
  name: string;
  content: string;
}

/** Every file of the pack (the manifest aside), in a fixed order. */
export function packFiles(input: PackInput, uuid: (seed: string) => string): { files: PackFile[]; controls: PackControl[] } {
  const controls = packControls(input);
  const auditEntries = new Map<number, PackAuditRef>();
  for (const control of controls) for (const ref of control.auditEntries) auditEntries.set(ref.seq, ref);
  const pack = {
    format: EVIDENCE_FORMAT,
    org: input.org,
    scope: input.scope,
    period: { from: input.period.from.toISOString(), to: input.period.to.toISOString() },
    generatedAt: input.generatedAt.toISOString(),
    generatedBy: input.generatedBy,
    chainHeadAtBuild: input.chainHead,
    activity: input.activity,
    agents: input.agents,
    controls,
    auditEntries: [...auditEntries.values()].sort((a, b) => a.seq - b.seq),
  };
  return {
    controls,
    files: [
      { name: "evidence.json", content: `${JSON.stringify(pack, null, 2)}\n` },
      { name: "controls.csv", content: packCsv(controls) },
      { name: "oscal-assessment-results.json", content: `${JSON.stringify(packOscal(input, controls, uuid), null, 2)}\n` },
      { name: "evidence.html", content: packHtml(input, controls) },
    ],
  };
}

export interface Manifest {
  format: string;
  generatedAt: string;
  files: { name: string; sha256: string; bytes: number }[];
  /** The audit entry that records this export: its files' hashes are in it, chained. */
  exportEntry: { seq: number; hash: string };
  chainHeadAtBuild: { seq: number; hash: string } | null;
  howToVerify: string;
}

export function fileDigests(files: readonly PackFile[]): { name: string; sha256: string; bytes: number }[] {
  return files.map((file) => ({ name: file.name, sha256: sha256(file.content), bytes: Buffer.byteLength(file.content, "utf8") }));
}

export function manifestOf(generatedAt: Date, files: readonly PackFile[], exportEntry: { seq: number; hash: string }, chainHead: { seq: number; hash: string } | null): string {
  const manifest: Manifest = {
    format: EVIDENCE_FORMAT,
    generatedAt: generatedAt.toISOString(),
    files: fileDigests(files),
    exportEntry,
    chainHeadAtBuild: chainHead,
    howToVerify:
      "Export the audit log (Audit page or GET /api/orgs/<org>/audit/export) and run `npm run audit:verify -- <file>`. In the verified export, the entry with seq exportEntry.seq has hash exportEntry.hash, action compliance.evidence_exported, and lists these files' SHA-256 in after.files; each audit entry the pack cites is there with the same seq and hash.",
  };
  return `${canonicalJson(manifest as unknown as JsonValue)}\n`;
}
