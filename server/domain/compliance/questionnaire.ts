// The Annex III questionnaire: answers in, a suggested risk class out, with the reasoning in words.
// The compliance officer decides; this only suggests. Order of the rules (Art. 5, Art. 6, Art. 50):
// a prohibited practice wins; then a safety component of an Annex I product, or use in an Annex III
// area (unless the Art. 6(3) derogation holds and the agent does not profile people), is high risk;
// then interacting with people or generating content is limited risk; everything else is minimal.
import { ANNEX_AREAS, ANNEX_I_AREA, PROHIBITED_PRACTICES, type AnnexArea, type RiskClass } from "./catalogue";
import type { QuestionnaireAnswers } from "./schemas";

export interface Suggestion {
  riskClass: RiskClass;
  annexArea: AnnexArea | null;
  reasoning: string[];
}

const label = (id: string) => ANNEX_AREAS.find((area) => area.id === id)?.label ?? id;

export function suggestRiskClass(answers: QuestionnaireAnswers): Suggestion {
  const reasoning: string[] = [];
  if (answers.prohibitedPractices.length > 0) {
    const named = answers.prohibitedPractices.map((id) => PROHIBITED_PRACTICES.find((practice) => practice.id === id)?.label ?? id);
    reasoning.push(`Art. 5 prohibits what it does: ${named.join("; ")}.`);
    return { riskClass: "prohibited", annexArea: null, reasoning };
  }
  reasoning.push("No Art. 5 prohibited practice was named.");

  if (answers.safetyComponentAnnexI) {
    reasoning.push("Art. 6(1): it is a safety component of a product under Annex I harmonisation law, so it is high risk.");
    return { riskClass: "high", annexArea: ANNEX_I_AREA.id, reasoning };
  }

  const areas = answers.annexAreas.filter((area): area is Exclude<AnnexArea, typeof ANNEX_I_AREA.id> => area !== ANNEX_I_AREA.id);
  if (areas.length > 0) {
    const first = areas[0] as AnnexArea;
    if (answers.profilesPeople) {
      reasoning.push(`Art. 6(2) and Annex III: used in ${areas.map(label).join(", ")}; it profiles people, so the Art. 6(3) exception cannot apply: high risk.`);
      return { riskClass: "high", annexArea: first, reasoning };
    }
    if (answers.narrowProceduralTask) {
      reasoning.push(
        `Used in ${areas.map(label).join(", ")}, but Art. 6(3): it only performs a narrow procedural or preparatory task and does not profile people, so it is not high risk (document this assessment).`,
      );
    } else {
      reasoning.push(`Art. 6(2) and Annex III: used in ${areas.map(label).join(", ")}: high risk.`);
      return { riskClass: "high", annexArea: first, reasoning };
    }
  } else {
    reasoning.push("Not used in any Annex III area, and not an Annex I safety component.");
  }

  if (answers.interactsWithPeople || answers.generatesContent) {
    const what = [answers.interactsWithPeople ? "interacts directly with people" : null, answers.generatesContent ? "generates text, images, audio or video" : null].filter(Boolean);
    reasoning.push(`Art. 50: it ${what.join(" and ")}, so transparency obligations apply: limited risk.`);
    return { riskClass: "limited", annexArea: null, reasoning };
  }
  reasoning.push("No transparency obligation is triggered: minimal risk.");
  return { riskClass: "minimal", annexArea: null, reasoning };
}
