"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useCan, useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Alert, errorMessage } from "@/components/ui/feedback";

/**
 * Evaluating the controls now, for one agent or all of them: the button for a card's header (for
 * those who may) and, when it was refused, the reason to show under the header.
 */
export function useEvaluation(label: string, agentId?: string): { action: ReactNode; failure: ReactNode } {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan("compliance:write");
  const evaluate = useMutation(trpc.compliance.evaluate.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.compliance.pathKey() }) }));
  return {
    action: canWrite ? (
      <Button variant="secondary" onClick={() => evaluate.mutate({ orgId: org.orgId, ...(agentId ? { agentId } : {}) })} disabled={evaluate.isPending} aria-busy={evaluate.isPending}>
        {evaluate.isPending ? "Evaluating…" : label}
      </Button>
    ) : null,
    failure: evaluate.error ? (
      <div className="px-5 pt-4">
        <Alert tone="bad" title="Not evaluated">
          {errorMessage(evaluate.error)}
        </Alert>
      </div>
    ) : null,
  };
}
