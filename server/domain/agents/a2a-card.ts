// A2A Agent Cards (/.well-known/agent-card.json, formerly /.well-known/agent.json): what an
// agent says about itself. Only the parts that map onto the registry are read; the rest is ignored.
import { z } from "zod";
import { sanitisedText } from "../text/strings";
import { AGENT_NAME_RULE, type AgentFields } from "./agent-fields";

// A card is someone else's document: its text is made display-safe (no bidi overrides, no
// invisible characters, no lone surrogates) rather than refused, so a card still imports.
export const agentCardSchema = z.object({
  name: z.string().trim().min(1).max(200),
  description: sanitisedText(5000).optional(),
  version: sanitisedText(100).optional(),
  url: sanitisedText(2000).optional(),
  provider: z.object({ organization: sanitisedText(200).optional(), url: sanitisedText(2000).optional() }).optional(),
  skills: z
    .array(
      z.object({
        id: sanitisedText(200).optional(),
        name: sanitisedText(200),
        description: sanitisedText(2000).optional(),
        tags: z.array(sanitisedText(100)).optional(),
      }),
    )
    .max(200)
    .optional(),
});
export type AgentCard = z.infer<typeof agentCardSchema>;

/** A registry-safe name from the card's: disallowed characters become dashes. */
export function registryName(cardName: string): string {
  const cleaned = cardName
    .trim()
    .replace(/[^A-Za-z0-9 ._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 100);
  return AGENT_NAME_RULE.test(cleaned) ? cleaned : "imported-agent";
}

/** The registry fields a card fills in, and what of the card is kept on the agent's record. */
export function fieldsFromCard(card: AgentCard): Pick<AgentFields, "name" | "description" | "version" | "framework" | "tools" | "tags"> & {
  card: { url: string | null; provider: AgentCard["provider"] | null; skills: NonNullable<AgentCard["skills"]> };
} {
  const skills = card.skills ?? [];
  const tags = [...new Set(skills.flatMap((skill) => skill.tags ?? []).map((tag) => tag.trim()))].filter(Boolean).slice(0, 50);
  return {
    name: registryName(card.name),
    description: (card.description ?? "").slice(0, 2000),
    version: card.version ?? null,
    framework: "A2A",
    tools: [...new Set(skills.map((skill) => (skill.id ?? skill.name).trim()))].filter(Boolean).slice(0, 200),
    tags,
    card: { url: card.url ?? null, provider: card.provider ?? null, skills },
  };
}

/** Where to look for a card, given an agent's base URL or the card's own URL. */
export function cardUrls(input: string): string[] {
  const url = new URL(input);
  if (url.pathname.endsWith(".json")) return [url.toString()];
  const base = url.toString().replace(/\/+$/, "");
  return [`${base}/.well-known/agent-card.json`, `${base}/.well-known/agent.json`];
}
