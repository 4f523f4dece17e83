// The inputs of the agents procedures, shared by the console's forms and the router (no
// server-only imports), so both refuse the same things with the same words.
import { z } from "zod";
import { agentCardSchema } from "./a2a-card";
import { agentFieldsSchema } from "./agent-fields";

export const agentRef = z.object({ agentId: z.string().uuid() });

export const AGENT_STATUSES = ["active", "discovered", "archived"] as const;

/** The registry's search and filters (the Agents page keeps them in the URL). */
export const agentListInput = z.object({
  search: z.string().trim().max(100).optional(),
  teamId: z.string().uuid().optional(),
  status: z.enum(AGENT_STATUSES).optional(),
  framework: z.string().trim().max(60).optional(),
  includeArchived: z.boolean().optional(),
});

/** What parseCard returned as `card`, sent back with create when the agent was imported from its card. */
const importedCard = z.object({
  url: z.string().max(2000).nullable(),
  provider: agentCardSchema.shape.provider.unwrap().nullish(),
  skills: agentCardSchema.shape.skills.unwrap(),
});

export const createAgentInput = agentFieldsSchema.extend({ card: importedCard.optional() });
export const updateAgentInput = agentRef.extend({ fields: agentFieldsSchema });
export const archiveAgentInput = agentRef.extend({ reason: z.string().trim().max(500, "At most 500 characters").optional() });

/** An A2A Agent Card to read: pasted JSON, or the agent's URL to fetch it from. */
export const parseCardInput = z.union([
  z.object({
    json: z
      .string()
      .min(2, "Paste the card's JSON.")
      .max(256 * 1024, "A card is at most 256 KiB"),
  }),
  z.object({ url: z.url({ protocol: /^https?$/, error: "Enter the agent's URL, starting with https://" }).max(2000, "At most 2000 characters") }),
]);
