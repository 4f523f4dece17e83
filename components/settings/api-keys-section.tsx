"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { ApiKeysCard } from "@/components/agents/api-keys-card";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { createIngestKeyInput } from "@/server/domain/keys/schemas";

/** Org ingest keys (admins only): one key for a collector that reports for many agents, each event naming its agent. */
export function ApiKeysSection() {
  const org = useOrg();
  const trpc = useTRPC();
  const keys = useQuery(trpc.keys.ingest.queryOptions({ orgId: org.orgId }));
  const create = useMutation(trpc.keys.createIngestKey.mutationOptions());
  return (
    <ApiKeysCard
      title="Org ingest keys"
      description={
        <>
          For collectors and gateways that report telemetry for many agents: every event names its agent (<code className="font-mono text-xs">&quot;agent&quot;</code>). An agent name the registry does not know
          is added as discovered, pending review. Agents that ask for decisions need their own agent key (on the agent&apos;s page).
        </>
      }
      keys={keys}
      caption="Org ingest keys"
      empty="No ingest keys yet"
      newKey={{ label: "New ingest key", placeholder: "Where it is used, e.g. otel-collector" }}
      maker={{
        schema: createIngestKeyInput,
        input: (name) => ({ name }),
        send: (input, onCreated) => create.mutate({ orgId: org.orgId, ...input }, { onSuccess: onCreated }),
        isPending: create.isPending,
        error: create.error,
      }}
      exampleAgent="my-agent"
      consequence="collectors using it can no longer report events."
    />
  );
}
