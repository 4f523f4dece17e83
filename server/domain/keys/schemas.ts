// The inputs of the keys procedures, shared by the console's forms and the router (no server-only
// imports), so both refuse the same names with the same words.
import { z } from "zod";

/** What a key is called: where it is used. */
export const keyName = z.string().trim().min(1, "Name the key (where it is used)").max(100, "At most 100 characters");

export const agentKeysInput = z.object({ agentId: z.string().uuid() });
export const createAgentKeyInput = z.object({ agentId: z.string().uuid(), name: keyName });
export const createIngestKeyInput = z.object({ name: keyName });
export const revokeKeyInput = z.object({ keyId: z.string().uuid() });
