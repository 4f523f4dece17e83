import { describe, expect, it } from "vitest";
import { dateRange, dateRangeError, EMPTY_AUDIT_SEARCH, exportHref, hasFilters, readAuditSearch, startOfLocalDay, toListFilter, writeAuditSearch } from "./filters";

const TEAM = "12598984-ba6a-47ff-a6ec-1e434533dd5b";
const ORG = "4b2d36fe-bff3-44a5-8f9d-e624cd7e1583";

describe("audit filters in the URL", () => {
  it("round-trip through the query string, leaving empty filters out", () => {
    const search = { ...EMPTY_AUDIT_SEARCH, action: "team.renamed", actor: "owner@acme.test", teamId: TEAM, from: "2025-03-01" };
    const query = writeAuditSearch(search);
    expect(query).toBe(`action=team.renamed&actor=owner%40acme.test&teamId=${TEAM}&from=2025-03-01`);
    expect(readAuditSearch(new URLSearchParams(query))).toEqual(search);
    expect(writeAuditSearch(EMPTY_AUDIT_SEARCH)).toBe("");
    expect(hasFilters(search)).toBe(true);
    expect(hasFilters(EMPTY_AUDIT_SEARCH)).toBe(false);
  });

  it("drops values a hand-edited link could not have meant", () => {
    const search = readAuditSearch(new URLSearchParams("teamId=finance&from=2025-02-30&to=March&actor=%20ann%20"));
    expect(search).toEqual({ ...EMPTY_AUDIT_SEARCH, actor: "ann" });
  });
});

describe("date ranges", () => {
  it("cover whole days in the viewer's zone, both ends inclusive", () => {
    const { from, to } = dateRange({ from: "2025-03-01", to: "2025-03-31" });
    expect(from).toEqual(new Date(2025, 2, 1));
    expect(to).toEqual(new Date(2025, 3, 1));
    expect(startOfLocalDay("2024-02-29")).toEqual(new Date(2024, 1, 29));
    expect(startOfLocalDay("2025-02-29")).toBeNull();
  });

  it("flag an end before the start", () => {
    expect(dateRangeError({ from: "2025-03-02", to: "2025-03-01" })).toMatch(/before/);
    expect(dateRangeError({ from: "2025-03-01", to: "2025-03-01" })).toBeNull();
  });

  it("become the list query's instants", () => {
    expect(toListFilter({ ...EMPTY_AUDIT_SEARCH, action: "audit.exported", to: "2025-03-01" })).toEqual({ action: "audit.exported", to: new Date(2025, 2, 2) });
    expect(toListFilter(EMPTY_AUDIT_SEARCH)).toEqual({});
  });
});

describe("exportHref", () => {
  it("carries the date range as ISO instants, and nothing else", () => {
    expect(exportHref(ORG, { from: "", to: "" })).toBe(`/api/orgs/${ORG}/audit/export`);
    const href = new URL(exportHref(ORG, { from: "2025-03-01", to: "2025-03-31" }), "http://localhost");
    expect(href.pathname).toBe(`/api/orgs/${ORG}/audit/export`);
    expect(href.searchParams.get("from")).toBe(new Date(2025, 2, 1).toISOString());
    expect(href.searchParams.get("to")).toBe(new Date(2025, 3, 1).toISOString());
  });
});
