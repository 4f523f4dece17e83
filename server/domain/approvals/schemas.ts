// The inputs of the approval procedures, shared by the console's queue and the router (no
// server-only imports), so both refuse the same things with the same words.
import { z } from "zod";

export const approvalListInput = z.object({
  view: z.enum(["pending", "history"]),
  status: z.enum(["approved", "denied", "expired"]).optional(),
  agentId: z.string().uuid().optional(),
  teamId: z.string().uuid().optional(),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().uuid().optional(),
});

export const decideApprovalInput = z.object({
  approvalId: z.string().uuid(),
  decision: z.enum(["approve", "deny"]),
  note: z.string().trim().max(1000, "At most 1000 characters").optional(),
});
