import { describe, expect, it } from "vitest";
import { agentCardSchema, cardUrls, fieldsFromCard, registryName } from "./a2a-card";
import { agentFieldsSchema } from "./agent-fields";

const card = agentCardSchema.parse({
  name: "Recipe Agent (beta)",
  description: "Finds recipes.",
  version: "1.0.0",
  url: "https://agents.example.com/recipe",
  provider: { organization: "Example Foods", url: "https://example.com" },
  skills: [
    { id: "find_recipe", name: "Find recipe", tags: ["cooking", "search"] },
    { id: "plan_meals", name: "Plan meals", tags: ["cooking"] },
  ],
  capabilities: { streaming: true },
});

describe("A2A Agent Cards", () => {
  it("become registry fields: name, description, version, skills as tools, their tags", () => {
    const fields = fieldsFromCard(card);
    expect(fields).toMatchObject({
      name: "Recipe Agent -beta-",
      description: "Finds recipes.",
      version: "1.0.0",
      framework: "A2A",
      tools: ["find_recipe", "plan_meals"],
      tags: ["cooking", "search"],
    });
    expect(fields.card.provider?.organization).toBe("Example Foods");
  });

  it("names that the registry cannot hold are made safe", () => {
    expect(registryName("  ✨ Helper ✨ ")).toBe("Helper -");
    expect(registryName("🤖")).toBe("imported-agent");
  });

  it("text that would display as something else is made safe, and the result passes the registry's own rules", () => {
    const spoofed = agentCardSchema.parse({
      name: "Pay\u202Eroll",
      description: "Looks \u202Efine",
      version: "1.0\u200B",
      skills: [{ id: "pay\u2066ment", name: "Pay", tags: ["fin\u202Eance", "\u200B"] }],
    });
    const fields = fieldsFromCard(spoofed);
    expect(fields).toMatchObject({ name: "Pay-roll", description: "Looks fine", version: "1.0", tools: ["payment"], tags: ["finance"] });
    expect(fields.card.skills[0]?.tags).toEqual(["finance", ""]);
    expect(agentFieldsSchema.safeParse({ ...fields, teamId: null }).success).toBe(true);
  });

  it("are looked for at the well-known paths, new one first", () => {
    expect(cardUrls("https://agents.example.com/recipe/")).toEqual(["https://agents.example.com/recipe/.well-known/agent-card.json", "https://agents.example.com/recipe/.well-known/agent.json"]);
    expect(cardUrls("https://x.test/card.json")).toEqual(["https://x.test/card.json"]);
  });
});
