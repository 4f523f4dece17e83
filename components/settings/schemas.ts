// The client's copies of the settings routers' input rules (server/api/routers/{org,teams,members}.ts
// define them inline; those files import server-only code, so the browser cannot import them).
// Keep the messages identical: a field shows the same words whichever side refused it.
import { z } from "zod";
import { ROLES } from "@/server/domain/access/permissions";

export const orgNameInput = z.object({ name: z.string().trim().min(1, "Enter a name").max(120, "At most 120 characters") });

export const teamNameInput = z.object({ name: z.string().trim().min(1, "Enter a team name").max(80, "At most 80 characters") });

const teamIds = z.array(z.string().uuid()).max(100);

/** A team lead without teams would see nothing: the form asks for at least one. */
function teamLeadHasTeams(input: { role: string; teamIds: string[] }) {
  return input.role !== "team_lead" || input.teamIds.length > 0;
}
const teamLeadMessage = { message: "Choose at least one team for a team lead", path: ["teamIds"] };

export const inviteInput = z
  .object({
    email: z.string().trim().email("Enter a valid email address").max(320),
    name: z.string().trim().min(1, "Enter a name").max(200),
    role: z.enum(ROLES),
    teamIds,
  })
  .refine(teamLeadHasTeams, teamLeadMessage);

export const memberUpdateInput = z.object({ role: z.enum(ROLES), teamIds }).refine(teamLeadHasTeams, teamLeadMessage);
