// Observed data categories: what redaction found in an agent's events. Redaction replaces each
// sensitive value by its detector's placeholder ("[REDACTED:CARD]"), so the stored, redacted
// attributes say exactly which detectors fired; this reads them back, with no second scan of the
// original values on the ingest path.
import type { DataCategory } from "../agents/agent-fields";
import { PLACEHOLDER } from "../redaction/detectors";
import { REDACTION_DETECTORS, type RedactionDetector } from "../redaction/redact";

/** The data category each detector's finding belongs to (credentials are no data category). */
export const DETECTOR_CATEGORY: Record<RedactionDetector, DataCategory | null> = {
  email: "PII",
  phone: "PII",
  ssn: "PII",
  card: "PCI",
  iban: "financial",
  bearer: null,
  api_key: null,
  jwt: null,
};

export type RedactionFindings = Partial<Record<RedactionDetector, number>>;

const MARK = "[REDACTED:";

function countIn(text: string, findings: RedactionFindings): void {
  if (!text.includes(MARK)) return;
  for (const detector of REDACTION_DETECTORS) {
    const placeholder = PLACEHOLDER[detector];
    let at = text.indexOf(placeholder);
    while (at !== -1) {
      findings[detector] = (findings[detector] ?? 0) + 1;
      at = text.indexOf(placeholder, at + placeholder.length);
    }
  }
}

/** Per detector, how many placeholders a redacted JSON value holds (its strings only, keys ignored). */
export function redactionFindings(redacted: unknown): RedactionFindings {
  const findings: RedactionFindings = {};
  const stack: unknown[] = [redacted];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === "string") countIn(value, findings);
    else if (Array.isArray(value)) stack.push(...value);
    else if (value !== null && typeof value === "object") stack.push(...Object.values(value));
  }
  return findings;
}

/** The data categories some findings show, in the order of DATA_CATEGORIES' declaration. */
export function observedCategories(findings: RedactionFindings): DataCategory[] {
  const found = new Set<DataCategory>();
  for (const [detector, count] of Object.entries(findings) as [RedactionDetector, number][]) {
    const category = DETECTOR_CATEGORY[detector];
    if (category && count > 0) found.add(category);
  }
  return (["PII", "PHI", "PCI", "financial", "biometric", "minors"] as const).filter((category) => found.has(category));
}

export interface ObservedCategoryDelta {
  orgId: string;
  agentId: string;
  category: DataCategory;
  events: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

/**
 * For one ingest batch: per (agent, category), how many of the stored events showed it and when.
 * Takes the events as stored (attributes already redacted).
 */
export function observedCategoryDeltas(events: readonly { orgId: string; agentId: string; ts: Date; attributes: unknown }[]): ObservedCategoryDelta[] {
  const deltas = new Map<string, ObservedCategoryDelta>();
  for (const event of events) {
    if (event.attributes === null || event.attributes === undefined) continue;
    for (const category of observedCategories(redactionFindings(event.attributes))) {
      const key = `${event.agentId}\u0000${category}`;
      const delta = deltas.get(key);
      if (!delta) {
        deltas.set(key, { orgId: event.orgId, agentId: event.agentId, category, events: 1, firstSeenAt: event.ts, lastSeenAt: event.ts });
      } else {
        delta.events += 1;
        if (event.ts < delta.firstSeenAt) delta.firstSeenAt = event.ts;
        if (event.ts > delta.lastSeenAt) delta.lastSeenAt = event.ts;
      }
    }
  }
  return [...deltas.values()];
}

/** Observed categories that were not declared: the flag on the agent's page and a GDPR Art. 30 gap. */
export function undeclaredCategories(declared: readonly string[], observed: readonly string[]): string[] {
  return observed.filter((category) => !declared.includes(category));
}
