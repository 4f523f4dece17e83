"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { createAgentKeyInput } from "@/server/domain/keys/schemas";
import { ApiKeysCard } from "./api-keys-card";

/** An agent's own keys: each speaks only for this agent. */
export function AgentKeys({ agent }: { agent: { id: string; name: string; status: string } }) {
  const org = useOrg();
  const trpc = useTRPC();
  const keys = useQuery(trpc.keys.forAgent.queryOptions({ orgId: org.orgId, agentId: agent.id }));
  const create = useMutation(trpc.keys.createAgentKey.mutationOptions());
  return (
    <ApiKeysCard
      title="Keys"
      description={
        <>
          The agent sends one as <code className="font-mono text-xs">Authorization: Bearer …</code>. Keys are shown once and stored hashed; they are listed here by their first characters.
        </>
      }
      keys={keys}
      caption={`Keys of ${agent.name}`}
      empty="No keys yet"
      newKey={{ label: "New key", placeholder: "Where it is used, e.g. production" }}
      maker={{
        schema: createAgentKeyInput,
        input: (name) => ({ agentId: agent.id, name }),
        send: (input, onCreated) => create.mutate({ orgId: org.orgId, ...input }, { onSuccess: onCreated }),
        isPending: create.isPending,
        error: create.error,
      }}
      exampleAgent={null}
      consequence={`${agent.name} can no longer report in or ask for decisions with it.`}
      blocked={agent.status === "archived" ? <p className="text-sm text-slate-600">This agent is archived, and archiving revoked its keys. Restore it to give it a new key.</p> : undefined}
    />
  );
}
