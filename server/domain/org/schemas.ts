// The names an admin gives the org and its teams, one rule for the settings forms and the routers.
// Names people read must display as what they are (no bidi overrides or invisible characters).
import { z } from "zod";
import { displayName } from "../text/strings";

export const orgName = displayName({ max: 120 });
export const teamName = displayName({ max: 80, required: "Enter a team name" });

export const orgNameInput = z.object({ name: orgName });
export const teamNameInput = z.object({ name: teamName });
export const renameTeamInput = z.object({ teamId: z.string().uuid(), name: teamName });
