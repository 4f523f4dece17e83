import { describe, expect, test } from "vitest";
import { TEXT_MESSAGES } from "../text/strings";
import { agentFieldsSchema } from "./agent-fields";

const valid = { name: "content-writer", teamId: null, tags: ["marketing"], tools: ["search"], models: ["gpt-test"], owner: "owner@acme.test", framework: "LangChain", version: "1.0.0" };

describe("the agent's fields", () => {
  test("an ordinary agent passes", () => {
    expect(agentFieldsSchema.safeParse(valid).success).toBe(true);
  });

  test("names people read refuse bidirectional overrides and invisible characters, wherever they are", () => {
    const spoofs: [string, unknown][] = [
      ["name", "content\u202Ewriter"],
      ["tags", ["high\u202Erisk"]],
      ["tools", ["issue\u2067_refund"]],
      ["models", ["gpt\u200B-test"]],
      ["owner", "owner\u202E@acme.test"],
      ["framework", "Lang\u2066Chain"],
      ["version", "1.0\u200F"],
      ["description", "Writes \u202Econtent"],
    ];
    for (const [field, value] of spoofs) {
      const parsed = agentFieldsSchema.safeParse({ ...valid, [field]: value });
      expect(parsed.success, field).toBe(false);
    }
    const tag = agentFieldsSchema.safeParse({ ...valid, tags: ["high\u202Erisk"] });
    expect(tag.error?.issues.map((issue) => issue.message)).toContain(TEXT_MESSAGES.displaySafe);
  });

  test("a description keeps its line breaks, names do not take them", () => {
    expect(agentFieldsSchema.safeParse({ ...valid, description: "Line one\nLine two" }).success).toBe(true);
    expect(agentFieldsSchema.safeParse({ ...valid, tags: ["two\nlines"] }).success).toBe(false);
  });
});
