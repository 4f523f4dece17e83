import { describe, expect, it } from "vitest";
import { BASELINE_HOURS, detectDrift, detectSpikes, toolCallDeltas, type HourTotals } from "./detect";

const HOUR = 3_600_000;
const now = new Date("2026-12-05T12:00:00Z");
const hourAt = (back: number) => new Date(now.getTime() - back * HOUR);

/** A steady agent: 60 events, 1 error and $0.20 every hour of the last week, then `judged` at `now`. */
function history(judged: Partial<HourTotals>): HourTotals[] {
  const hours: HourTotals[] = [];
  for (let back = BASELINE_HOURS; back >= 1; back--) hours.push({ hour: hourAt(back), events: 60, errors: back % 3 === 0 ? 2 : 1, costMicros: BigInt(200_000 + (back % 5) * 10_000) });
  hours.push({ hour: now, events: 60, errors: 1, costMicros: 200_000n, ...judged });
  return hours;
}

describe("detectSpikes", () => {
  it("flags an hour that costs ten times the usual", () => {
    const spikes = detectSpikes(history({ costMicros: 2_000_000n }), now);
    expect(spikes.map((spike) => spike.metric)).toEqual(["cost"]);
    expect(spikes[0]?.score).toBeGreaterThan(3.5);
    expect(spikes[0]?.baselineMedian).toBe(220_000);
  });

  it("flags an error rate far above the baseline", () => {
    const spikes = detectSpikes(history({ errors: 30 }), now);
    expect(spikes.map((spike) => spike.metric)).toEqual(["error_rate"]);
    expect(spikes[0]?.observed).toBe(0.5);
  });

  it("stays quiet on an ordinary hour, on too little history, and on a small absolute excess", () => {
    expect(detectSpikes(history({}), now)).toEqual([]);
    expect(detectSpikes(history({ costMicros: 2_000_000n }).slice(-10), now)).toEqual([]);
    // Statistically unusual but only $0.10 more than usual: not worth an alert.
    expect(detectSpikes(history({ costMicros: 330_000n }), now)).toEqual([]);
    // Too few events, or too few errors, for an error rate to mean anything.
    expect(detectSpikes(history({ events: 5, errors: 5, costMicros: 200_000n }), now)).toEqual([]);
    expect(detectSpikes(history({ events: 30, errors: 4, costMicros: 200_000n }), now)).toEqual([]);
  });
});

describe("an agent that works a few hours a week", () => {
  it("is judged against its working hours, not its idle ones", () => {
    // Busy 09:00–11:00 on each of the last 7 days at about $1.20 an hour, idle otherwise.
    const hours: HourTotals[] = [];
    for (let day = 7; day >= 1; day--) for (let h = 0; h < 3; h++) hours.push({ hour: hourAt(day * 24 - h), events: 30, errors: 0, costMicros: BigInt(1_150_000 + h * 50_000 + day * 3_000) });
    for (let day = 7; day >= 1; day--) for (let h = 3; h < 6; h++) hours.push({ hour: hourAt(day * 24 - h), events: 25, errors: 0, costMicros: BigInt(1_180_000 + h * 10_000) });
    hours.push({ hour: now, events: 30, errors: 0, costMicros: 1_300_000n });
    expect(detectSpikes(hours, now)).toEqual([]);
    hours[hours.length - 1] = { hour: now, events: 30, errors: 0, costMicros: 9_000_000n };
    expect(detectSpikes(hours, now).map((spike) => spike.metric)).toEqual(["cost"]);
  });
});

describe("detectDrift", () => {
  it("flags a tool mix that changed, with the Jensen–Shannon distance", () => {
    const drift = detectDrift({ ledger_query: 20, create_journal_entry: 180 }, { ledger_query: 500, create_journal_entry: 20, bank_statement_fetch: 100 });
    expect(drift?.statistic).toBe("jensen_shannon_distance");
    expect(drift?.score).toBeGreaterThan(0.3);
  });

  it("ignores the same mix and too few calls", () => {
    expect(detectDrift({ a: 100, b: 50 }, { a: 210, b: 95 })).toBeNull();
    expect(detectDrift({ a: 10 }, { b: 10 })).toBeNull();
  });
});

describe("toolCallDeltas", () => {
  it("counts tool calls per agent, tool and hour, and nothing else", () => {
    const at = (minute: number, hour = 10) => new Date(Date.UTC(2026, 11, 1, hour, minute));
    const deltas = toolCallDeltas([
      { orgId: "o", agentId: "a", type: "tool_call", tool: "search", ts: at(1) },
      { orgId: "o", agentId: "a", type: "tool_call", tool: "search", ts: at(59) },
      { orgId: "o", agentId: "a", type: "tool_call", tool: "search", ts: at(0, 11) },
      { orgId: "o", agentId: "a", type: "llm_call", tool: null, ts: at(2) },
      { orgId: "o", agentId: "a", type: "tool_call", tool: null, ts: at(2) },
    ]);
    expect(deltas).toEqual([
      { orgId: "o", agentId: "a", tool: "search", hour: new Date(Date.UTC(2026, 11, 1, 10)), calls: 2 },
      { orgId: "o", agentId: "a", tool: "search", hour: new Date(Date.UTC(2026, 11, 1, 11)), calls: 1 },
    ]);
  });
});
