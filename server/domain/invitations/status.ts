// Where an invitation stands. Only a pending one can be accepted or revoked.

export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

export interface InvitationDates {
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

export function invitationStatus(invitation: InvitationDates, now: Date): InvitationStatus {
  if (invitation.acceptedAt) return "accepted";
  if (invitation.revokedAt) return "revoked";
  if (invitation.expiresAt.getTime() <= now.getTime()) return "expired";
  return "pending";
}

/**
 * A session is current when it began after the account's last "sign out everywhere" (a password
 * reset). Sessions that do not say when they began predate the rule and count as over once one
 * exists.
 */
export function sessionIsCurrent(signedInAtMs: number | undefined, sessionsValidFrom: Date | null): boolean {
  if (!sessionsValidFrom) return true;
  return signedInAtMs !== undefined && signedInAtMs >= sessionsValidFrom.getTime();
}
