// The fields people set on an agent, validated once for the console form and the API behind it.
import { z } from "zod";
import { displayName, readableText } from "../text/strings";

export const DATA_CATEGORIES = ["PII", "PHI", "PCI", "financial", "biometric", "minors"] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export const FRAMEWORKS = ["LangChain", "LangGraph", "CrewAI", "AutoGen", "OpenAI Agents SDK", "LlamaIndex", "Semantic Kernel", "Google ADK", "A2A", "Custom"] as const;

export const AGENT_NAME_RULE = /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/;

// Tags, models and tools are names people read and filter by: they must display as what they are.
const label = displayName({ max: 100, required: "Enter a value" });
const list = (max: number) =>
  z
    .array(label)
    .max(max)
    .transform((items) => [...new Set(items)]);

export const agentFieldsSchema = z.object({
  name: z.string().trim().min(1, "Enter a name").max(100, "At most 100 characters").regex(AGENT_NAME_RULE, "Letters, digits, spaces, dots, dashes and underscores; start with a letter or digit"),
  description: readableText(2000).default(""),
  owner: displayName({ max: 320, min: 0 }).nullable().default(null),
  teamId: z.string().uuid().nullable(),
  framework: displayName({ max: 60, min: 0 }).nullable().default(null),
  models: list(50).default([]),
  tools: list(200).default([]),
  dataCategories: z.array(z.enum(DATA_CATEGORIES)).max(DATA_CATEGORIES.length).default([]),
  tags: list(50).default([]),
  version: displayName({ max: 100, min: 0 }).nullable().default(null),
  heartbeatIntervalSec: z.number().int().min(5, "At least 5 seconds").max(3600, "At most an hour").default(30),
});
export type AgentFields = z.infer<typeof agentFieldsSchema>;
