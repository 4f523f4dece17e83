// States the specs start from, made with the seed module (prisma/seed/org.ts), the same functions
// that build the demo org: accounts in no organisation yet, and organisations of a spec's own; and
// a password reset link, which the app hands out only through its log, from the app's own function.
import { randomUUID } from "node:crypto";
import { addMember, createAgentWithKey, createOrg, createUser } from "../prisma/seed/org";
import { hashPassword } from "../server/auth/password";
import type { AuditActor } from "../server/data/audit";
import { requestPasswordReset } from "../server/data/password-resets";
import { withSeedModule } from "./fixtures";

const E2E_SEED: AuditActor = { type: "system", id: null, label: "system (e2e seed)" };

/** An account with a password and no membership anywhere, as if made in another org that left it. */
export async function accountWithPassword(email: string, name: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await withSeedModule((db) => createUser(db, { email, name, passwordHash }));
}

export interface OrgOfItsOwn {
  slug: string;
  name: string;
  owner: { email: string; password: string };
  agent: { id: string; name: string; apiKey: string };
}

/** An org of a spec's own with an owner and one agent (in team Payments) holding an agent key. */
export async function orgOfItsOwn(label: string, agentName: string): Promise<OrgOfItsOwn> {
  const suffix = randomUUID().slice(0, 8);
  const slug = `${label}-${suffix}`;
  const name = `${label[0]?.toUpperCase()}${label.slice(1)} Test ${suffix}`;
  const owner = { email: `owner-${suffix}@${label}.test`, password: `pw-${randomUUID()}` };
  const passwordHash = await hashPassword(owner.password);
  const agent = await withSeedModule((db) =>
    db.$transaction(async (tx) => {
      const org = await createOrg(tx, E2E_SEED, { slug, name, teams: ["Payments"] });
      await addMember(tx, E2E_SEED, org, { email: owner.email, name: `${name} Owner`, passwordHash, role: "owner", teams: [] });
      return createAgentWithKey(tx, E2E_SEED, org, { name: agentName, team: "Payments" }, "e2e");
    }),
  );
  return { slug, name, owner, agent: { id: agent.agentId, name: agentName, apiKey: agent.apiKey } };
}

/**
 * A password reset link for `email`, issued by the app's own function (server/data/password-resets.ts),
 * as the forgot-password form does. The form's link goes to the server's log, which a test cannot read.
 */
export async function issuePasswordResetLink(email: string): Promise<string> {
  const issued = await withSeedModule((db) => requestPasswordReset(db, email));
  if (!issued) throw new Error(`no reset link was issued for ${email}`);
  return issued.token;
}
