import { describe, expect, it } from "vitest";
import { killedModels, switchFor, type ActiveSwitch } from "./match";

const sw = (partial: Partial<ActiveSwitch> & Pick<ActiveSwitch, "scope" | "target">): ActiveSwitch => ({
  id: `${partial.scope}:${partial.target}`,
  reasonCode: "kill_switch",
  reason: "test",
  revision: 1,
  ...partial,
});

const agent = { agentId: "a1", teamId: "t1", tags: ["payments", "beta"] };

describe("switchFor", () => {
  it("finds nothing when no switch is engaged", () => {
    expect(switchFor([], agent)).toBeNull();
  });

  it("an org switch stops every agent, with or without a team", () => {
    const org = sw({ scope: "org", target: "" });
    expect(switchFor([org], agent)).toBe(org);
    expect(switchFor([org], { agentId: "x", teamId: null, tags: [] })).toBe(org);
  });

  it("a team switch stops the team's agents only", () => {
    const team = sw({ scope: "team", target: "t1" });
    expect(switchFor([team], agent)).toBe(team);
    expect(switchFor([team], { ...agent, teamId: "t2" })).toBeNull();
    expect(switchFor([team], { ...agent, teamId: null })).toBeNull();
  });

  it("an agent switch stops that agent only", () => {
    const one = sw({ scope: "agent", target: "a1" });
    expect(switchFor([one], agent)).toBe(one);
    expect(switchFor([one], { ...agent, agentId: "a2" })).toBeNull();
  });

  it("a tag switch stops agents carrying the tag", () => {
    const tag = sw({ scope: "tag", target: "beta" });
    expect(switchFor([tag], agent)).toBe(tag);
    expect(switchFor([tag], { ...agent, tags: ["payments"] })).toBeNull();
  });

  it("a model switch never halts an agent", () => {
    expect(switchFor([sw({ scope: "model", target: "gpt-4o" })], agent)).toBeNull();
  });

  it("reports the broadest covering switch, then the oldest", () => {
    const one = sw({ scope: "agent", target: "a1", revision: 1 });
    const team = sw({ scope: "team", target: "t1", revision: 5 });
    const org = sw({ scope: "org", target: "", revision: 9 });
    expect(switchFor([one, team], agent)).toBe(team);
    expect(switchFor([one, team, org], agent)).toBe(org);
    const olderTag = sw({ id: "older", scope: "tag", target: "payments", revision: 2 });
    const newerTag = sw({ id: "newer", scope: "tag", target: "beta", revision: 3 });
    expect(switchFor([newerTag, olderTag], agent)).toBe(olderTag);
  });
});

describe("killedModels", () => {
  it("lists only model switches' targets", () => {
    const switches = [sw({ scope: "model", target: "gpt-4o" }), sw({ scope: "org", target: "" }), sw({ scope: "model", target: "claude-3" })];
    expect([...killedModels(switches)].sort()).toEqual(["claude-3", "gpt-4o"]);
    expect(killedModels([]).size).toBe(0);
  });
});
