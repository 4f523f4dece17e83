import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { costPerTask, percentile } from "./cost-per-task";

describe("cost per task", () => {
  test("per agent: number of tasks, average, median, 90th percentile and highest", () => {
    const tasks = [10n, 20n, 30n, 40n, 1000n].map((costMicros, index) => ({ agentId: "a", taskId: `t${index}`, costMicros }));
    tasks.push({ agentId: "b", taskId: "x", costMicros: 5n });
    expect(costPerTask(tasks)).toEqual([
      { agentId: "a", tasks: 5, totalMicros: 1100n, averageMicros: 220n, p50Micros: 30n, p90Micros: 1000n, maxMicros: 1000n },
      { agentId: "b", tasks: 1, totalMicros: 5n, averageMicros: 5n, p50Micros: 5n, p90Micros: 5n, maxMicros: 5n },
    ]);
  });

  test("property: the percentiles lie between the cheapest and the dearest task, in order", () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 200 }), (costs) => {
        const [summary] = costPerTask(costs.map((costMicros, index) => ({ agentId: "a", taskId: String(index), costMicros })));
        const sorted = [...costs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(summary?.tasks).toBe(costs.length);
        expect(summary && sorted[0] !== undefined && summary.p50Micros >= sorted[0] && summary.p50Micros <= summary.p90Micros && summary.p90Micros <= summary.maxMicros).toBe(true);
        expect(summary?.totalMicros).toBe(costs.reduce((sum, cost) => sum + cost, 0n));
      }),
    );
  });

  test("percentile of nothing is zero", () => {
    expect(percentile([], 50)).toBe(0n);
  });
});
