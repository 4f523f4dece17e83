// Reads an A2A Agent Card for the import form: pasted JSON, or fetched from an agent's URL (bounded
// in time and size; http(s) only). Agents usually live on internal networks, so private addresses
// are allowed: only people who may register agents can ask for this, and the answer must parse as
// a card. Nothing is stored: the form shows the registry fields and the person saves them.
import { agentCardSchema, cardUrls, fieldsFromCard } from "../domain/agents/a2a-card";
import { refuse } from "../domain/refusal";

const TIMEOUT_MS = 5000;
const MAX_BYTES = 256 * 1024;

/** The registry fields of a card given as JSON text or found at a URL; refuses what is not a card. */
export async function readAgentCard(source: { json: string } | { url: string }) {
  const raw = "json" in source ? parseJson(source.json) : await fetchAgentCard(source.url);
  const card = agentCardSchema.safeParse(raw);
  if (!card.success) {
    refuse("BAD_REQUEST", `Not an A2A Agent Card: ${card.error.issues.map((issue) => `${issue.path.join(".") || "card"}: ${issue.message}`).join("; ")}`);
  }
  return fieldsFromCard(card.data);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return refuse("BAD_REQUEST", "That is not valid JSON.");
  }
}

async function fetchAgentCard(input: string): Promise<unknown> {
  const url = new URL(input);
  if (url.protocol !== "http:" && url.protocol !== "https:") refuse("BAD_REQUEST", "Give an http(s) URL.");
  const problems: string[] = [];
  for (const candidate of cardUrls(url.toString())) {
    try {
      const response = await fetch(candidate, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "follow", headers: { accept: "application/json" } });
      if (!response.ok) {
        problems.push(`${candidate}: HTTP ${response.status}`);
        continue;
      }
      const text = await readBounded(response);
      return JSON.parse(text) as unknown;
    } catch (error) {
      problems.push(`${candidate}: ${(error as Error).message}`);
    }
  }
  return refuse("BAD_REQUEST", `No Agent Card found. ${problems.join("; ")}`);
}

async function readBounded(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BYTES) {
      await reader.cancel();
      throw new Error("the card is larger than 256 KiB");
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
