// Who may do what: the design's role table as data. Pure; the tRPC procedure chain
// (server/api/trpc.ts) and the UI both read it, so the two cannot disagree.

export const ROLES = ["owner", "admin", "compliance", "team_lead", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  compliance: "Compliance",
  team_lead: "Team lead",
  viewer: "Viewer",
};

/** Permission scopes. A team lead's grant, where it has one, is limited to their teams. */
export const PERMISSIONS = [
  "dashboard:read", // dashboards, agents, costs
  "agents:write", // register / edit agents, versions, rollouts, agent keys
  "budgets:write", // budgets (team leads: split their team's budget among its agents)
  "policies:write", // agent permission policies
  "compliance:write", // compliance tags, risk class, controls, incidents (classify, report, close)
  "incidents:open", // open an incident by hand (team leads: on their own teams' agents)
  "approvals:decide",
  "killswitch:team", // kill switch on an agent or a team
  "killswitch:org", // kill switch on a model or the whole org
  "audit:read", // audit log read + export
  "org:admin", // members, roles, org settings, model registry, API keys
] as const;
export type Permission = (typeof PERMISSIONS)[number];

type Grant = "org" | "teams";

const GRANTS: Record<Role, Partial<Record<Permission, Grant>>> = {
  owner: allOrg(),
  admin: allOrg(),
  compliance: {
    "dashboard:read": "org",
    "policies:write": "org",
    "compliance:write": "org",
    "incidents:open": "org",
    "approvals:decide": "org",
    "audit:read": "org",
  },
  team_lead: {
    "dashboard:read": "teams",
    "agents:write": "teams",
    "budgets:write": "teams",
    "approvals:decide": "teams",
    "killswitch:team": "teams",
    "incidents:open": "teams",
    "audit:read": "teams",
  },
  viewer: {
    "dashboard:read": "org",
  },
};

function allOrg(): Record<Permission, Grant> {
  return Object.fromEntries(PERMISSIONS.map((permission) => [permission, "org"])) as Record<Permission, Grant>;
}

/** The reach of a granted permission: the whole org, or only some teams. */
export type Reach = { kind: "org" } | { kind: "teams"; teamIds: readonly string[] };

export function reachOf(role: Role, permission: Permission, teamIds: readonly string[]): Reach | null {
  const grant = GRANTS[role][permission];
  if (grant === undefined) return null;
  return grant === "org" ? { kind: "org" } : { kind: "teams", teamIds };
}

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role][permission] !== undefined;
}

export function permissionsOf(role: Role): Permission[] {
  return PERMISSIONS.filter((permission) => can(role, permission));
}

/** Whether `reach` covers a thing of team `teamId` (a team lead's reach covers nothing team-less). */
export function reachIncludesTeam(reach: Reach, teamId: string | null): boolean {
  if (reach.kind === "org") return true;
  return teamId !== null && reach.teamIds.includes(teamId);
}

/** The teams a reach is limited to, or null for the whole org (a SQL filter's `team_id = ANY(...)` or none). */
export function reachTeamIds(reach: Reach): string[] | null {
  return reach.kind === "teams" ? [...reach.teamIds] : null;
}

/** For records everyone in the org may see when they belong to no team (alerts, incidents): team-less, or in reach. */
export function orgWideOrInReach(reach: Reach, teamId: string | null): boolean {
  return teamId === null || reachIncludesTeam(reach, teamId);
}

/** Roles a member with `actorRole` may hand out: only owners make (or unmake) owners. */
export function assignableRoles(actorRole: Role): Role[] {
  if (actorRole === "owner") return [...ROLES];
  if (actorRole === "admin") return ROLES.filter((role) => role !== "owner");
  return [];
}

export type RoleChangeRefusal = "not_allowed_to_assign" | "not_allowed_to_change_owner" | "last_owner";

/** What a refused role change tells the person. */
export const ROLE_CHANGE_REFUSALS: Record<RoleChangeRefusal, string> = {
  not_allowed_to_assign: "Your role may not hand out that role.",
  not_allowed_to_change_owner: "Only an owner may change or remove another owner.",
  last_owner: "The organisation needs at least one owner: make someone else owner first.",
};

/**
 * Whether `actorRole` may move a member from `fromRole` to `toRole` (null: remove them).
 * `ownerCount` is the org's number of owners now: the last owner cannot be demoted or removed.
 */
export function checkRoleChange(input: { actorRole: Role; fromRole: Role; toRole: Role | null; ownerCount: number }): RoleChangeRefusal | null {
  const assignable = assignableRoles(input.actorRole);
  if (input.fromRole === "owner" && input.actorRole !== "owner") return "not_allowed_to_change_owner";
  if (input.toRole === input.fromRole) return null; // only the teams change
  if (input.toRole !== null && !assignable.includes(input.toRole)) return "not_allowed_to_assign";
  if (input.fromRole === "owner" && input.toRole !== "owner" && input.ownerCount <= 1) return "last_owner";
  return null;
}
