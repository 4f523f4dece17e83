"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useCan, useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/form";
import { LocalTime } from "@/components/ui/local-time";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { formLevelMessage, serverFieldErrors, validate } from "@/components/ui/form-check";
import { orgNameInput } from "@/server/domain/org/schemas";

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="mt-1 text-sm text-slate-900">{children}</dd>
    </div>
  );
}

export function OrgSection() {
  const org = useOrg();
  const trpc = useTRPC();
  const canAdmin = useCan("org:admin");
  const details = useQuery(trpc.org.get.queryOptions({ orgId: org.orgId }));

  return (
    <Card>
      <CardHeader title="Organisation" description={canAdmin ? "The name people see across the console and in exports." : "Only owners and admins can change these settings."} />
      <div className="px-5 py-5">
        <QueryBoundary query={details} label="the organisation" skeleton={["h-4 w-32", "h-9 w-full max-w-md"]}>
          {(data) => (
            <div className="space-y-6">
              {canAdmin ? <OrgNameForm currentName={data.name} /> : null}
              <dl className="grid grid-cols-[repeat(auto-fit,minmax(10rem,1fr))] gap-x-6 gap-y-4">
                {canAdmin ? null : <Detail label="Name">{data.name}</Detail>}
                <Detail label="Address">
                  <span className="font-mono text-[13px]">/{data.slug}</span>
                </Detail>
                <Detail label="Teams">{data.teamCount}</Detail>
                <Detail label="Members">{data.memberCount}</Detail>
                <Detail label="Created">
                  <LocalTime value={data.createdAt} />
                </Detail>
              </dl>
            </div>
          )}
        </QueryBoundary>
      </div>
    </Card>
  );
}

function OrgNameForm({ currentName }: { currentName: string }) {
  const org = useOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState(currentName);
  const [clientError, setClientError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.org.update.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await queryClient.invalidateQueries({ queryKey: trpc.org.get.queryKey({ orgId: org.orgId }) });
        // The sidebar shows the name from the server layout.
        router.refresh();
      },
    }),
  );
  const fieldError = clientError ?? serverFieldErrors<"name">(update.error).name ?? null;
  const formError = formLevelMessage(update.error);
  const unchanged = name.trim() === currentName;

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const checked = validate(orgNameInput, { name });
    if (!checked.ok) {
      setClientError(checked.errors.name ?? "Check the name");
      return;
    }
    setClientError(null);
    update.mutate({ orgId: org.orgId, name: checked.data.name });
  }

  return (
    <form onSubmit={submit} noValidate className="flex max-w-xl flex-wrap items-start gap-3">
      <div className="min-w-64 flex-1">
        <Field label="Organisation name" htmlFor="org-name" error={fieldError}>
          <Input
            id="org-name"
            value={name}
            maxLength={120}
            onChange={(event) => {
              setName(event.target.value);
              setSaved(false);
            }}
            aria-invalid={Boolean(fieldError)}
            aria-describedby={fieldError ? "org-name-error" : undefined}
          />
        </Field>
      </div>
      <Button type="submit" className="mt-7" disabled={update.isPending || unchanged}>
        {update.isPending ? "Saving…" : "Save name"}
      </Button>
      <div className="basis-full" aria-live="polite">
        {formError ? (
          <p role="alert" className="text-sm font-medium text-red-600">
            {formError}
          </p>
        ) : saved && unchanged ? (
          <p className="text-sm text-emerald-700">Saved.</p>
        ) : null}
      </div>
    </form>
  );
}
