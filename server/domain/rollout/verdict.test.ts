import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { versionForUnit, type AgentVersionFacts } from "./assign";
import { versionVerdict } from "./verdict";

const stable = { id: "11111111-1111-4111-8111-111111111111", label: "2.1.0", status: "released" as const };
const candidate = { id: "22222222-2222-4222-8222-222222222222", label: "2.2.0", status: "released" as const };
const deprecated = { id: "33333333-3333-4333-8333-333333333333", label: "2.0.3", status: "deprecated" as const };
const retired = { id: "44444444-4444-4444-8444-444444444444", label: "1.9.0", status: "retired" as const };
const facts: AgentVersionFacts = {
  agentId: "agent-1",
  stable,
  rollout: { id: "r", salt: "salt", percent: 50, candidate },
  versions: [stable, candidate, deprecated, retired],
};

describe("version verdict", () => {
  test("an instance on a retired version is refused (by id or by label) and told where to move", () => {
    for (const reported of [retired.id, retired.label]) {
      const verdict = versionVerdict(facts, "instance-7", reported);
      expect(verdict.refuse?.code).toBe("retired");
      expect(verdict.refuse?.message).toContain("1.9.0");
      expect(verdict.version).toEqual(versionForUnit(facts, "instance-7"));
      expect(verdict.warning).toBeUndefined();
    }
  });

  test("with nothing to move to, the refusal says to halt", () => {
    const verdict = versionVerdict({ ...facts, stable: null, rollout: null }, "i", retired.label);
    expect(verdict.version).toBeNull();
    expect(verdict.refuse?.message).toMatch(/halt/);
  });

  test("an instance on a deprecated version runs, with a warning naming where to move", () => {
    const verdict = versionVerdict(facts, "instance-1", deprecated.label);
    expect(verdict.refuse).toBeUndefined();
    expect(verdict.warning).toEqual({ code: "version_deprecated", message: expect.stringContaining("2.0.3") });
  });

  test("released, unknown or unreported versions get just the version to run", () => {
    fc.assert(
      fc.property(fc.option(fc.constantFrom(stable.label, candidate.id, "9.9.9", "")), fc.string({ minLength: 1 }), (reported, unit) => {
        const verdict = versionVerdict(facts, unit, reported);
        expect(verdict).toEqual({ version: versionForUnit(facts, unit) });
      }),
    );
  });

  test("an agent without versions gets no version and no objection", () => {
    expect(versionVerdict(null, "i", "1.0.0")).toEqual({ version: null });
  });
});
