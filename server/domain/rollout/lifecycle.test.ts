import { describe, expect, test } from "vitest";
import { checkApprove, checkDeprecate, checkEdit, checkMakeStable, checkPromote, checkRelease, checkRetire, checkStartRollout, sameContent, type RolloutControlState } from "./lifecycle";
import { DEFAULT_GUARDS, DEFAULT_STAGES, stagesSchema } from "./schemas";

const content = { model: "gpt-5-nano", systemPrompt: "Route tickets.", tools: ["ticket_read", "ticket_assign"], config: { temperature: 0 } };
const v = (id: string, label: string, status: "draft" | "released" | "deprecated" | "retired", stable = false) => ({ id, label, status, stable, ...content });

describe("version transitions", () => {
  test("only drafts may be edited; a released version says it is immutable", () => {
    expect(checkEdit(v("a", "1.0", "draft")).ok).toBe(true);
    const refused = checkEdit(v("a", "1.0", "released"));
    expect(refused).toEqual({ ok: false, message: expect.stringMatching(/immutable/) });
  });

  test("release, deprecate and retire move forward only, never the stable version or a rolling one", () => {
    expect(checkRelease(v("a", "1.0", "released")).ok).toBe(false);
    expect(checkDeprecate(v("a", "1.0", "released", true), null)).toMatchObject({ ok: false, message: expect.stringMatching(/stable/) });
    expect(checkDeprecate(v("a", "1.0", "released"), { fromVersionId: "x", toVersionId: "a", toLabel: "1.0" }).ok).toBe(false);
    expect(checkDeprecate(v("a", "1.0", "released"), null).ok).toBe(true);
    expect(checkRetire(v("a", "1.0", "deprecated"), null).ok).toBe(true);
    expect(checkRetire(v("a", "1.0", "draft"), null).ok).toBe(false);
    expect(checkRetire(v("a", "1.0", "released", true), null).ok).toBe(false);
  });

  test("a retired version cannot become stable again; a deprecated one can (a revert)", () => {
    expect(checkMakeStable(v("a", "1.0", "retired"), null)).toMatchObject({ ok: false, message: expect.stringMatching(/retired/) });
    expect(checkMakeStable(v("a", "1.0", "deprecated"), null).ok).toBe(true);
    expect(checkMakeStable(v("a", "1.0", "released"), { fromVersionId: "s", toVersionId: "c", toLabel: "2.0" }).ok).toBe(false);
  });
});

describe("starting a rollout", () => {
  const stable = v("s", "2.1.0", "released", true);
  test("refuses a second running rollout, a draft, retired or deprecated candidate, and a candidate identical to stable", () => {
    const candidate = { ...v("c", "2.2.0", "released"), systemPrompt: "Route tickets. Be brief." };
    expect(checkStartRollout({ stable, candidate, active: null }).ok).toBe(true);
    expect(checkStartRollout({ stable, candidate, active: { fromVersionId: "s", toVersionId: "x", toLabel: "2.1.9" } })).toMatchObject({ ok: false, message: expect.stringMatching(/already running/) });
    expect(checkStartRollout({ stable, candidate: { ...candidate, status: "retired" }, active: null })).toMatchObject({ ok: false, message: expect.stringMatching(/retired/) });
    expect(checkStartRollout({ stable, candidate: { ...candidate, status: "draft" }, active: null })).toMatchObject({ ok: false, message: expect.stringMatching(/draft/) });
    expect(checkStartRollout({ stable, candidate: { ...candidate, status: "deprecated" }, active: null }).ok).toBe(false);
    expect(checkStartRollout({ stable, candidate: { ...v("c", "2.2.0", "released") }, active: null })).toMatchObject({ ok: false, message: expect.stringMatching(/identical/) });
    expect(checkStartRollout({ stable, candidate: stable, active: null })).toMatchObject({ ok: false, message: expect.stringMatching(/already the stable/) });
    expect(checkStartRollout({ stable: null, candidate, active: null }).ok).toBe(false);
  });

  test("identical means same model, prompt, tools in any order and configuration in any key order", () => {
    expect(sameContent(content, { ...content, tools: ["ticket_assign", "ticket_read"], config: { temperature: 0 } })).toBe(true);
    expect(sameContent(content, { ...content, config: { temperature: 0.1 } })).toBe(false);
    expect(sameContent(content, { ...content, model: "gpt-5-mini" })).toBe(false);
  });

  test("stages must rise to 100 %; a stage past 100 % is refused", () => {
    expect(stagesSchema.safeParse(DEFAULT_STAGES).success).toBe(true);
    const past = stagesSchema.safeParse([
      { percent: 10, minDwellMinutes: 0, minSamples: 0 },
      { percent: 150, minDwellMinutes: 0, minSamples: 0 },
    ]);
    expect(past.success).toBe(false);
    expect(past.error?.issues.map((issue) => issue.message)).toContain("A stage is at most 100 %: there is nothing past 100 %");
    expect(
      stagesSchema.safeParse([
        { percent: 50, minDwellMinutes: 0, minSamples: 0 },
        { percent: 10, minDwellMinutes: 0, minSamples: 0 },
        { percent: 100, minDwellMinutes: 0, minSamples: 0 },
      ]).success,
    ).toBe(false);
    expect(stagesSchema.safeParse([{ percent: 50, minDwellMinutes: 0, minSamples: 0 }]).success).toBe(false);
    expect(stagesSchema.safeParse([{ percent: 100, minDwellMinutes: 0, minSamples: 0 }]).success).toBe(false);
  });
});

describe("operator controls", () => {
  const base: RolloutControlState = {
    status: "running",
    stages: DEFAULT_STAGES,
    stageIndex: 2,
    requireApproval: true,
    approvedBy: null,
    createdBy: "lead@acme.test",
    guards: DEFAULT_GUARDS,
    skippedGuards: [],
  };
  test("promoting to 100 % needs the second approval, and past 100 % is impossible", () => {
    expect(checkPromote(base)).toMatchObject({ ok: false, message: expect.stringMatching(/approval/) });
    expect(checkPromote({ ...base, approvedBy: "owner@acme.test" }).ok).toBe(true);
    expect(checkPromote({ ...base, status: "completed" })).toMatchObject({ ok: false, message: expect.stringMatching(/past 100 %/) });
  });

  test("the approval must come from a second person", () => {
    expect(checkApprove(base, "LEAD@acme.test")).toMatchObject({ ok: false, message: expect.stringMatching(/someone other/) });
    expect(checkApprove(base, "owner@acme.test").ok).toBe(true);
  });
});
