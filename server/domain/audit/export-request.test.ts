import { describe, expect, it } from "vitest";
import { exportFilename, parseExportQuery } from "./export-request";

const parse = (query: string) => parseExportQuery(new URLSearchParams(query));

describe("parseExportQuery", () => {
  it("takes no filters at all", () => {
    expect(parse("")).toEqual({ ok: true, query: {} });
  });

  it("reads ISO date-times with their zone, and plain dates as midnight UTC", () => {
    const result = parse("from=2025-03-01T00:00:00.000%2B01:00&to=2025-04-01");
    expect(result).toEqual({ ok: true, query: { from: new Date("2025-02-28T23:00:00.000Z"), to: new Date("2025-04-01T00:00:00.000Z") } });
  });

  it("refuses dates that are not ISO-8601, or a range that ends before it starts", () => {
    const bad = parse("from=yesterday");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.details)).toEqual(["from"]);
    expect(parse("from=2025-13-01").ok).toBe(false);
    expect(parse("from=2025-03-01T10:00:00").ok).toBe(false); // no zone: ambiguous
    const backwards = parse("from=2025-04-01&to=2025-03-01");
    expect(backwards.ok).toBe(false);
    if (!backwards.ok) expect(backwards.details.to).toEqual(["from must be before to"]);
  });

  it("refuses unknown and repeated parameters rather than silently exporting everything", () => {
    const typo = parse("form=2025-03-01");
    expect(typo).toMatchObject({ ok: false, details: { form: ["unknown parameter"] } });
    expect(parse("from=2025-03-01&from=2025-03-02")).toMatchObject({ ok: false, details: { from: ["given more than once"] } });
  });
});

describe("exportFilename", () => {
  const at = new Date("2025-03-04T23:30:00.000Z");

  it("names the org and the UTC date of the export", () => {
    expect(exportFilename("acme", at, "org")).toBe("audit-acme-2025-03-04.ndjson");
  });

  it("marks a team-scoped export", () => {
    expect(exportFilename("acme", at, "teams")).toBe("audit-acme-2025-03-04-teams.ndjson");
  });

  it("keeps the name safe for a Content-Disposition header", () => {
    expect(exportFilename('Ac"me/../x', at, "org")).toBe("audit-ac-me-x-2025-03-04.ndjson");
    expect(exportFilename("///", at, "org")).toBe("audit-org-2025-03-04.ndjson");
  });
});
