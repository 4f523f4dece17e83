// The demo org's agent policies, all enforced: what an admin of Acme Corp would write. With the
// org's default deny, the first two are what lets ordinary work through; the last three are the
// rules docs/demo.md names. Each is created as a real change would be: version 1 kept, audited.
import type { Tx } from "../../server/db";
import { appendAudit, type AuditActor } from "../../server/data/audit";
import { Prisma } from "../../server/generated/prisma/client";
import { formToCedar, ruleFormSchema, type RuleFormInput } from "../../server/domain/policy/form";

interface SeedPolicy {
  name: string;
  description: string;
  /** From the everyday-rule form, or Cedar text where the form cannot say it. */
  source: { form: RuleFormInput } | { cedar: string };
}

export const SEED_POLICIES: SeedPolicy[] = [
  {
    name: "Agents may call their registered tools",
    description: "The agent registry is the allow-list: a tool not registered on the agent falls to the default (deny).",
    source: { cedar: `permit (\n  principal,\n  action == Action::"tool",\n  resource\n)\nwhen { principal.tools.contains(resource) };\n` },
  },
  {
    name: "Every agent may use models through routing",
    description: "Which model is used is routing's business (quality floors, prices, kill switches).",
    source: { form: { who: { kind: "all" }, action: "model", resources: [], effect: "allow", conditions: [] } },
  },
  {
    name: "Refunds above 100 need approval",
    description: "support-chatbot may issue refunds; above 100 a person approves first.",
    source: {
      form: {
        who: { kind: "agent", name: "support-chatbot" },
        action: "tool",
        resources: ["issue_refund"],
        effect: "require_approval",
        conditions: [{ kind: "number", argument: "amount", op: ">", value: "100" }],
        reason: "Refunds above 100 need a person's approval.",
      },
    },
  },
  {
    name: "No agent deletes records",
    description: "Deleting records is never an agent's call.",
    source: { form: { who: { kind: "all" }, action: "tool", resources: ["delete_records"], effect: "deny", conditions: [] } },
  },
  {
    // "High risk" is both the tag and the EU AI Act risk class: an agent classified high-risk is
    // as high-risk as one tagged so, and a compliance officer would expect the rule to cover both.
    name: "High-risk agents need approval for PCI data",
    description: "Agents tagged high-risk, or in EU AI Act risk class high, touch cardholder data only with a person's approval.",
    source: {
      cedar: `@approval("true")\n@reason("High-risk agents touch PCI data only with a person's approval.")\npermit (\n  principal,\n  action,\n  resource\n)\nwhen {\n  (principal.tags.contains("high-risk") || principal.riskClass == "high") &&\n  context.dataClasses.contains("PCI")\n};\n`,
    },
  },
];

/** Policies name agents and teams by name, so the id maps of the seed contract are not needed. */
export async function seedPolicies(tx: Tx, input: { orgId: string; system: AuditActor; teamIds?: ReadonlyMap<string, string>; agentIds?: ReadonlyMap<string, string> }): Promise<void> {
  for (const seed of SEED_POLICIES) {
    const form = "form" in seed.source ? ruleFormSchema.parse(seed.source.form) : null;
    const cedar = "cedar" in seed.source ? seed.source.cedar : formToCedar(ruleFormSchema.parse(seed.source.form));
    const policy = await tx.policy.create({
      data: { orgId: input.orgId, name: seed.name, description: seed.description, cedar, form: form ?? Prisma.DbNull, status: "enforced", createdBy: input.system.label },
    });
    await tx.policyVersion.create({
      data: { policyId: policy.id, version: 1, orgId: input.orgId, cedar, form: form ?? Prisma.DbNull, status: "enforced", createdBy: input.system.label },
    });
    await appendAudit(tx, input.orgId, input.system, {
      action: "policy.created",
      targetType: "policy",
      targetId: policy.id,
      after: { name: policy.name, status: policy.status, version: policy.version, cedar },
    });
  }
}
