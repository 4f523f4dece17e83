import { describe, expect, it } from "vitest";
import { anomalyEventsHref, anomalyFigures, clockText, filterMatrix, formatMs, formatTokens, liveClock, metricRows, NO_FILTERS } from "./present";

const matrix = {
  controls: [
    { id: "EUAIA-14", framework: "eu_ai_act" },
    { id: "GDPR-30", framework: "gdpr" },
    { id: "SOC2-CC7.2", framework: "soc2" },
  ],
  agents: [
    { name: "content-writer", riskClass: "minimal", statuses: ["not_applicable", "met", "met"] as const },
    { name: "reconciliation-agent", riskClass: "high", statuses: ["gap", "gap", "met"] as const },
    { name: "kb-summarizer", riskClass: null, statuses: ["not_applicable", "not_applicable", "gap"] as const },
  ].map((agent) => ({ ...agent, statuses: [...agent.statuses] })),
};

describe("filterMatrix", () => {
  it("puts gaps first and keeps every agent with no filter", () => {
    expect(filterMatrix(matrix, NO_FILTERS).agents.map((agent) => [agent.name, agent.gapsShown])).toEqual([
      ["reconciliation-agent", 2],
      ["kb-summarizer", 1],
      ["content-writer", 0],
    ]);
  });

  it("cuts the columns to one framework and counts only their gaps", () => {
    const view = filterMatrix(matrix, { ...NO_FILTERS, framework: "soc2", onlyGaps: true });
    expect(view.controls.map((control) => control.id)).toEqual(["SOC2-CC7.2"]);
    expect(view.agents.map((agent) => [agent.name, agent.statuses])).toEqual([["kb-summarizer", ["gap"]]]);
  });

  it("sorts by name or by risk class on request", () => {
    expect(filterMatrix(matrix, { ...NO_FILTERS, sort: "name" }).agents.map((agent) => agent.name)).toEqual(["content-writer", "kb-summarizer", "reconciliation-agent"]);
    expect(filterMatrix(matrix, { ...NO_FILTERS, sort: "risk" }).agents.map((agent) => agent.name)).toEqual(["reconciliation-agent", "content-writer", "kb-summarizer"]);
  });

  it("filters by risk class (unclassified too) and by name", () => {
    expect(filterMatrix(matrix, { ...NO_FILTERS, riskClass: "unclassified" }).agents.map((agent) => agent.name)).toEqual(["kb-summarizer"]);
    expect(filterMatrix(matrix, { ...NO_FILTERS, riskClass: "high" }).agents.map((agent) => agent.name)).toEqual(["reconciliation-agent"]);
    expect(filterMatrix(matrix, { ...NO_FILTERS, search: "WRITER" }).agents.map((agent) => agent.name)).toEqual(["content-writer"]);
  });
});

describe("clocks", () => {
  it("counts down, warns in the last day, and says when it was reported", () => {
    const deadline = new Date("2026-12-10T12:00:00Z");
    expect(clockText(liveClock({ deadlineAt: deadline, reportedAt: null }, new Date("2026-12-08T10:00:00Z")))).toEqual({ text: "2 d 2 h 0 min left to report", tone: "warn" });
    expect(clockText(liveClock({ deadlineAt: deadline, reportedAt: null }, new Date("2026-12-10T09:30:00Z")))).toEqual({ text: "2 h 30 min 0 s left to report", tone: "bad" });
    expect(clockText(liveClock({ deadlineAt: deadline.toISOString(), reportedAt: null }, new Date("2026-12-11T12:00:00Z")))).toEqual({ text: "Report overdue by 1 d 0 h 0 min", tone: "bad" });
    expect(clockText(liveClock({ deadlineAt: deadline, reportedAt: "2026-12-09T12:00:00Z" }, new Date()))).toEqual({ text: "Reported on time (1 d 0 h 0 min to spare)", tone: "good" });
    expect(clockText(liveClock({ deadlineAt: null, reportedAt: null }, new Date())).tone).toBe("neutral");
  });
});

describe("anomalies", () => {
  it("says what was seen, in money and percent", () => {
    expect(anomalyFigures({ metric: "cost", observed: "5000000.000000", baseline: "150000", score: 40 })).toBe("$5.00 in the hour (usual $0.15)");
    expect(anomalyFigures({ metric: "error_rate", observed: "0.5", baseline: "0.02", score: 9 })).toBe("50.0 % errors in the hour (usual 2.0 %)");
    expect(anomalyFigures({ metric: "tool_mix", observed: null, baseline: null, score: 0.4567 })).toMatch(/distance 0\.46/);
  });

  it("links to the Events page filtered to the agent and the hour", () => {
    const href = anomalyEventsHref("acme", { agent: { id: "a1" }, hour: "2026-12-04T10:00:00.000Z", metric: "cost" });
    const url = new URL(href, "http://x");
    expect(url.pathname).toBe("/acme/events");
    expect(Object.fromEntries(url.searchParams)).toEqual({ agentId: "a1", from: "2026-12-04T10:00:00.000Z", to: "2026-12-04T11:00:00.000Z" });
    expect(new URL(anomalyEventsHref("acme", { agent: { id: "a1" }, hour: "2026-11-30T00:00:00.000Z", metric: "tool_mix" }), "http://x").searchParams.get("type")).toBe("tool_call");
  });
});

describe("metric rows and units", () => {
  it("turns the series into chart rows with money as micro-dollars", () => {
    const rows = metricRows([{ at: "2026-12-04T10:00:00.000Z", calls: 12, costMicros: "2500000", errorRatePercent: 4.5, p95Ms: 812 }], 1, "UTC");
    expect(rows).toEqual([{ label: "4 Dec, 10:00", cost: 2_500_000, calls: 12, errorRate: 4.5, p95: 812 }]);
    expect(metricRows([{ at: "2026-12-04T00:00:00.000Z", calls: 1, costMicros: "0", errorRatePercent: null, p95Ms: null }], 24, "UTC")[0]?.label).toBe("4 Dec");
  });

  it("formats latency and tokens", () => {
    expect(formatMs(null)).toBe("–");
    expect(formatMs(420.4)).toBe("420 ms");
    expect(formatMs(1530)).toBe("1.5 s");
    expect(formatTokens("1234")).toBe("1,234");
    expect(formatTokens("2500000")).toBe("2.5 M");
  });
});
