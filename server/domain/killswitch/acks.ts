// How many of the connected instances a switch affects have applied it, and how fast. Pure.

export interface InstanceAck {
  /** The directives revision the instance last acknowledged (null: never). */
  directiveVersion: number | null;
  /** When the instance first acknowledged a revision at or past the switch's (null: not yet, or unknown). */
  ackedAt: Date | null;
}

export interface AckStats {
  connected: number;
  acknowledged: number;
  /** Time from engagement to acknowledgement, in ms, over the acknowledged instances with a known time. */
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

/** The nearest-rank percentile of sorted values. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? null;
}

export function ackStats(engagedAt: Date, revision: number, instances: readonly InstanceAck[]): AckStats {
  let acknowledged = 0;
  const latencies: number[] = [];
  for (const instance of instances) {
    if (instance.directiveVersion === null || instance.directiveVersion < revision) continue;
    acknowledged += 1;
    // Clocks are the database's on both ends; never report a negative time.
    if (instance.ackedAt) latencies.push(Math.max(0, instance.ackedAt.getTime() - engagedAt.getTime()));
  }
  latencies.sort((a, b) => a - b);
  return {
    connected: instances.length,
    acknowledged,
    p50Ms: nearestRank(latencies, 50),
    p95Ms: nearestRank(latencies, 95),
    maxMs: latencies.length ? (latencies[latencies.length - 1] ?? null) : null,
  };
}
