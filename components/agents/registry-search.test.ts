import { describe, expect, test } from "vitest";
import { EMPTY_REGISTRY_SEARCH, hasRegistryFilters, readRegistrySearch, toAgentListInput, writeRegistrySearch } from "./registry-search";

const TEAM = "0b8f0e57-6f5b-4c39-9d0e-2f7d8f1b6a11";

describe("registry search in the URL", () => {
  test("round-trips every filter", () => {
    const search = { q: "router", teamId: TEAM, status: "discovered" as const, framework: "CrewAI" };
    expect(readRegistrySearch(new URLSearchParams(writeRegistrySearch(search)))).toEqual(search);
  });

  test("leaves empty filters out of the link", () => {
    expect(writeRegistrySearch(EMPTY_REGISTRY_SEARCH)).toBe("");
    expect(writeRegistrySearch({ ...EMPTY_REGISTRY_SEARCH, status: "discovered" })).toBe("status=discovered");
  });

  test("drops values a hand-edited link could not have meant", () => {
    const read = readRegistrySearch(new URLSearchParams("teamId=finance&status=deleted&q=%20x%20"));
    expect(read).toEqual({ ...EMPTY_REGISTRY_SEARCH, q: "x" });
    expect(hasRegistryFilters(read)).toBe(true);
    expect(hasRegistryFilters(EMPTY_REGISTRY_SEARCH)).toBe(false);
  });

  test("becomes the agents.list input, without empty keys", () => {
    expect(toAgentListInput({ ...EMPTY_REGISTRY_SEARCH, q: " bot ", status: "archived" })).toEqual({ search: "bot", status: "archived" });
  });
});
