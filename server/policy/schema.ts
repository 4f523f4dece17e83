// The Cedar schema every org's agent policies are validated against (strict mode) and evaluated
// with. One schema for every org: the entity names are Agentry's registry, not the org's.
//
// Principals: Agent::"<agent name>", a member of Team::"<team name>". Names, not ids, so that a
// policy reads as what it means; an agent or team renamed must have its policies edited too
// (the Policies page warns of policies that name unknown agents or teams).
//
// Actions and resources: one resource type per action, id = the name the agent asked for:
//   Action::"tool"     on Tool::"<tool name>"
//   Action::"model"    on Model::"<model name>" ("auto" when the agent asks routing to choose)
//   Action::"data"     on DataClass::"<data class>" (PII, PHI, PCI, financial, biometric, minors, …)
//   Action::"delegate" on Agent::"<agent delegated to>"
//   Action::"spend"    on Budget::"<what the agent names>"
//
// Context:
//   arguments      the action's top-level numeric arguments as entity tags of type decimal. Cedar
//                  records must declare every attribute, and tool arguments are open-ended, so they
//                  travel as tags: `context.arguments.hasTag("amount") &&
//                  context.arguments.getTag("amount").greaterThan(decimal("100.0"))`.
//                  JSON numbers, and strings that are plain decimal numbers ("250.00"), both count.
//                  Decimal, not Long, because money arrives as 12.50: a Long would have to round,
//                  and rounding either way lets some amount past some threshold. Cedar decimals
//                  carry 4 fractional digits (more are rounded half away from zero) and are clamped
//                  to ±922337203685477.5807. Nested objects and arrays are not included.
//   textArguments  the top-level string and boolean ("true"/"false") arguments, as String tags.
//   argumentNames  the names of all top-level arguments given.
//   dataClasses    the data classes the request says it touches; for a `data` action, also its name.
//   hour           the hour of day, 0–23, UTC.
//   estimatedCostMicros  the agent's cost estimate in micro-dollars; 0 when it gave none.
export { ACTION_TYPES, RESOURCE_TYPE, type ActionType } from "../domain/policy/vocabulary";

export const POLICY_SCHEMA = `entity Team;
entity Tool;
entity Model;
entity DataClass;
entity Budget;

entity Agent in [Team] {
  name: String,
  // The team's name; "" when the agent has no team.
  team: String,
  tags: Set<String>,
  // EU AI Act risk class: "prohibited", "high", "limited", "minimal"; "" when not classified.
  riskClass: String,
  // The data categories the agent is registered to handle.
  dataCategories: Set<DataClass>,
  // The tools and models the agent is registered with.
  tools: Set<Tool>,
  models: Set<Model>,
};

// One per request: the action's arguments (see server/policy/schema.ts for the mapping).
entity Arguments tags __cedar::decimal;
entity TextArguments tags String;

type RequestContext = {
  arguments: Arguments,
  textArguments: TextArguments,
  argumentNames: Set<String>,
  dataClasses: Set<String>,
  hour: Long,
  estimatedCostMicros: Long,
};

action tool appliesTo { principal: Agent, resource: Tool, context: RequestContext };
action model appliesTo { principal: Agent, resource: Model, context: RequestContext };
action data appliesTo { principal: Agent, resource: DataClass, context: RequestContext };
action delegate appliesTo { principal: Agent, resource: Agent, context: RequestContext };
action spend appliesTo { principal: Agent, resource: Budget, context: RequestContext };
`;
