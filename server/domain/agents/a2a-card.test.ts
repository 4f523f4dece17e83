import { describe, expect, it } from "vitest";
import { agentCardSchema, cardUrls, fieldsFromCard, registryName } from "./a2a-card";

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

  it("are looked for at the well-known paths, new one first", () => {
    expect(cardUrls("https://agents.example.com/recipe/")).toEqual([
      "https://agents.example.com/recipe/.well-known/agent-card.json",
      "https://agents.example.com/recipe/.well-known/agent.json",
    ]);
    expect(cardUrls("https://x.test/card.json")).toEqual(["https://x.test/card.json"]);
  });
});
