// Simulator scenarios, by name (`npm run simulate -- --scenario <name>`). A scenario shapes the
// fleet: which agents run and how their tasks look. Later features add theirs here (a runaway
// loop, a budget running out, a canary) by registering another entry.
import { canaryPromotion, canaryRollback, PROMOTION_AGENT, ROLLBACK_AGENT } from "./canary";
import { BUDGET_AGENT, budgetExhaustion, costSpike, RUNAWAY_AGENT, runawayLoop, SPIKE_AGENT, type DriveContext } from "./drives";
import { demoFleet, type FleetMember } from "./traffic";

export interface Scenario {
  name: string;
  description: string;
  /** The fleet to run, from the demo fleet (registered agents with their keys, plus discovered ones). */
  fleet(base: FleetMember[]): FleetMember[];
  /** A scenario that acts (calls decide itself) runs this beside the fleet; the run ends when it returns. */
  drive?: (context: DriveContext) => Promise<void>;
}

const scenarios = new Map<string, Scenario>();

export function registerScenario(scenario: Scenario): void {
  if (scenarios.has(scenario.name)) throw new Error(`scenario "${scenario.name}" is already registered`);
  scenarios.set(scenario.name, scenario);
}

export function scenarioNames(): string[] {
  return [...scenarios.keys()].sort();
}

export function getScenario(name: string): Scenario {
  const scenario = scenarios.get(name);
  if (!scenario) throw new Error(`Unknown scenario "${name}"; known: ${scenarioNames().join(", ")}`);
  return scenario;
}

/** The fleet a scenario runs, optionally narrowed to some agents by name. */
export function scenarioFleet(name: string, agents?: readonly string[]): FleetMember[] {
  const fleet = getScenario(name).fleet(demoFleet());
  if (!agents || agents.length === 0) return fleet;
  const unknown = agents.filter((agent) => !fleet.some((member) => member.agent === agent));
  if (unknown.length > 0) throw new Error(`Not in the "${name}" fleet: ${unknown.join(", ")}; known: ${fleet.map((member) => member.agent).join(", ")}`);
  return fleet.filter((member) => agents.includes(member.agent));
}

registerScenario({
  name: "normal",
  description: "An ordinary working day: every demo agent at its usual mix, plus two unregistered agents reporting through the ingest key.",
  fleet: (base) => base,
});

registerScenario({
  name: "runaway-loop",
  description: `${RUNAWAY_AGENT} repeats the same tool call over and over; loop detection halts it within seconds, without a person`,
  // The rest of the fleet works as usual around it.
  fleet: (base) => base.filter((member) => member.agent !== RUNAWAY_AGENT),
  drive: runawayLoop,
});

registerScenario({
  name: "budget-exhaustion",
  description: `${BUDGET_AGENT} spends against its hard $1 daily cap through decide; denied with budget_exhausted once the cap is reached`,
  fleet: (base) => base.filter((member) => member.agent !== BUDGET_AGENT),
  drive: budgetExhaustion,
});

registerScenario({
  name: "cost-spike",
  description: `${SPIKE_AGENT} suddenly spends many times its usual hour on model calls; anomaly detection raises a cost spike (robust z-score against its previous week)`,
  fleet: (base) => base.filter((member) => member.agent !== SPIKE_AGENT),
  drive: costSpike,
});

registerScenario({
  name: "canary-rollback",
  description: `${ROLLBACK_AGENT}'s canary (the demo's 10 % rollout of 2.2.0, or a fresh one) fails far more often than stable; its error-rate guard rolls it back on its own`,
  fleet: (base) => base.filter((member) => member.agent !== ROLLBACK_AGENT),
  drive: canaryRollback,
});

registerScenario({
  name: "canary-promotion",
  description: `a new ${PROMOTION_AGENT} version as good as stable is rolled out 25 → 50 → 100 %; its guards hold and it becomes stable, stage by stage`,
  fleet: (base) => base.filter((member) => member.agent !== PROMOTION_AGENT),
  drive: canaryPromotion,
});
