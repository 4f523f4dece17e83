import { describe, expect, it } from "vitest";
import { can } from "../access/permissions";
import { confirmationMatches, permissionForScope } from "./rules";

describe("confirmationMatches", () => {
  it("accepts the exact display name, ignoring surrounding spaces", () => {
    expect(confirmationMatches("Acme Corp", "Acme Corp")).toBe(true);
    expect(confirmationMatches("  support-chatbot ", "support-chatbot")).toBe(true);
  });

  it("refuses anything else: other case, partial text, empty", () => {
    expect(confirmationMatches("acme corp", "Acme Corp")).toBe(false);
    expect(confirmationMatches("Acme", "Acme Corp")).toBe(false);
    expect(confirmationMatches("", "Acme Corp")).toBe(false);
    expect(confirmationMatches("", "")).toBe(false);
  });
});

describe("permissionForScope", () => {
  it("agent and team switches are team-scoped; model, tag and org need the org permission", () => {
    expect(permissionForScope("agent")).toBe("killswitch:team");
    expect(permissionForScope("team")).toBe("killswitch:team");
    expect(permissionForScope("model")).toBe("killswitch:org");
    expect(permissionForScope("tag")).toBe("killswitch:org");
    expect(permissionForScope("org")).toBe("killswitch:org");
  });

  it("matches the role table: team leads may stop agents and teams, never models, tags or the org", () => {
    expect(can("team_lead", permissionForScope("team"))).toBe(true);
    expect(can("team_lead", permissionForScope("org"))).toBe(false);
    expect(can("team_lead", permissionForScope("tag"))).toBe(false);
    expect(can("admin", permissionForScope("model"))).toBe(true);
    expect(can("compliance", permissionForScope("agent"))).toBe(false);
    expect(can("viewer", permissionForScope("agent"))).toBe(false);
  });
});
