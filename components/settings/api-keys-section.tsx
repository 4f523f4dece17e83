"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiKeyTable, exampleCurl, NewKeyForm, RevokeKeyDialog, SecretOnce, type ApiKeyRow } from "@/components/agents/api-keys";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { Card, CardHeader } from "@/components/ui/card";
import { QueryError, Skeleton } from "@/components/ui/feedback";

/** Org ingest keys (admins only): one key for a collector that reports for many agents, each event naming its agent. */
export function ApiKeysSection() {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.keys.ingest.queryOptions({ orgId: org.orgId }));
  const [created, setCreated] = useState<{ key: string; name: string; count: number } | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyRow | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.keys.ingest.queryKey({ orgId: org.orgId }) });

  const create = useMutation(
    trpc.keys.createIngestKey.mutationOptions({
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

  return (
    <Card>
      <CardHeader
        title="Org ingest keys"
        description={
          <>
            For collectors and gateways that report telemetry for many agents: every event names its agent (<code className="font-mono text-xs">&quot;agent&quot;</code>).
            An agent name the registry does not know is added as discovered, pending review. Agents that ask for decisions need their own agent key (on the agent&apos;s page).
          </>
        }
      />
      <div className="border-b border-slate-200 bg-slate-50/60 px-5 py-4">
        {created && created.key ? (
          <SecretOnce secret={created.key} name={created.name} curl={exampleCurl(created.key, "my-agent")} onDone={() => setCreated({ ...created, key: "" })} />
        ) : (
          <NewKeyForm
            key={created?.count ?? 0}
            label="New ingest key"
            placeholder="Where it is used, e.g. otel-collector"
            pending={create.isPending}
            error={create.error?.message ?? null}
            onCreate={(name) => create.mutate({ orgId: org.orgId, name })}
          />
        )}
      </div>
      {keys.error ? (
        <div className="p-5">
          <QueryError error={keys.error} retry={() => void keys.refetch()} />
        </div>
      ) : keys.data ? (
        <ApiKeyTable
          keys={keys.data}
          caption="Org ingest keys"
          empty="No ingest keys yet"
          onRevoke={(key) => {
            revoke.reset();
            setRevoking(key);
          }}
        />
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
        consequence="collectors using it can no longer report events."
      />
    </Card>
  );
}
