// Which kill switch stops an agent, and which models are killed. Pure: the decide pipeline, the
// directives and the console all ask these, so they cannot disagree.

export const KILL_SWITCH_SCOPES = ["agent", "team", "model", "tag", "org"] as const;
export type KillSwitchScope = (typeof KILL_SWITCH_SCOPES)[number];

export interface ActiveSwitch {
  id: string;
  scope: KillSwitchScope;
  /** agent id, team id, model name, tag, or "" for the org. */
  target: string;
  reasonCode: string;
  reason: string;
  /** The org's directive revision this switch introduced. */
  revision: number;
}

export interface SwitchTarget {
  agentId: string;
  teamId: string | null;
  tags: readonly string[];
}

// When several switches cover an agent, the broadest one is reported (it is the one a person must
// release for the agent to resume); ties go to the oldest (lowest revision).
const BREADTH: Record<KillSwitchScope, number> = { org: 0, team: 1, tag: 2, agent: 3, model: 4 };

export function switchCovers(sw: ActiveSwitch, target: SwitchTarget): boolean {
  switch (sw.scope) {
    case "org":
      return true;
    case "team":
      return target.teamId !== null && sw.target === target.teamId;
    case "agent":
      return sw.target === target.agentId;
    case "tag":
      return target.tags.includes(sw.target);
    case "model":
      // A model switch denies the model's traffic; it does not stop agents.
      return false;
  }
}

/** The switch that halts this agent (org, team, agent or tag scope), or null. */
export function switchFor(switches: readonly ActiveSwitch[], target: SwitchTarget): ActiveSwitch | null {
  let best: ActiveSwitch | null = null;
  for (const sw of switches) {
    if (!switchCovers(sw, target)) continue;
    if (!best || BREADTH[sw.scope] < BREADTH[best.scope] || (BREADTH[sw.scope] === BREADTH[best.scope] && sw.revision < best.revision)) best = sw;
  }
  return best;
}

/** Names of the models whose traffic is denied (routing moves to their fallbacks). */
export function killedModels(switches: readonly ActiveSwitch[]): Set<string> {
  return new Set(switches.filter((sw) => sw.scope === "model").map((sw) => sw.target));
}
