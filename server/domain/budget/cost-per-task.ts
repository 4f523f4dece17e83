// Cost per task: the events sharing a taskId make one task; per agent, how much a task costs on
// average and how the costs spread (median, 90th percentile, highest).

export interface TaskCost {
  agentId: string;
  taskId: string;
  costMicros: bigint;
}

export interface AgentTaskCosts {
  agentId: string;
  tasks: number;
  totalMicros: bigint;
  averageMicros: bigint;
  p50Micros: bigint;
  p90Micros: bigint;
  maxMicros: bigint;
}

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: readonly bigint[], p: number): bigint {
  if (sorted.length === 0) return 0n;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0n;
}

export function costPerTask(tasks: readonly TaskCost[]): AgentTaskCosts[] {
  const byAgent = new Map<string, bigint[]>();
  for (const task of tasks) {
    const list = byAgent.get(task.agentId) ?? [];
    list.push(task.costMicros);
    byAgent.set(task.agentId, list);
  }
  return [...byAgent.entries()]
    .map(([agentId, costs]) => {
      const sorted = [...costs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const total = sorted.reduce((sum, cost) => sum + cost, 0n);
      const count = BigInt(sorted.length);
      return {
        agentId,
        tasks: sorted.length,
        totalMicros: total,
        averageMicros: (total + count / 2n) / count,
        p50Micros: percentile(sorted, 50),
        p90Micros: percentile(sorted, 90),
        maxMicros: sorted[sorted.length - 1] ?? 0n,
      };
    })
    .sort((a, b) => (a.averageMicros > b.averageMicros ? -1 : a.averageMicros < b.averageMicros ? 1 : a.agentId.localeCompare(b.agentId)));
}
