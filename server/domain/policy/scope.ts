// What a Cedar statement's scope says about who and what it can apply to. The engine uses it to
// evaluate only the statements that can apply to a request (Cedar's cost is linear in the set),
// and the Policies page uses it to summarise Cedar text written by hand.
import type { ActionConstraint, EntityUidJson, PolicyJson, PrincipalConstraint, ResourceConstraint, TypeAndId } from "@cedar-policy/cedar-wasm/nodejs";

export type PrincipalScope = { kind: "any" } | { kind: "agent"; name: string } | { kind: "team"; name: string };

export interface StatementScope {
  principal: PrincipalScope;
  /** Action ids the statement is limited to; null: any action. */
  actions: string[] | null;
  /** The one resource the statement is limited to; null: any resource. */
  resource: TypeAndId | null;
}

/** The request's side of the match. */
export interface ScopeTarget {
  agentName: string;
  teamName: string | null;
  actionType: string;
  resourceType: string;
  resourceName: string;
}

function uid(value: EntityUidJson): TypeAndId {
  return "__entity" in value ? value.__entity : value;
}

function principalScope(constraint: PrincipalConstraint): PrincipalScope {
  const entity =
    constraint.op === "==" || constraint.op === "in"
      ? "entity" in constraint
        ? uid(constraint.entity)
        : null
      : constraint.op === "is" && constraint.in && "entity" in constraint.in
        ? uid(constraint.in.entity)
        : null;
  if (!entity) return { kind: "any" };
  if (entity.type === "Agent") return { kind: "agent", name: entity.id };
  if (entity.type === "Team" && constraint.op !== "==") return { kind: "team", name: entity.id };
  // Anything else cannot narrow an Agent principal usefully: let Cedar decide.
  return { kind: "any" };
}

function actionScope(constraint: ActionConstraint): string[] | null {
  if (constraint.op === "All") return null;
  if (constraint.op === "==") return "entity" in constraint ? [uid(constraint.entity).id] : null;
  return "entity" in constraint ? [uid(constraint.entity).id] : constraint.entities.map((entity) => uid(entity).id);
}

function resourceScope(constraint: ResourceConstraint): TypeAndId | null {
  if (constraint.op === "==" && "entity" in constraint) return uid(constraint.entity);
  return null;
}

export function scopeOf(policy: Pick<PolicyJson, "principal" | "action" | "resource">): StatementScope {
  return { principal: principalScope(policy.principal), actions: actionScope(policy.action), resource: resourceScope(policy.resource) };
}

/** False only when the scope alone rules the statement out for this request. */
export function scopeApplies(scope: StatementScope, target: ScopeTarget): boolean {
  const { principal } = scope;
  if (principal.kind === "agent" && principal.name !== target.agentName) return false;
  if (principal.kind === "team" && principal.name !== target.teamName) return false;
  if (scope.actions && !scope.actions.includes(target.actionType)) return false;
  if (scope.resource && (scope.resource.type !== target.resourceType || scope.resource.id !== target.resourceName)) return false;
  return true;
}

/** Who and what, in words, for the list of policies (conditions in the `when` are not read). */
export function scopeSummary(scope: StatementScope, hasConditions: boolean): { who: string; what: string } {
  const who = scope.principal.kind === "agent" ? `Agent ${scope.principal.name}` : scope.principal.kind === "team" ? `Team ${scope.principal.name}` : hasConditions ? "Agents matching conditions" : "All agents";
  const actions = scope.actions ? scope.actions.join(", ") : "any action";
  const what = scope.resource ? `${actions}: ${scope.resource.id}` : scope.actions ? `Any ${actions}` : "Any action";
  return { who, what };
}
