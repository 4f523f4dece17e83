// Agent permission policies changed in the console: created (from the everyday-rule form or as
// Cedar text), edited, enforced, disabled, deleted, and the org's default when nothing matches.
// Every change is audited with the Cedar text before and after and kept as a PolicyVersion, in the
// caller's transaction; a change to the enforced set is NOTIFYed to every process on commit, and
// this process drops its copy of the org's facts once committed.
import "server-only";
import type { AuthorizedOrg, AuthorizedOrgId } from "../auth/access";
import type { Tx } from "../db";
import { afterCommit } from "../db/after-commit";
import { notifyChange } from "../db/notify";
import { refusingDuplicates } from "../db/unique-violation";
import { Prisma } from "../generated/prisma/client";
import { refuse } from "../domain/refusal";
import { assertValidCedar, checkedSource, type PolicySourceInput } from "../policy/sources";
import type { AuditWriter } from "./audit";
import { defaultDecisionOf, forgetFacts } from "./facts";
import { findPolicy, orgSettings } from "./policies";

const DUPLICATE_NAME = "A policy with that name already exists in this organisation.";

type PolicyRow = Awaited<ReturnType<typeof findPolicy>>;

const snapshot = (policy: Pick<PolicyRow, "name" | "status" | "version" | "cedar">) => ({ name: policy.name, status: policy.status, version: policy.version, cedar: policy.cedar });

/** Keeps the policy's state as a version, and says who made it. */
async function keepVersion(tx: Tx, policy: PolicyRow, createdBy: string): Promise<void> {
  await tx.policyVersion.create({
    data: { policyId: policy.id, version: policy.version, orgId: policy.orgId, cedar: policy.cedar, form: policy.form ?? Prisma.DbNull, status: policy.status, createdBy },
  });
}

/** The enforced set (or the default) changed: every process hears it on commit, this one at once after. */
async function enforcedSetChanged(tx: Tx, orgId: AuthorizedOrgId): Promise<void> {
  await notifyChange(tx, { orgId, kind: "policy" });
}

/** Whatever a write did, this process rereads the org's policies after commit. */
function forgetAfterCommit(tx: Tx, orgId: AuthorizedOrgId): void {
  afterCommit(tx, () => forgetFacts(orgId));
}

export interface PolicyText {
  name: string;
  description: string;
  source: PolicySourceInput;
}

export async function createPolicy(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, input: PolicyText & { enforce: boolean }) {
  const { cedar, form } = checkedSource(input.source);
  const author = access.membership.userEmail;
  const policy = await refusingDuplicates(DUPLICATE_NAME, () =>
    tx.policy.create({
      data: { orgId: access.orgId, name: input.name, description: input.description, cedar, form: form ?? Prisma.DbNull, status: input.enforce ? "enforced" : "draft", createdBy: author },
    }),
  );
  await keepVersion(tx, policy, author);
  await audit({ action: "policy.created", targetType: "policy", targetId: policy.id, before: null, after: snapshot(policy) });
  if (policy.status === "enforced") await enforcedSetChanged(tx, access.orgId);
  forgetAfterCommit(tx, access.orgId);
  return { id: policy.id, name: policy.name, status: policy.status };
}

/** A new version of the policy's name, description and text (its status stays). */
export async function updatePolicy(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, input: PolicyText & { policyId: string }) {
  const { cedar, form } = checkedSource(input.source);
  const author = access.membership.userEmail;
  const before = await findPolicy(tx, access.orgId, input.policyId);
  const after = await refusingDuplicates(DUPLICATE_NAME, () =>
    tx.policy.update({
      where: { id: before.id },
      data: { name: input.name, description: input.description, cedar, form: form ?? Prisma.DbNull, version: before.version + 1, createdBy: author },
    }),
  );
  await keepVersion(tx, after, author);
  await audit({ action: "policy.updated", targetType: "policy", targetId: after.id, before: snapshot(before), after: snapshot(after) });
  if (after.status === "enforced") await enforcedSetChanged(tx, access.orgId);
  forgetAfterCommit(tx, access.orgId);
  return { id: after.id, version: after.version };
}

/** Enforces a policy (its text must still check: the schema may have moved on since it was saved) or disables it. */
export async function setPolicyStatus(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, policyId: string, status: "enforced" | "disabled") {
  const before = await findPolicy(tx, access.orgId, policyId);
  if (before.status === status) refuse("BAD_REQUEST", `This policy is already ${status}.`);
  if (status === "enforced") assertValidCedar(before.cedar);
  const after = await tx.policy.update({ where: { id: before.id }, data: { status, version: before.version + 1, createdBy: access.membership.userEmail } });
  await keepVersion(tx, after, access.membership.userEmail);
  await audit({ action: status === "enforced" ? "policy.enforced" : "policy.disabled", targetType: "policy", targetId: after.id, before: snapshot(before), after: snapshot(after) });
  if (status === "enforced" || before.status === "enforced") await enforcedSetChanged(tx, access.orgId);
  forgetAfterCommit(tx, access.orgId);
  return { id: after.id, status: after.status };
}

export async function deletePolicy(tx: Tx, audit: AuditWriter, orgId: AuthorizedOrgId, policyId: string) {
  const before = await findPolicy(tx, orgId, policyId);
  await tx.policy.delete({ where: { id: before.id } });
  await audit({ action: "policy.deleted", targetType: "policy", targetId: before.id, before: snapshot(before), after: null });
  if (before.status === "enforced") await enforcedSetChanged(tx, orgId);
  forgetAfterCommit(tx, orgId);
  return { id: before.id };
}

/** The org's answer when no policy matches (deny unless set to allow): an org setting. */
export async function setDefaultDecision(tx: Tx, audit: AuditWriter, orgId: AuthorizedOrgId, decision: "allow" | "deny") {
  const settings = await orgSettings(tx, orgId);
  const before = defaultDecisionOf(settings);
  await tx.org.update({ where: { id: orgId }, data: { settings: { ...settings, policyDefault: decision } as Prisma.InputJsonValue } });
  await audit({ action: "policy.default_changed", targetType: "org", targetId: orgId, before: { defaultDecision: before }, after: { defaultDecision: decision } });
  await enforcedSetChanged(tx, orgId);
  forgetAfterCommit(tx, orgId);
  return { defaultDecision: decision };
}
