// The inputs of the kill-switch procedures, shared by the console's forms and the router (no
// server-only imports), so both refuse the same things with the same words.
import { z } from "zod";
import { KILL_SWITCH_SCOPES } from "./match";

export const killSwitchScope = z.enum(KILL_SWITCH_SCOPES);
const reason = z.string().trim().min(3, "Say why (at least 3 characters)").max(500, "At most 500 characters");

export const killSwitchTargetsInput = z.object({ scope: killSwitchScope });
export const agentSwitchInput = z.object({ agentId: z.string().uuid() });

export const engageKillSwitchInput = z.object({
  scope: killSwitchScope,
  /** Agent id, team id, model name or tag; ignored for the org. */
  target: z.string().trim().max(200),
  reason,
  /** Must equal the target's name (the org's name for an org switch). */
  confirmation: z.string().max(200),
});

export const releaseKillSwitchInput = z.object({ id: z.string().uuid(), reason });
