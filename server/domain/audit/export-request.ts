// The audit export's request and response details, kept pure so they can be tested without a
// server: which query parameters it takes (app/api/orgs/[orgId]/audit/export/route.ts) and what
// the downloaded file is called.
import { z } from "zod";

/** An ISO-8601 instant with a zone ("2025-03-01T00:00:00Z", "…+01:00") or a date (midnight UTC). */
const isoInstant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: "expected an ISO-8601 date or date-time" })
  .transform((value) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value));

export const exportQuerySchema = z
  .strictObject({
    /** Entries at or after this instant. */
    from: isoInstant.optional(),
    /** Entries before this instant. */
    to: isoInstant.optional(),
  })
  .refine((query) => !query.from || !query.to || query.from < query.to, { error: "from must be before to", path: ["to"] });

export type ExportQuery = z.output<typeof exportQuerySchema>;

export type ParsedExportQuery = { ok: true; query: ExportQuery } | { ok: false; message: string; details: Record<string, string[]> };

export function parseExportQuery(params: URLSearchParams): ParsedExportQuery {
  const raw: Record<string, string> = {};
  const repeated: Record<string, string[]> = {};
  for (const [key, value] of params) {
    if (key in raw) repeated[key] = ["given more than once"];
    raw[key] = value;
  }
  if (Object.keys(repeated).length > 0) return { ok: false, message: "Each query parameter may be given once.", details: repeated };
  const parsed = exportQuerySchema.safeParse(raw);
  if (parsed.success) return { ok: true, query: parsed.data };
  const details: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    // An unknown parameter is reported under its own name, not under the object.
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [issue.path.length > 0 ? issue.path.join(".") : "query"];
    for (const key of keys) (details[key] ??= []).push(issue.code === "unrecognized_keys" ? "unknown parameter" : issue.message);
  }
  return { ok: false, message: "Invalid query parameters: from and to take ISO-8601 dates, from before to.", details };
}

/**
 * `audit-<slug>-<date>.ndjson`, with `-teams` when the export holds only some teams' entries (a
 * reminder to verify it with --partial). The date is the export's, in UTC.
 */
export function exportFilename(slug: string, exportedAt: Date, scope: "org" | "teams"): string {
  const safeSlug =
    slug
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "org";
  const date = exportedAt.toISOString().slice(0, 10);
  return `audit-${safeSlug}-${date}${scope === "teams" ? "-teams" : ""}.ndjson`;
}
