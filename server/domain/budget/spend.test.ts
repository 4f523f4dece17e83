import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { minuteSpendDeltas, settlementsOf, spendDeltas, type SpendEvent } from "./spend";

const event = (agentId: string, ts: string, costMicros: bigint | null): SpendEvent => ({ orgId: "o", agentId, teamId: "t", ts: new Date(ts), costMicros });

describe("SpendDaily deltas", () => {
  test("one delta per agent and UTC day, sorted, events without cost left out", () => {
    expect(
      spendDeltas([
        event("b", "2026-11-25T23:59:59.999Z", 5n),
        event("a", "2026-11-26T00:00:00Z", 7n),
        event("b", "2026-11-25T01:00:00Z", 10n),
        event("a", "2026-11-26T10:00:00Z", null),
        event("a", "2026-11-26T10:00:00Z", 0n),
      ]),
    ).toEqual([
      { orgId: "o", agentId: "a", teamId: "t", day: "2026-11-26", costMicros: 7n },
      { orgId: "o", agentId: "b", teamId: "t", day: "2026-11-25", costMicros: 15n },
    ]);
  });

  test("property: the deltas add up to the batch's cost exactly, keys unique and in order", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            agent: fc.constantFrom("a", "b", "c"),
            ts: fc.date({ min: new Date("2026-01-01T00:00:00Z"), max: new Date("2026-03-01T00:00:00Z"), noInvalidDate: true }),
            cost: fc.option(fc.bigInt({ min: 0n, max: 10n ** 15n })),
          }),
        ),
        (rows) => {
          const deltas = spendDeltas(rows.map((row) => event(row.agent, row.ts.toISOString(), row.cost)));
          const total = rows.reduce((sum, row) => sum + (row.cost ?? 0n), 0n);
          expect(deltas.reduce((sum, delta) => sum + delta.costMicros, 0n)).toBe(total);
          const keys = deltas.map((delta) => `${delta.agentId}\u0000${delta.day}`);
          expect(keys).toEqual([...new Set(keys)].sort());
        },
      ),
    );
  });
});

describe("SpendMinute deltas", () => {
  test("one delta per agent and UTC minute, in time order, events before `since` and without cost left out", () => {
    expect(
      minuteSpendDeltas(
        [
          event("a", "2026-11-26T10:01:59.999Z", 5n),
          event("a", "2026-11-26T10:01:00Z", 7n),
          event("a", "2026-11-26T09:59:00Z", 3n),
          event("a", "2026-11-26T09:54:59.999Z", 100n),
          event("b", "2026-11-26T10:00:30Z", 1n),
          event("b", "2026-11-26T10:00:40Z", null),
        ],
        new Date("2026-11-26T09:55:00Z"),
      ),
    ).toEqual([
      { orgId: "o", agentId: "a", minute: new Date("2026-11-26T09:59:00Z"), costMicros: 3n },
      { orgId: "o", agentId: "a", minute: new Date("2026-11-26T10:01:00Z"), costMicros: 12n },
      { orgId: "o", agentId: "b", minute: new Date("2026-11-26T10:00:00Z"), costMicros: 1n },
    ]);
  });

  test("property: the minutes add up to the cost of the events since, each event in the minute holding it", () => {
    const since = new Date("2026-01-01T00:00:00Z");
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            agent: fc.constantFrom("a", "b"),
            ts: fc.date({ min: new Date("2025-12-31T23:50:00Z"), max: new Date("2026-01-01T00:30:00Z"), noInvalidDate: true }),
            cost: fc.option(fc.bigInt({ min: 0n, max: 10n ** 15n })),
          }),
        ),
        (rows) => {
          const deltas = minuteSpendDeltas(
            rows.map((row) => event(row.agent, row.ts.toISOString(), row.cost)),
            since,
          );
          const counted = rows.filter((row) => row.ts >= since);
          expect(deltas.reduce((sum, delta) => sum + delta.costMicros, 0n)).toBe(counted.reduce((sum, row) => sum + (row.cost ?? 0n), 0n));
          for (const row of counted.filter((row) => (row.cost ?? 0n) > 0n)) {
            const held = deltas.find((delta) => delta.agentId === row.agent && delta.minute <= row.ts && row.ts.getTime() < delta.minute.getTime() + 60_000);
            expect(held).toBeDefined();
          }
          const keys = deltas.map((delta) => [delta.agentId, delta.minute.getTime()] as const);
          expect(keys).toEqual([...keys].sort((x, y) => (x[0] === y[0] ? x[1] - y[1] : x[0] < y[0] ? -1 : 1)));
        },
      ),
    );
  });
});

describe("settlements carried by a batch", () => {
  test("decision ids that are UUIDs and events with a cost, summed per decision", () => {
    const d1 = "7e0c7d1c-6a8b-4f7e-9a59-7c1e7a1d2b3c";
    const d2 = "0a0c7d1c-6a8b-4f7e-9a59-7c1e7a1d2b3c";
    expect(
      settlementsOf([
        { decisionId: d1, costMicros: 100n },
        { decisionId: d1.toUpperCase(), costMicros: 5n },
        { decisionId: d2, costMicros: null },
        { decisionId: "not-a-decision", costMicros: 5n },
        { decisionId: null, costMicros: 5n },
      ]),
    ).toEqual([{ decisionId: d1, costMicros: 105n }]);
  });
});
