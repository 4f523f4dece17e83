// Policies name agents and teams by name; a rename or a typo leaves a policy that matches no one.
// Pure: which names a policy's scopes use that the org does not have.
import type { StatementScope } from "./scope";

export function unknownNames(scopes: readonly StatementScope[], known: { agents: ReadonlySet<string>; teams: ReadonlySet<string> }): string[] {
  const unknown = new Set<string>();
  for (const scope of scopes) {
    if (scope.principal.kind === "agent" && !known.agents.has(scope.principal.name)) unknown.add(`agent ${scope.principal.name}`);
    if (scope.principal.kind === "team" && !known.teams.has(scope.principal.name)) unknown.add(`team ${scope.principal.name}`);
  }
  return [...unknown].sort();
}
