import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { settlementsOf, spendDeltas, type SpendEvent } from "./spend";

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
