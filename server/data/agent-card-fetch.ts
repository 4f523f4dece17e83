// Fetches an A2A Agent Card from an agent's URL for the import form. Bounded in time and size;
// http(s) only. Agents usually live on internal networks, so private addresses are allowed: only
// people who may register agents can ask for this, and the answer must parse as a card.
import { TRPCError } from "@trpc/server";
import { cardUrls } from "../domain/agents/a2a-card";

const TIMEOUT_MS = 5000;
const MAX_BYTES = 256 * 1024;

export async function fetchAgentCard(input: string): Promise<unknown> {
  const url = new URL(input);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new TRPCError({ code: "BAD_REQUEST", message: "Give an http(s) URL." });
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
  throw new TRPCError({ code: "BAD_REQUEST", message: `No Agent Card found. ${problems.join("; ")}` });
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
