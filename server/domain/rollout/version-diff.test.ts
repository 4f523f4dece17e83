import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { diffPrompt, diffVersions } from "./version-diff";

const base = { label: "2.1.0", model: "gpt-5-nano", systemPrompt: "You route IT tickets.\nPick one queue.\nBe brief.", tools: ["ticket_read", "ticket_assign"], config: { temperature: 0 }, notes: "" };

describe("version diff", () => {
  test("a changed prompt line is paired side by side; added lines stand alone", () => {
    const diff = diffVersions(base, { ...base, label: "2.2.0", systemPrompt: "You route IT tickets.\nPick exactly one queue.\nBe brief.\nNever promise a time." });
    expect(diff.prompt.map((row) => row.kind)).toEqual(["same", "changed", "same", "added"]);
    expect(diff.prompt[1]).toEqual({ kind: "changed", left: { number: 2, text: "Pick one queue." }, right: { number: 2, text: "Pick exactly one queue." } });
    expect(diff.prompt[3]?.right).toEqual({ number: 4, text: "Never promise a time." });
    expect(diff.linesAdded).toBe(2);
    expect(diff.linesRemoved).toBe(1);
  });

  test("field changes: model, tools added and removed, configuration keys", () => {
    const diff = diffVersions(base, { ...base, model: "gpt-5-mini", tools: ["ticket_read", "kb_search"], config: { temperature: 0.2, max_tokens: 200 } });
    expect(diff.fields.map((field) => field.field)).toEqual(["model", "tools", "config"]);
    expect(diff.fields[1]).toMatchObject({ added: ["kb_search"], removed: ["ticket_assign"] });
    expect(diff.fields[2]).toMatchObject({ added: ["max_tokens", "temperature (changed)"], removed: [] });
    expect(diff.identical).toBe(false);
  });

  test("a version compared with itself is identical", () => {
    expect(diffVersions(base, base).identical).toBe(true);
  });

  test("both sides of the rows rebuild the two prompts exactly", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b", "c", "route", ""), { maxLength: 12 }), fc.array(fc.constantFrom("a", "b", "c", "d", ""), { maxLength: 12 }), (left, right) => {
        const before = left.join("\n");
        const after = right.join("\n");
        const rows = diffPrompt(before, after);
        const leftLines = rows.flatMap((row) => (row.left ? [row.left.text] : []));
        const rightLines = rows.flatMap((row) => (row.right ? [row.right.text] : []));
        const lines = (text: string) => {
          const split = text.split("\n");
          if (split.length > 1 && split[split.length - 1] === "") split.pop();
          return text === "" ? [] : split;
        };
        expect(leftLines).toEqual(lines(before));
        expect(rightLines).toEqual(lines(after));
      }),
    );
  });
});
