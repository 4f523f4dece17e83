"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { Card, CardHeader } from "@/components/ui/card";
import { QueryError, Skeleton } from "@/components/ui/feedback";
import { ApiKeyTable, exampleCurl, NewKeyForm, RevokeKeyDialog, SecretOnce, type ApiKeyRow } from "./api-keys";

/** An agent's own keys: each speaks only for this agent. */
export function AgentKeys({ agent }: { agent: { id: string; name: string; status: string } }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.keys.forAgent.queryOptions({ orgId: org.orgId, agentId: agent.id }));
  const [created, setCreated] = useState<{ key: string; name: string; count: number } | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyRow | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.keys.forAgent.queryKey({ orgId: org.orgId, agentId: agent.id }) });

  const create = useMutation(
    trpc.keys.createAgentKey.mutationOptions({
      onSuccess: async (result, variables) => {
        setCreated((current) => ({ key: result.key, name: variables.name, count: (current?.count ?? 0) + 1 }));
        await invalidate();
      },
    }),
  );
  const revoke = useMutation(
    trpc.keys.revoke.mutationOptions({
      onSuccess: async () => {
        setRevoking(null);
        await invalidate();
      },
    }),
  );
  const archived = agent.status === "archived";

  return (
    <Card>
      <CardHeader
        title="Keys"
        description={
          <>
            The agent sends one as <code className="font-mono text-xs">Authorization: Bearer …</code>. Keys are shown once and stored hashed; they are listed here by
            their first characters.
          </>
        }
      />
      <div className="border-b border-slate-200 bg-slate-50/60 px-5 py-4">
        {created && created.key ? (
          <SecretOnce secret={created.key} name={created.name} curl={exampleCurl(created.key, null)} onDone={() => setCreated({ ...created, key: "" })} />
        ) : archived ? (
          <p className="text-sm text-slate-600">This agent is archived, and archiving revoked its keys. Restore it to give it a new key.</p>
        ) : (
          <NewKeyForm
            key={created?.count ?? 0}
            label="New key"
            placeholder="Where it is used, e.g. production"
            pending={create.isPending}
            error={create.error?.message ?? null}
            onCreate={(name) => create.mutate({ orgId: org.orgId, agentId: agent.id, name })}
          />
        )}
      </div>
      {keys.error ? (
        <div className="p-5">
          <QueryError error={keys.error} retry={() => void keys.refetch()} />
        </div>
      ) : keys.data ? (
        <ApiKeyTable keys={keys.data} caption={`Keys of ${agent.name}`} onRevoke={(key) => {
            revoke.reset();
            setRevoking(key);
          }} empty="No keys yet" />
      ) : (
        <div className="space-y-3 p-5" aria-busy="true">
          <Skeleton className="h-5 w-full" />
          <Skeleton className="h-5 w-2/3" />
        </div>
      )}
      <RevokeKeyDialog
        keyRow={revoking}
        onClose={() => setRevoking(null)}
        pending={revoke.isPending}
        error={revoke.error?.message ?? null}
        onConfirm={(key) => revoke.mutate({ orgId: org.orgId, keyId: key.id })}
        consequence={`${agent.name} can no longer report in or ask for decisions with it.`}
      />
    </Card>
  );
}
