import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ANNEX_AREA_IDS, ANNEX_AREAS, PROHIBITED_PRACTICES, RISK_CLASSES } from "./catalogue";
import { suggestRiskClass } from "./questionnaire";
import { EMPTY_QUESTIONNAIRE, questionnaireSchema, type QuestionnaireAnswers } from "./schemas";

const answers = (overrides: Partial<QuestionnaireAnswers>): QuestionnaireAnswers => ({ ...EMPTY_QUESTIONNAIRE, ...overrides });

const arbitraryAnswers = fc.record({
  prohibitedPractices: fc.subarray(PROHIBITED_PRACTICES.map((practice) => practice.id as string)),
  safetyComponentAnnexI: fc.boolean(),
  annexAreas: fc.subarray([...ANNEX_AREA_IDS]),
  profilesPeople: fc.boolean(),
  narrowProceduralTask: fc.boolean(),
  interactsWithPeople: fc.boolean(),
  generatesContent: fc.boolean(),
});

describe("suggestRiskClass", () => {
  it("suggests minimal risk when nothing applies, and says why", () => {
    const suggestion = suggestRiskClass(EMPTY_QUESTIONNAIRE);
    expect(suggestion.riskClass).toBe("minimal");
    expect(suggestion.annexArea).toBeNull();
    expect(suggestion.reasoning.join(" ")).toMatch(/minimal risk/);
  });

  it("suggests prohibited for a prohibited practice, whatever else is answered", () => {
    const suggestion = suggestRiskClass(answers({ prohibitedPractices: ["social_scoring"], annexAreas: ["employment"], profilesPeople: true }));
    expect(suggestion.riskClass).toBe("prohibited");
    expect(suggestion.reasoning[0]).toMatch(/Art\. 5/);
    expect(suggestion.reasoning[0]).toMatch(/social behaviour/);
  });

  it("suggests high risk for credit scoring (essential services), naming the area", () => {
    const suggestion = suggestRiskClass(answers({ annexAreas: ["essential_services"] }));
    expect(suggestion).toMatchObject({ riskClass: "high", annexArea: "essential_services" });
    expect(suggestion.reasoning.join(" ")).toMatch(/Access to essential private and public services/);
  });

  it("applies the Art. 6(3) exception to a narrow procedural task that does not profile people", () => {
    expect(suggestRiskClass(answers({ annexAreas: ["employment"], narrowProceduralTask: true })).riskClass).toBe("minimal");
    expect(suggestRiskClass(answers({ annexAreas: ["employment"], narrowProceduralTask: true, interactsWithPeople: true })).riskClass).toBe("limited");
  });

  it("never applies the exception when the agent profiles people", () => {
    const suggestion = suggestRiskClass(answers({ annexAreas: ["employment"], narrowProceduralTask: true, profilesPeople: true }));
    expect(suggestion.riskClass).toBe("high");
    expect(suggestion.reasoning.join(" ")).toMatch(/profiles people/);
  });

  it("treats an Annex I safety component as high risk with the Annex I route", () => {
    expect(suggestRiskClass(answers({ safetyComponentAnnexI: true }))).toMatchObject({ riskClass: "high", annexArea: "annex_i_product" });
  });

  it("suggests limited risk for a chatbot that is in no Annex III area", () => {
    expect(suggestRiskClass(answers({ interactsWithPeople: true })).riskClass).toBe("limited");
    expect(suggestRiskClass(answers({ generatesContent: true })).riskClass).toBe("limited");
  });

  it("always suggests a known class, with reasoning, and an area exactly when high", () => {
    fc.assert(
      fc.property(arbitraryAnswers, (raw) => {
        const suggestion = suggestRiskClass(questionnaireSchema.parse(raw));
        expect(RISK_CLASSES).toContain(suggestion.riskClass);
        expect(suggestion.reasoning.length).toBeGreaterThan(0);
        expect(suggestion.annexArea !== null).toBe(suggestion.riskClass === "high");
      }),
    );
  });

  it("is monotone: naming a prohibited practice makes any answer prohibited; profiling in an Annex III area makes it at least high", () => {
    fc.assert(
      fc.property(arbitraryAnswers, fc.constantFrom(...ANNEX_AREAS.map((area) => area.id)), (raw, area) => {
        const base = questionnaireSchema.parse(raw);
        expect(suggestRiskClass({ ...base, prohibitedPractices: ["manipulation"] }).riskClass).toBe("prohibited");
        const profiled = suggestRiskClass({ ...base, annexAreas: [...base.annexAreas, area], profilesPeople: true }).riskClass;
        expect(["prohibited", "high"]).toContain(profiled);
      }),
    );
  });
});
