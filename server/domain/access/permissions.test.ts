import { describe, expect, test } from "vitest";
import { assignableRoles, can, checkRoleChange, PERMISSIONS, reachIncludesTeam, reachOf, ROLES, type Permission, type Role } from "./permissions";

// The role table (docs/concepts.md), written out: "org" = all, "teams" = own teams, null = –.
type Grant = "org" | "teams" | null;
const DESIGN: Record<Permission, Record<Role, Grant>> = {
  "dashboard:read": { owner: "org", admin: "org", compliance: "org", team_lead: "teams", viewer: "org" },
  "agents:write": { owner: "org", admin: "org", compliance: null, team_lead: "teams", viewer: null },
  "budgets:write": { owner: "org", admin: "org", compliance: null, team_lead: "teams", viewer: null },
  "policies:write": { owner: "org", admin: "org", compliance: "org", team_lead: null, viewer: null },
  "compliance:write": { owner: "org", admin: "org", compliance: "org", team_lead: null, viewer: null },
  // Opening an incident: whoever may pull a kill switch on an agent may also open an incident about it.
  "incidents:open": { owner: "org", admin: "org", compliance: "org", team_lead: "teams", viewer: null },
  "approvals:decide": { owner: "org", admin: "org", compliance: "org", team_lead: "teams", viewer: null },
  "killswitch:team": { owner: "org", admin: "org", compliance: null, team_lead: "teams", viewer: null },
  "killswitch:org": { owner: "org", admin: "org", compliance: null, team_lead: null, viewer: null },
  "audit:read": { owner: "org", admin: "org", compliance: "org", team_lead: "teams", viewer: null },
  "org:admin": { owner: "org", admin: "org", compliance: null, team_lead: null, viewer: null },
};

describe("reachOf follows the design's role table", () => {
  const teamIds = ["team-a", "team-b"];
  for (const permission of PERMISSIONS) {
    for (const role of ROLES) {
      const grant = DESIGN[permission][role];
      test(`${role} / ${permission}: ${grant ?? "refused"}`, () => {
        const expected = grant === null ? null : grant === "org" ? { kind: "org" } : { kind: "teams", teamIds };
        expect(reachOf(role, permission, teamIds)).toEqual(expected);
        expect(can(role, permission)).toBe(grant !== null);
      });
    }
  }
});

describe("reachIncludesTeam", () => {
  test("org-wide reach covers every team and untargeted things", () => {
    expect(reachIncludesTeam({ kind: "org" }, "any")).toBe(true);
    expect(reachIncludesTeam({ kind: "org" }, null)).toBe(true);
  });
  test("team reach covers only its teams, and nothing org-wide", () => {
    const reach = { kind: "teams", teamIds: ["team-a"] } as const;
    expect(reachIncludesTeam(reach, "team-a")).toBe(true);
    expect(reachIncludesTeam(reach, "team-b")).toBe(false);
    expect(reachIncludesTeam(reach, null)).toBe(false);
  });
});

describe("assignableRoles", () => {
  test("owners hand out every role, admins every role but owner, others none", () => {
    expect(assignableRoles("owner").sort()).toEqual([...ROLES].sort());
    expect(assignableRoles("admin").sort()).toEqual(["admin", "compliance", "team_lead", "viewer"]);
    expect(assignableRoles("compliance")).toEqual([]);
    expect(assignableRoles("team_lead")).toEqual([]);
    expect(assignableRoles("viewer")).toEqual([]);
  });
});

describe("checkRoleChange", () => {
  const cases: [string, Parameters<typeof checkRoleChange>[0], ReturnType<typeof checkRoleChange>][] = [
    ["admin promotes a viewer to compliance", { actorRole: "admin", fromRole: "viewer", toRole: "compliance", ownerCount: 1 }, null],
    ["admin makes someone owner", { actorRole: "admin", fromRole: "viewer", toRole: "owner", ownerCount: 1 }, "not_allowed_to_assign"],
    ["admin demotes an owner", { actorRole: "admin", fromRole: "owner", toRole: "viewer", ownerCount: 3 }, "not_allowed_to_change_owner"],
    ["admin removes an owner", { actorRole: "admin", fromRole: "owner", toRole: null, ownerCount: 3 }, "not_allowed_to_change_owner"],
    ["admin changes an owner's teams only", { actorRole: "admin", fromRole: "owner", toRole: "owner", ownerCount: 3 }, "not_allowed_to_change_owner"],
    ["admin removes another admin", { actorRole: "admin", fromRole: "admin", toRole: null, ownerCount: 1 }, null],
    ["owner makes someone owner", { actorRole: "owner", fromRole: "admin", toRole: "owner", ownerCount: 1 }, null],
    ["owner demotes one of two owners", { actorRole: "owner", fromRole: "owner", toRole: "admin", ownerCount: 2 }, null],
    ["owner removes one of two owners", { actorRole: "owner", fromRole: "owner", toRole: null, ownerCount: 2 }, null],
    ["the last owner is demoted", { actorRole: "owner", fromRole: "owner", toRole: "admin", ownerCount: 1 }, "last_owner"],
    ["the last owner is removed", { actorRole: "owner", fromRole: "owner", toRole: null, ownerCount: 1 }, "last_owner"],
    ["the last owner keeps the role, teams change", { actorRole: "owner", fromRole: "owner", toRole: "owner", ownerCount: 1 }, null],
    ["compliance promotes a viewer", { actorRole: "compliance", fromRole: "viewer", toRole: "admin", ownerCount: 1 }, "not_allowed_to_assign"],
    ["team lead promotes a viewer", { actorRole: "team_lead", fromRole: "viewer", toRole: "team_lead", ownerCount: 1 }, "not_allowed_to_assign"],
  ];
  test.each(cases)("%s", (_name, input, expected) => {
    expect(checkRoleChange(input)).toBe(expected);
  });
});
