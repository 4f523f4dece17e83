// Invitations to one org: issued, listed and revoked by its admins, accepted by the person with
// the link. Accepting only ever adds a membership in the inviting org, for the signed-in owner of
// the invited address or for a new account made on the spot; it never touches an existing
// account's credentials. Every change writes its audit entry in the same transaction.
import { actorOf, type AuthorizedOrg, type AuthorizedOrgId } from "../auth/access";
import type { Db, DbOrTx, Tx } from "../db";
import { checkRoleChange, ROLE_CHANGE_REFUSALS, type Role } from "../domain/access/permissions";
import { refuse } from "../domain/refusal";
import { invitationStatus, type InvitationStatus } from "../domain/invitations/status";
import { hashToken, INVITATION_PREFIX, INVITATION_TTL_MS, looksLikeToken, newToken } from "../domain/invitations/tokens";
import { hashPassword } from "../auth/password";
import { appendAudit, type AuditActor, type AuditWriter } from "./audit";
import { assertTeamsExist, createMembership, isMemberByEmail } from "./members";
import { unknownTeamIds } from "./teams";

/** Rare, person-paced transactions: on a busy server they may wait for a connection longer than Prisma's 2 s default. */
const TRANSACTION_WAIT = { maxWait: 15_000, timeout: 15_000 };

export interface IssuedInvitation {
  invitationId: string;
  email: string;
  role: Role;
  teamIds: string[];
  expiresAt: Date;
  /** The secret of the link, shown once to the admin who sends it; only its hash is stored. */
  token: string;
  /** Pending invitations of the same address that this one replaces (revoked). */
  replaced: string[];
}

/**
 * Invites an address to this org: a single-use link for the admin to send. The answer is the same
 * whether or not the address has an account anywhere, and holds no credential: the link only lets
 * its holder join this org, as a new account or after signing in to the address's own.
 */
export async function inviteMember(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, input: { email: string; role: Role; teamIds: readonly string[] }) {
  const refusal = checkRoleChange({ actorRole: access.membership.role, fromRole: "viewer", toRole: input.role, ownerCount: 2 });
  if (refusal) refuse("FORBIDDEN", ROLE_CHANGE_REFUSALS[refusal]);
  await assertTeamsExist(tx, access.orgId, input.teamIds);
  // Membership here is visible in the members list anyway; nothing is said about other orgs.
  if (await isMemberByEmail(tx, access.orgId, input.email)) refuse("CONFLICT", `${input.email} is already a member.`);
  const { replaced, ...issued } = await issueInvitation(tx, access.orgId, actorOf(access), input);
  await audit({
    action: "member.invited",
    targetType: "invitation",
    targetId: issued.invitationId,
    after: { email: issued.email, role: issued.role, teamIds: issued.teamIds, expiresAt: issued.expiresAt.toISOString(), replaces: replaced },
  });
  return issued;
}

/** Issues an invitation (inside the caller's audited transaction); earlier pending ones for the address are revoked. */
async function issueInvitation(
  tx: Tx,
  orgId: AuthorizedOrgId,
  invitedBy: { id: string; label: string },
  input: { email: string; role: Role; teamIds: readonly string[] },
  now: Date = new Date(),
): Promise<IssuedInvitation> {
  const replaced = await tx.invitation.findMany({
    where: { orgId, email: input.email, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true },
  });
  if (replaced.length > 0) {
    await tx.invitation.updateMany({ where: { orgId, id: { in: replaced.map((row) => row.id) } }, data: { revokedAt: now } });
  }
  const { token, hash } = newToken(INVITATION_PREFIX);
  const teamIds = [...new Set(input.teamIds)].sort();
  const invitation = await tx.invitation.create({
    data: {
      orgId,
      email: input.email,
      role: input.role,
      teamIds,
      tokenHash: hash,
      invitedById: invitedBy.id,
      invitedByLabel: invitedBy.label,
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
    },
  });
  return {
    invitationId: invitation.id,
    email: invitation.email,
    role: invitation.role,
    teamIds,
    expiresAt: invitation.expiresAt,
    token,
    replaced: replaced.map((row) => row.id),
  };
}

/** The org's invitations that can still be accepted, newest first. */
export async function listPendingInvitations(db: DbOrTx, orgId: AuthorizedOrgId, now: Date = new Date()) {
  const rows = await db.invitation.findMany({
    where: { orgId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: { id: true, email: true, role: true, teamIds: true, invitedByLabel: true, createdAt: true, expiresAt: true },
  });
  return rows.map((row) => ({ invitationId: row.id, ...row, teamIds: [...row.teamIds].sort() }));
}

/** Revokes a pending invitation of this org; NOT_FOUND when there is none by that id (or it is no longer pending). */
export async function revokeInvitation(tx: Tx, audit: AuditWriter, orgId: AuthorizedOrgId, invitationId: string, now: Date = new Date()) {
  const invitation = await tx.invitation.findFirst({ where: { orgId, id: invitationId } });
  const revoked =
    invitation && invitationStatus(invitation, now) === "pending" ? await tx.invitation.updateMany({ where: { id: invitation.id, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } }) : null;
  if (!invitation || revoked?.count !== 1) refuse("NOT_FOUND", "No such pending invitation: it may have been accepted, revoked or expired.");
  await audit({
    action: "invitation.revoked",
    targetType: "invitation",
    targetId: invitation.id,
    before: { email: invitation.email, role: invitation.role, teamIds: [...invitation.teamIds].sort() },
  });
  return { revoked: true };
}

export interface InvitationView {
  status: InvitationStatus;
  email: string;
  role: Role;
  orgName: string;
  orgSlug: string;
  invitedByLabel: string;
  expiresAt: Date;
}

/** What the public invitation page shows for a link; null for a token that is not one of ours. */
export async function findInvitationByToken(db: DbOrTx, token: string, now: Date = new Date()): Promise<InvitationView | null> {
  if (!looksLikeToken(INVITATION_PREFIX, token)) return null;
  const row = await db.invitation.findUnique({ where: { tokenHash: hashToken(token) }, include: { org: { select: { name: true, slug: true } } } });
  if (!row) return null;
  return {
    status: invitationStatus(row, now),
    email: row.email,
    role: row.role,
    orgName: row.org.name,
    orgSlug: row.org.slug,
    invitedByLabel: row.invitedByLabel,
    expiresAt: row.expiresAt,
  };
}

export type AcceptRefusal =
  /** Unknown, used, revoked or expired: the same answer for all, so a link says nothing more than "ask again". */
  | "invalid"
  /** Signed in as an account whose address is not the invited one. */
  | "wrong_account"
  /** Creating an account for an address that already has one: sign in to it instead. */
  | "account_exists"
  | "already_member";

export type AcceptResult = { ok: true; orgSlug: string; userId: string } | { ok: false; reason: AcceptRefusal };

class Refused extends Error {
  constructor(readonly reason: AcceptRefusal) {
    super(reason);
  }
}

/**
 * Claims the invitation (exactly once, even when accepted twice at the same moment), adds the
 * membership and writes the org's audit entry, all in one transaction. `person` is the signed-in
 * account, or the new account to create for the invited address.
 */
async function accept(db: Db, token: string, person: { kind: "signed_in"; userId: string } | { kind: "new"; name: string; password: string }, now: Date): Promise<AcceptResult> {
  if (!looksLikeToken(INVITATION_PREFIX, token)) return { ok: false, reason: "invalid" };
  // Hash before the transaction: scrypt takes a while and needs no lock.
  const passwordHash = person.kind === "new" ? await hashPassword(person.password) : null;
  try {
    return await db.$transaction(async (tx) => {
      const invitation = await tx.invitation.findUnique({ where: { tokenHash: hashToken(token) }, include: { org: { select: { slug: true } } } });
      if (!invitation || invitationStatus(invitation, now) !== "pending") throw new Refused("invalid");

      let user: { id: string; email: string };
      if (person.kind === "signed_in") {
        const found = await tx.user.findUnique({ where: { id: person.userId }, select: { id: true, email: true } });
        if (!found || found.email !== invitation.email) throw new Refused("wrong_account");
        user = found;
      } else {
        if (await tx.user.findUnique({ where: { email: invitation.email }, select: { id: true } })) throw new Refused("account_exists");
        user = await tx.user.create({ data: { email: invitation.email, name: person.name, passwordHash }, select: { id: true, email: true } });
      }
      if (await tx.membership.findUnique({ where: { orgId_userId: { orgId: invitation.orgId, userId: user.id } } })) throw new Refused("already_member");

      // Single use: only the first of two concurrent acceptances changes the row.
      const claimed = await tx.invitation.updateMany({
        where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { acceptedAt: now, acceptedById: user.id },
      });
      if (claimed.count !== 1) throw new Refused("invalid");

      // A team deleted since the invitation was sent is left out.
      const missing = new Set(await unknownTeamIds(tx, invitation.orgId, invitation.teamIds));
      const teamIds = invitation.teamIds.filter((id) => !missing.has(id)).sort();
      const membership = await createMembership(tx, invitation.orgId, user.id, invitation.role, teamIds);
      const actor: AuditActor = { type: "user", id: user.id, label: user.email };
      await appendAudit(tx, invitation.orgId, actor, {
        action: "member.joined",
        targetType: "membership",
        targetId: membership.id,
        after: { email: user.email, role: invitation.role, teamIds, invitationId: invitation.id, newAccount: person.kind === "new" },
      });
      return { ok: true as const, orgSlug: invitation.org.slug, userId: user.id };
    }, TRANSACTION_WAIT);
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.reason };
    // Two acceptances racing to create the same account or membership: the loser is refused.
    if ((error as { code?: unknown }).code === "P2002") return { ok: false, reason: person.kind === "new" ? "account_exists" : "already_member" };
    throw error;
  }
}

/** The signed-in person accepts: only if their account's address is the invited one. */
export function acceptInvitationAsUser(db: Db, token: string, userId: string, now: Date = new Date()): Promise<AcceptResult> {
  return accept(db, token, { kind: "signed_in", userId }, now);
}

/** Someone without an account accepts: the account is created for the invited address. */
export function acceptInvitationWithNewAccount(db: Db, token: string, account: { name: string; password: string }, now: Date = new Date()): Promise<AcceptResult> {
  return accept(db, token, { kind: "new", ...account }, now);
}
