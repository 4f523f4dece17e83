// A side-by-side diff of two versions: the system prompt line by line (the `diff` package's line
// diff, paired into rows), and every other field that changed. Pure; the console draws it.
import { diffLines } from "diff";
import { canonicalJson } from "../audit/canonical-json";

export interface DiffableVersion {
  label: string;
  model: string | null;
  systemPrompt: string;
  tools: readonly string[];
  config: unknown;
  notes: string;
}

/** One row of the side-by-side prompt: a line on the left (before), on the right (after), or both. */
export interface PromptRow {
  kind: "same" | "changed" | "removed" | "added";
  left: { number: number; text: string } | null;
  right: { number: number; text: string } | null;
}

export interface FieldChange {
  field: "model" | "tools" | "config" | "notes";
  label: string;
  before: string;
  after: string;
  /** For tools and configuration keys: what was added and removed. */
  added?: string[];
  removed?: string[];
}

export interface VersionDiff {
  from: string;
  to: string;
  prompt: PromptRow[];
  promptChanged: boolean;
  linesAdded: number;
  linesRemoved: number;
  fields: FieldChange[];
  identical: boolean;
}

function splitLines(value: string): string[] {
  const lines = value.split("\n");
  // A trailing newline does not make an empty last line worth showing.
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

export function diffPrompt(before: string, after: string): PromptRow[] {
  const rows: PromptRow[] = [];
  let left = 0;
  let right = 0;
  // Every line ends in a newline, so a last line without one is not "changed" when a line follows it.
  const terminated = (text: string) => (text === "" || text.endsWith("\n") ? text : `${text}\n`);
  const changes = diffLines(terminated(before), terminated(after));
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i];
    if (!change) continue;
    const lines = splitLines(change.value);
    if (!change.added && !change.removed) {
      for (const text of lines) rows.push({ kind: "same", left: { number: ++left, text }, right: { number: ++right, text } });
      continue;
    }
    const next = changes[i + 1];
    if (change.removed && next?.added) {
      // A removal followed by an addition is a change: pair the lines side by side.
      const added = splitLines(next.value);
      for (let k = 0; k < Math.max(lines.length, added.length); k++) {
        const l = lines[k];
        const r = added[k];
        rows.push({
          kind: l !== undefined && r !== undefined ? "changed" : l !== undefined ? "removed" : "added",
          left: l !== undefined ? { number: ++left, text: l } : null,
          right: r !== undefined ? { number: ++right, text: r } : null,
        });
      }
      i++;
      continue;
    }
    for (const text of lines) {
      if (change.removed) rows.push({ kind: "removed", left: { number: ++left, text }, right: null });
      else rows.push({ kind: "added", left: null, right: { number: ++right, text } });
    }
  }
  return rows;
}

function configKeys(config: unknown): Map<string, string> {
  const entries = config && typeof config === "object" && !Array.isArray(config) ? Object.entries(config as Record<string, unknown>) : [];
  return new Map(entries.map(([key, value]) => [key, canonicalJson(value)]));
}

export function diffVersions(a: DiffableVersion, b: DiffableVersion): VersionDiff {
  const prompt = a.systemPrompt === b.systemPrompt ? diffPrompt(a.systemPrompt, a.systemPrompt) : diffPrompt(a.systemPrompt, b.systemPrompt);
  const fields: FieldChange[] = [];
  if ((a.model ?? "") !== (b.model ?? "")) fields.push({ field: "model", label: "Model", before: a.model ?? "—", after: b.model ?? "—" });

  const toolsBefore = new Set(a.tools);
  const toolsAfter = new Set(b.tools);
  const toolsAdded = [...toolsAfter].filter((tool) => !toolsBefore.has(tool)).sort();
  const toolsRemoved = [...toolsBefore].filter((tool) => !toolsAfter.has(tool)).sort();
  if (toolsAdded.length > 0 || toolsRemoved.length > 0) {
    fields.push({ field: "tools", label: "Tools", before: [...a.tools].sort().join(", ") || "—", after: [...b.tools].sort().join(", ") || "—", added: toolsAdded, removed: toolsRemoved });
  }

  const configBefore = configKeys(a.config);
  const configAfter = configKeys(b.config);
  if (canonicalJson(a.config ?? {}) !== canonicalJson(b.config ?? {})) {
    const added = [...configAfter.keys()].filter((key) => !configBefore.has(key)).sort();
    const removed = [...configBefore.keys()].filter((key) => !configAfter.has(key)).sort();
    const changed = [...configAfter.keys()].filter((key) => configBefore.has(key) && configBefore.get(key) !== configAfter.get(key)).sort();
    fields.push({
      field: "config",
      label: "Configuration",
      before: canonicalJson(a.config ?? {}),
      after: canonicalJson(b.config ?? {}),
      added: [...added, ...changed.map((key) => `${key} (changed)`)],
      removed,
    });
  }
  if (a.notes !== b.notes) fields.push({ field: "notes", label: "Notes", before: a.notes || "—", after: b.notes || "—" });

  const linesAdded = prompt.filter((row) => row.kind === "added" || row.kind === "changed").length;
  const linesRemoved = prompt.filter((row) => row.kind === "removed" || row.kind === "changed").length;
  const promptChanged = linesAdded + linesRemoved > 0;
  return { from: a.label, to: b.label, prompt, promptChanged, linesAdded, linesRemoved, fields, identical: !promptChanged && fields.length === 0 };
}
