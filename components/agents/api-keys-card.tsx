"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import type { z } from "zod";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { Card, CardHeader } from "@/components/ui/card";
import { QueryBoundary, type QueryView } from "@/components/ui/query-boundary";
import { ApiKeyTable, exampleCurl, NewKeyForm, RevokeKeyDialog, SecretOnce, type ApiKeyRow } from "./api-keys";

/** How a card makes a key: its procedure's input schema, the input for a name, and the call (with its state). */
export interface KeyMaker<Input> {
  schema: z.ZodType<Input>;
  input: (name: string) => Input;
  send: (input: Input, onCreated: (result: { key: string }) => void) => void;
  isPending: boolean;
  error: unknown;
}

/**
 * A card of API keys (an agent's own, or the org's ingest keys): the new-key form, the secret
 * shown once with a request to try it, and the list with its revoke action.
 */
export function ApiKeysCard<Input>({
  title,
  description,
  keys,
  caption,
  empty,
  newKey,
  maker,
  exampleAgent,
  consequence,
  blocked,
}: {
  title: string;
  description: ReactNode;
  keys: QueryView<ApiKeyRow[]>;
  caption: string;
  empty: string;
  newKey: { label: string; placeholder: string };
  maker: KeyMaker<Input>;
  /** The agent name the example request reports for (ingest keys name their agent on every event). */
  exampleAgent: string | null;
  consequence: string;
  /** Instead of the new-key form, when no key may be made (an archived agent). */
  blocked?: ReactNode;
}) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<{ key: string; name: string; count: number } | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyRow | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.keys.pathKey() });
  const revoke = useMutation(
    trpc.keys.revoke.mutationOptions({
      onSuccess: async () => {
        setRevoking(null);
        await invalidate();
      },
    }),
  );

  const create = (name: string) =>
    maker.send(maker.input(name), (result) => {
      setCreated((current) => ({ key: result.key, name, count: (current?.count ?? 0) + 1 }));
      void invalidate();
    });

  return (
    <Card>
      <CardHeader title={title} description={description} />
      <div className="border-b border-slate-200 bg-slate-50/60 px-5 py-4">
        {created && created.key ? (
          <SecretOnce secret={created.key} name={created.name} curl={exampleCurl(created.key, exampleAgent)} onDone={() => setCreated({ ...created, key: "" })} />
        ) : (
          (blocked ?? (
            <NewKeyForm
              key={created?.count ?? 0}
              label={newKey.label}
              placeholder={newKey.placeholder}
              check={(name) => maker.schema.safeParse(maker.input(name))}
              pending={maker.isPending}
              error={maker.error}
              onCreate={create}
            />
          ))
        )}
      </div>
      <QueryBoundary query={keys} label="keys" inset>
        {(rows) => (
          <ApiKeyTable
            keys={rows}
            caption={caption}
            empty={empty}
            onRevoke={(key) => {
              revoke.reset();
              setRevoking(key);
            }}
          />
        )}
      </QueryBoundary>
      <RevokeKeyDialog
        keyRow={revoking}
        onClose={() => setRevoking(null)}
        pending={revoke.isPending}
        error={revoke.error?.message ?? null}
        onConfirm={(key) => revoke.mutate({ orgId: org.orgId, keyId: key.id })}
        consequence={consequence}
      />
    </Card>
  );
}
