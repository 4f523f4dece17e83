// Agent permission policies as the console reads them: the list (who and what each is about,
// whether it still checks, names it mentions that the org does not have) with the org's default,
// and one policy with its versions. The decide path reads enforced policies from the org's facts.
import "server-only";
import type { AuthorizedOrgId } from "../auth/access";
import type { DbOrTx } from "../db";
import { ruleFormSchema, whatSummary, whoSummary } from "../domain/policy/form";
import { unknownNames } from "../domain/policy/names";
import { found } from "../domain/refusal";
import { policySummary } from "../policy/sources";
import { defaultDecisionOf } from "./facts";

export async function findPolicy(db: DbOrTx, orgId: AuthorizedOrgId, policyId: string) {
  return found(await db.policy.findFirst({ where: { orgId, id: policyId } }), "policy");
}

/** The org's settings (JSON): the policy default lives there. */
export async function orgSettings(db: DbOrTx, orgId: AuthorizedOrgId): Promise<Record<string, unknown>> {
  const settings = (await db.org.findUnique({ where: { id: orgId }, select: { settings: true } }))?.settings;
  return settings && typeof settings === "object" && !Array.isArray(settings) ? (settings as Record<string, unknown>) : {};
}

/** Agent and team names in the org: policies that name others are flagged on the Policies page. */
async function knownNames(db: DbOrTx, orgId: AuthorizedOrgId) {
  const [agents, teams] = await Promise.all([db.agent.findMany({ where: { orgId, status: { not: "archived" } }, select: { name: true } }), db.team.findMany({ where: { orgId }, select: { name: true } })]);
  return { agents: new Set(agents.map((agent) => agent.name)), teams: new Set(teams.map((team) => team.name)) };
}

/** What the list and the page both show of a policy. */
function policyHeading<P extends { id: string; name: string; description: string; status: string; version: number }>(policy: P): Pick<P, "id" | "name" | "description" | "status" | "version"> {
  const { id, name, description, status, version } = policy;
  return { id, name, description, status, version };
}

/** Every policy, enforced ones first, with what it is about; and the org's answer when none matches. */
export async function policyList(db: DbOrTx, orgId: AuthorizedOrgId) {
  const [policies, names, settings] = await Promise.all([
    db.policy.findMany({
      where: { orgId },
      orderBy: [{ status: "asc" }, { name: "asc" }],
      select: { id: true, name: true, description: true, cedar: true, form: true, status: true, version: true, createdBy: true, updatedAt: true },
    }),
    knownNames(db, orgId),
    orgSettings(db, orgId),
  ]);
  return {
    defaultDecision: defaultDecisionOf(settings),
    policies: policies.map((policy) => {
      const form = policy.form ? ruleFormSchema.safeParse(policy.form) : null;
      const summary = policySummary(policy.cedar);
      return {
        ...policyHeading(policy),
        source: form?.success ? ("form" as const) : ("cedar" as const),
        who: form?.success ? whoSummary(form.data.who) : (summary?.who ?? "—"),
        what: form?.success ? whatSummary(form.data) : (summary?.what ?? "—"),
        effect: form?.success ? form.data.effect : (summary?.effect ?? "mixed"),
        valid: summary !== null,
        unknownNames: summary ? unknownNames(summary.scopes, names) : [],
        updatedAt: policy.updatedAt,
        updatedBy: policy.createdBy,
      };
    }),
  };
}

/** One policy with its text, the form it was written with (if any) and every version kept. */
export async function policyDetail(db: DbOrTx, orgId: AuthorizedOrgId, policyId: string) {
  const policy = await findPolicy(db, orgId, policyId);
  const form = policy.form ? ruleFormSchema.safeParse(policy.form) : null;
  const versions = await db.policyVersion.findMany({
    where: { orgId, policyId: policy.id },
    orderBy: { version: "desc" },
    select: { version: true, cedar: true, form: true, status: true, createdBy: true, createdAt: true },
  });
  return {
    ...policyHeading(policy),
    cedar: policy.cedar,
    form: form?.success ? form.data : null,
    createdAt: policy.createdAt,
    updatedAt: policy.updatedAt,
    versions,
  };
}
