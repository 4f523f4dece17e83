// Which version an instance runs: deterministic, sticky assignment. A unit (the instance id, or the
// task id when there is none) is in a rollout's candidate when
//
//     murmur3_32("<rollout salt>:<unit>") % 100 + 1  ≤  the stage's percent
//
// (MurmurHash3 x86 32-bit, seed 0, of the UTF-8 bytes; the same normalisation as Unleash's
// gradual rollouts). It depends only on the salt and the unit, so pausing, resuming and
// restarting keep everyone where they were; raising the percent only adds units, lowering it
// keeps those still inside. Pure and serialisable: the decision path holds AgentVersionFacts in its
// per-org snapshot and calls versionForUnit on every decide, heartbeat and directive.
import murmurhash from "murmurhash";

export type VersionStatus = "draft" | "released" | "deprecated" | "retired";

/** A version as instances are told about it. */
export interface VersionRef {
  id: string;
  label: string;
  status: "released" | "deprecated" | "retired";
}

/** An agent's lifecycle as the decision path needs it; plain data (JSON-safe). */
export interface AgentVersionFacts {
  agentId: string;
  /** The stable version (null while the agent has released none). */
  stable: VersionRef | null;
  /** The running or paused rollout: its candidate serves `percent` % of units. */
  rollout: { id: string; salt: string; percent: number; candidate: VersionRef } | null;
  /** Every non-draft version of the agent, to resolve what an instance reports running (by id or label). */
  versions: VersionRef[];
}

/** 1..100: the bucket of `unit` in a rollout salted with `salt`. */
export function rolloutBucket(salt: string, unit: string): number {
  return (murmurhash.v3(`${salt}:${unit}`, 0) % 100) + 1;
}

/** Whether `unit` is in the candidate at `percent` (0 puts no one in, 100 everyone). */
export function inCandidate(salt: string, unit: string, percent: number): boolean {
  return rolloutBucket(salt, unit) <= percent;
}

/**
 * The version `unit` must run: the candidate when a rollout assigns it there, otherwise the stable
 * version. A request with no unit (neither instance nor task id) gets the stable version. Null
 * when the agent has no released version.
 */
export function versionForUnit(facts: AgentVersionFacts | null | undefined, unit: string | null): VersionRef | null {
  if (!facts) return null;
  const { rollout } = facts;
  if (rollout && unit && inCandidate(rollout.salt, unit, rollout.percent)) return rollout.candidate;
  return facts.stable;
}

/** The version an instance says it runs (its id or its label), if the agent has it. */
export function resolveReportedVersion(facts: AgentVersionFacts | null | undefined, reported: string | null | undefined): VersionRef | null {
  if (!facts || !reported) return null;
  return facts.versions.find((version) => version.id === reported) ?? facts.versions.find((version) => version.label === reported) ?? null;
}
