// The inputs of invitations and password resets, shared by the forms and the server (no
// server-only imports) so both refuse the same things with the same words.
import { z } from "zod";
import { ROLES } from "../access/permissions";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../account/password-change";
import { displayName } from "../text/strings";

export const emailInput = z.string().trim().toLowerCase().email("Enter a valid email address").max(320, "At most 320 characters");

const teamIds = z.array(z.string().uuid()).max(100);

/** A team lead without teams would see nothing: the form and the server both ask for at least one. */
function teamLeadHasTeams(input: { role: string; teamIds: string[] }) {
  return input.role !== "team_lead" || input.teamIds.length > 0;
}
const teamLeadMessage = { message: "Choose at least one team for a team lead", path: ["teamIds"] };

/** The person's name is theirs to give when they accept; the invitation names the address and the access. */
export const invitationInput = z.object({ email: emailInput, role: z.enum(ROLES), teamIds: teamIds.default([]) }).refine(teamLeadHasTeams, teamLeadMessage);
export type InvitationInput = z.infer<typeof invitationInput>;

/** A member's new role and teams; the same rule as an invitation's (a team lead leads at least one team). */
export const memberUpdateInput = z.object({ membershipId: z.string().uuid(), role: z.enum(ROLES), teamIds }).refine(teamLeadHasTeams, teamLeadMessage);
export const memberRef = z.object({ membershipId: z.string().uuid() });
export const invitationRef = z.object({ invitationId: z.string().uuid() });

export const personName = displayName({ max: 200, required: "Enter your name" });

export const newPassword = z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`).max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters`);

const confirmed = <T extends { password: string; confirmPassword: string }>(input: T) => input.password === input.confirmPassword;
const confirmMessage = { message: "The two passwords differ", path: ["confirmPassword"] };

/** Accepting an invitation as someone new: the account is made with these. */
export const newAccountInput = z.object({ name: personName, password: newPassword, confirmPassword: z.string().max(MAX_PASSWORD_LENGTH) }).refine(confirmed, confirmMessage);

export const passwordResetRequestInput = z.object({ email: emailInput });

export const passwordResetInput = z.object({ password: newPassword, confirmPassword: z.string().max(MAX_PASSWORD_LENGTH) }).refine(confirmed, confirmMessage);
