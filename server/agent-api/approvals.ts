// GET /api/v1/approvals/:id: the agent that asked reads its request, and with `?waitMs=` waits for
// a person to decide it. The wait ends as soon as the status leaves `pending` (woken by the
// `approval` change on agentry_changes, with a slow re-read as a safety net), at the request's
// expiry, at the end of the wait, or when the client goes away.
import "server-only";
import { approvalStatus, APPROVAL_CHANGE_KIND, type ApprovalStatusAnswer } from "../data/approvals";
import { changeConcerns, isListening, onChange } from "../db/notify";
import { parseWaitMs } from "../domain/approvals/rules";
import type { AgentPrincipal, AgentProfile } from "./auth";
import { ApiError } from "./http";
import type { ApprovalResponse } from "./schemas";

/** Re-read this often while LISTEN is up (a missed notification costs at most this much)… */
const SAFETY_POLL_MS = 2_000;
/** …and this often while it is not. */
const FALLBACK_POLL_MS = 250;

export async function getApproval(principal: AgentPrincipal, agent: AgentProfile, id: string, rawWaitMs: string | null, signal: AbortSignal): Promise<ApprovalResponse> {
  const wait = parseWaitMs(rawWaitMs);
  if (!wait.ok) throw new ApiError("invalid_request", wait.message, [{ path: "waitMs", message: wait.message }]);
  const read = async () => {
    const answer = await approvalStatus(principal.orgId, agent.id, id);
    // Another agent's request is as unknown as one that does not exist.
    if (!answer) throw new ApiError("not_found", "No approval request with that id for this agent.");
    return answer;
  };
  let answer = await read();
  if (answer.status === "pending" && wait.value > 0) answer = await waitForDecision(principal.orgId, answer, read, Date.now() + wait.value, signal);
  return toResponse(answer);
}

function toResponse(answer: ApprovalStatusAnswer): ApprovalResponse {
  return {
    status: answer.status,
    ...(answer.decidedBy !== undefined ? { decidedBy: answer.decidedBy } : {}),
    ...(answer.decidedAt !== undefined ? { decidedAt: answer.decidedAt } : {}),
  };
}

async function waitForDecision(orgId: string, first: ApprovalStatusAnswer, read: () => Promise<ApprovalStatusAnswer>, deadline: number, signal: AbortSignal): Promise<ApprovalStatusAnswer> {
  let answer = first;
  let wake: (() => void) | null = null;
  let changed = false;
  const unsubscribe = onChange((change) => {
    if (!changeConcerns(change, orgId, [APPROVAL_CHANGE_KIND])) return;
    changed = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener("abort", onAbort);
  try {
    while (answer.status === "pending" && !signal.aborted) {
      const now = Date.now();
      if (now >= deadline) break;
      // Wake at the next of: the deadline, the request's expiry, the next re-read.
      const until = Math.min(deadline, answer.expiresAt.getTime() + 1, now + (isListening() ? SAFETY_POLL_MS : FALLBACK_POLL_MS));
      if (!changed) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(0, until - now));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
      changed = false;
      if (signal.aborted) break;
      answer = await read();
    }
    return answer;
  } finally {
    unsubscribe();
    signal.removeEventListener("abort", onAbort);
  }
}
