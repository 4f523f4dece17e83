import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DATA_CATEGORIES } from "../agents/agent-fields";
import { applicableControls, appliesFrom, controlApplies, obligationsCalendar, type AgentComplianceFacts } from "./applicability";
import { CHECK_IDS, CHECKS, CONTROLS, FRAMEWORKS, RISK_CLASSES, controlById } from "./catalogue";
import { countStatuses, rollUpStatus, statusOf, type CheckOutcome, type ControlStatus } from "./status";

const agent = (overrides: Partial<AgentComplianceFacts>): AgentComplianceFacts => ({ riskClass: null, dataCategories: [], tags: [], annexArea: null, ...overrides });
const control = (id: string) => {
  const found = controlById(id);
  if (!found) throw new Error(`no control ${id}`);
  return found;
};

describe("the catalogue", () => {
  it("names each control once, in a known framework, with a known check", () => {
    expect(new Set(CONTROLS.map((item) => item.id)).size).toBe(CONTROLS.length);
    for (const item of CONTROLS) {
      expect(FRAMEWORKS.map((framework) => framework.id)).toContain(item.framework);
      expect(CHECK_IDS).toContain(item.check);
      expect(item.description.length).toBeGreaterThan(10);
    }
    expect(CONTROLS.length).toBe(40);
    expect(Object.keys(CHECKS)).toEqual(CHECK_IDS);
  });

  it("covers the EU AI Act articles, GDPR articles and every framework the issue names", () => {
    const refs = CONTROLS.map((item) => `${item.framework} ${item.ref}`);
    for (const ref of ["Art. 9", "Art. 10", "Art. 12", "Art. 13", "Art. 14", "Art. 15", "Art. 26(6)", "Art. 50", "Art. 72", "Art. 73"]) expect(refs).toContain(`eu_ai_act ${ref}`);
    for (const ref of ["Art. 22", "Art. 30", "Art. 35"]) expect(refs).toContain(`gdpr ${ref}`);
    for (const ref of ["A.6.2.6", "A.6.2.8", "A.8.4", "A.9.2"]) expect(refs).toContain(`iso_42001 ${ref}`);
    for (const fn of ["GOVERN", "MAP", "MEASURE", "MANAGE"]) expect(refs.some((ref) => ref.startsWith(`nist_ai_rmf ${fn}`))).toBe(true);
    expect(refs.some((ref) => ref.startsWith("soc2 CC"))).toBe(true);
  });
});

describe("controlApplies", () => {
  it("applies high-risk obligations only to high-risk agents", () => {
    expect(controlApplies(control("EUAIA-14"), agent({ riskClass: "high" })).applies).toBe(true);
    expect(controlApplies(control("EUAIA-14"), agent({ riskClass: "limited" })).applies).toBe(false);
    expect(controlApplies(control("EUAIA-14"), agent({ riskClass: null })).because).toMatch(/risk class high/);
  });

  it("needs every condition of a rule: SOC 2 CC6.1 wants high risk and PCI", () => {
    expect(controlApplies(control("SOC2-CC6.1"), agent({ riskClass: "high" })).applies).toBe(false);
    expect(controlApplies(control("SOC2-CC6.1"), agent({ dataCategories: ["PCI"] })).applies).toBe(false);
    expect(controlApplies(control("SOC2-CC6.1"), agent({ riskClass: "high", dataCategories: ["PCI"] }))).toEqual({ applies: true, because: "Applies: risk class high and handles PCI." });
  });

  it("applies any one of several rules: Art. 50 by class or by the external-facing tag", () => {
    expect(controlApplies(control("EUAIA-50"), agent({ riskClass: "minimal", tags: ["external-facing"] })).applies).toBe(true);
    expect(controlApplies(control("EUAIA-50"), agent({ riskClass: "minimal" })).applies).toBe(false);
  });

  it("applies rule-less controls to every agent", () => {
    fc.assert(
      fc.property(fc.constantFrom(null, ...RISK_CLASSES), fc.subarray([...DATA_CATEGORIES]), (riskClass, categories) => {
        const applicable = applicableControls(agent({ riskClass, dataCategories: categories })).map((item) => item.id);
        for (const item of CONTROLS.filter((candidate) => candidate.appliesWhen.length === 0)) expect(applicable).toContain(item.id);
      }),
    );
  });

  it("never applies fewer controls when an agent gains a data category or a tag", () => {
    fc.assert(
      fc.property(fc.constantFrom(null, ...RISK_CLASSES), fc.subarray([...DATA_CATEGORIES]), fc.constantFrom(...DATA_CATEGORIES), (riskClass, categories, extra) => {
        const before = applicableControls(agent({ riskClass, dataCategories: categories })).map((item) => item.id);
        const after = applicableControls(agent({ riskClass, dataCategories: [...categories, extra], tags: ["external-facing"] })).map((item) => item.id);
        for (const id of before) expect(after).toContain(id);
      }),
    );
  });
});

describe("dates", () => {
  it("uses the 2026 amended dates: Annex III from 2 Dec 2027, Annex I from 2 Aug 2028, Art. 50 from 2 Aug 2026", () => {
    expect(appliesFrom(control("EUAIA-14"), { annexArea: "essential_services" })).toBe("2027-12-02");
    expect(appliesFrom(control("EUAIA-14"), { annexArea: "annex_i_product" })).toBe("2028-08-02");
    expect(appliesFrom(control("EUAIA-50"), {})).toBe("2026-08-02");
    expect(appliesFrom(control("ISO42001-A.3.2"), {})).toBeNull();
  });

  it("puts what applies now first, then what applies later, soonest first", () => {
    const calendar = obligationsCalendar(agent({ riskClass: "high", dataCategories: ["PII"], annexArea: "employment" }), new Date("2026-12-05T00:00:00Z"));
    const inForce = calendar.filter((entry) => entry.inForce);
    const later = calendar.filter((entry) => !entry.inForce);
    expect(calendar.slice(0, inForce.length)).toEqual(inForce);
    expect(inForce.map((entry) => entry.controlId)).toEqual(expect.arrayContaining(["GDPR-22", "EUAIA-50", "ISO42001-A.3.2"]));
    expect(later.map((entry) => entry.from)).toEqual([...later.map((entry) => entry.from)].sort());
    expect(later.find((entry) => entry.controlId === "EUAIA-14")?.from).toBe("2027-12-02");
    // A year on, the high-risk obligations are in force.
    const afterwards = obligationsCalendar(agent({ riskClass: "high", annexArea: "employment" }), new Date("2027-12-02T08:00:00Z"));
    expect(afterwards.every((entry) => entry.inForce)).toBe(true);
  });
});

describe("statuses", () => {
  const met: CheckOutcome = { status: "met", summary: "ok", evidence: {} };
  it("never calls a control met that was never assessed", () => {
    expect(statusOf(true, null)).toBe("not_assessed");
    expect(statusOf(true, undefined)).toBe("not_assessed");
    expect(statusOf(true, { status: "not_assessed", summary: "", evidence: {} })).toBe("not_assessed");
    expect(statusOf(true, met)).toBe("met");
    expect(statusOf(false, met)).toBe("not_applicable");
  });

  const statuses = fc.array(fc.constantFrom<ControlStatus>("met", "gap", "not_applicable", "not_assessed"), { maxLength: 30 });
  it("rolls up to met only when every applicable agent meets it, and to not assessed only with no evidence either way", () => {
    fc.assert(
      fc.property(statuses, (list) => {
        const rolled = rollUpStatus(list);
        const applicable = list.filter((status) => status !== "not_applicable");
        expect(rolled === "met").toBe(applicable.length > 0 && applicable.every((status) => status === "met"));
        expect(rolled === "not_applicable").toBe(applicable.length === 0);
        if (applicable.length > 0 && applicable.every((status) => status === "not_assessed")) expect(rolled).toBe("not_assessed");
        if (applicable.includes("not_assessed")) expect(rolled).not.toBe("met");
      }),
    );
    expect(rollUpStatus(["met", "gap"])).toBe("partial");
    expect(rollUpStatus(["gap", "gap", "not_applicable"])).toBe("gap");
    expect(countStatuses(["met", "gap", "gap"])).toEqual({ met: 1, gap: 2, not_applicable: 0, not_assessed: 0 });
  });
});
