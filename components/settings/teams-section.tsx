"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useCan, useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { DataTable, type Column } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/feedback";
import { Field, Input } from "@/components/ui/form";
import { LocalTime } from "@/components/ui/local-time";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { formLevelMessage, serverFieldErrors, validate } from "@/components/ui/form-check";
import { renameTeamInput, teamNameInput } from "@/server/domain/org/schemas";

type Team = RouterOutputs["teams"]["list"][number];

export function TeamsSection() {
  const org = useOrg();
  const trpc = useTRPC();
  const canAdmin = useCan("org:admin");
  const teams = useQuery(trpc.teams.list.queryOptions({ orgId: org.orgId }));
  const [renaming, setRenaming] = useState<string | null>(null);

  const columns: Column<Team>[] = [
    {
      key: "name",
      header: "Team",
      sortValue: (team) => team.name,
      render: (team) => (renaming === team.id ? <RenameTeamForm team={team} onDone={() => setRenaming(null)} /> : <span className="font-medium text-slate-900">{team.name}</span>),
    },
    { key: "leads", header: "Team leads", sortValue: (team) => team.leadCount, render: (team) => <span className="tabular-nums">{team.leadCount}</span> },
    { key: "created", header: "Created", sortValue: (team) => new Date(team.createdAt).getTime(), render: (team) => <LocalTime value={team.createdAt} /> },
  ];
  if (canAdmin) {
    columns.push({
      key: "actions",
      header: "Actions",
      className: "w-28 text-right",
      render: (team) =>
        renaming === team.id ? null : (
          <Button variant="ghost" size="sm" className="-my-1" aria-label={`Rename team ${team.name}`} onClick={() => setRenaming(team.id)}>
            Rename
          </Button>
        ),
    });
  }

  return (
    <Card>
      <CardHeader
        title="Teams"
        description={
          org.role === "team_lead"
            ? "The teams you lead. Owners and admins manage teams."
            : canAdmin
              ? "Agents, budgets and team leads belong to teams."
              : "Agents, budgets and team leads belong to teams. Owners and admins manage them."
        }
      />
      {canAdmin ? (
        <div className="border-b border-slate-200 bg-slate-50/60 px-5 py-4">
          <NewTeamForm />
        </div>
      ) : null}
      <QueryBoundary query={teams} label="teams" inset>
        {(data) => (
          <DataTable
            rows={data}
            columns={columns}
            rowKey={(team) => team.id}
            caption="Teams"
            initialSort={{ key: "name", direction: "asc" }}
            empty={<EmptyState title="No teams yet">{canAdmin ? "Create the first team above." : "Owners and admins create teams."}</EmptyState>}
          />
        )}
      </QueryBoundary>
    </Card>
  );
}

function useInvalidateTeams() {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([queryClient.invalidateQueries({ queryKey: trpc.teams.list.queryKey({ orgId: org.orgId }) }), queryClient.invalidateQueries({ queryKey: trpc.org.get.queryKey({ orgId: org.orgId }) })]);
}

function NewTeamForm() {
  const org = useOrg();
  const trpc = useTRPC();
  const invalidate = useInvalidateTeams();
  const [name, setName] = useState("");
  const [clientError, setClientError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation(
    trpc.teams.create.mutationOptions({
      onSuccess: async (team) => {
        setName("");
        setCreated(team.name);
        await invalidate();
      },
    }),
  );
  const error = clientError ?? serverFieldErrors<"name">(create.error).name ?? formLevelMessage(create.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    setCreated(null);
    const checked = validate(teamNameInput, { name });
    if (!checked.ok) {
      setClientError(checked.errors.name ?? "Check the name");
      return;
    }
    setClientError(null);
    create.mutate({ orgId: org.orgId, name: checked.data.name });
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-wrap items-start gap-3">
      <div className="w-full max-w-sm">
        <Field label="New team" htmlFor="new-team-name" error={error}>
          <Input
            id="new-team-name"
            value={name}
            maxLength={80}
            placeholder="e.g. Legal"
            onChange={(event) => {
              setName(event.target.value);
              setClientError(null);
              setCreated(null);
              if (create.error) create.reset();
            }}
            aria-invalid={Boolean(error)}
            aria-describedby={error ? "new-team-name-error" : undefined}
          />
        </Field>
      </div>
      <Button type="submit" className="mt-7" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create team"}
      </Button>
      <p aria-live="polite" className="mt-9 text-sm text-emerald-700">
        {created ? `Team “${created}” created.` : null}
      </p>
    </form>
  );
}

function RenameTeamForm({ team, onDone }: { team: Team; onDone: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const invalidate = useInvalidateTeams();
  const [name, setName] = useState(team.name);
  const [clientError, setClientError] = useState<string | null>(null);
  const rename = useMutation(
    trpc.teams.rename.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        onDone();
      },
      // The Save button was disabled while pending, which dropped focus: give it back to the name.
      onError: () => document.getElementById(`rename-team-${team.id}`)?.focus(),
    }),
  );
  const error = clientError ?? serverFieldErrors<"name">(rename.error).name ?? formLevelMessage(rename.error);
  const inputId = `rename-team-${team.id}`;

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = validate(renameTeamInput, { teamId: team.id, name });
    if (!checked.ok) {
      setClientError(checked.errors.name ?? "Check the name");
      return;
    }
    setClientError(null);
    if (checked.data.name === team.name) return onDone();
    rename.mutate({ orgId: org.orgId, teamId: team.id, name: checked.data.name });
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      onKeyDown={(event) => {
        if (event.key === "Escape") onDone();
      }}
      className="-my-1 flex flex-wrap items-start gap-2"
    >
      <div className="w-56">
        <label htmlFor={inputId} className="sr-only">
          New name for team {team.name}
        </label>
        <Input
          id={inputId}
          value={name}
          maxLength={80}
          autoFocus
          className="py-1.5"
          onChange={(event) => {
            setName(event.target.value);
            setClientError(null);
            if (rename.error) rename.reset();
          }}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? `${inputId}-error` : undefined}
        />
        {error ? (
          <p id={`${inputId}-error`} role="alert" className="mt-1 text-xs font-medium text-red-600">
            {error}
          </p>
        ) : null}
      </div>
      <Button type="submit" size="sm" disabled={rename.isPending}>
        {rename.isPending ? "Saving…" : "Save"}
      </Button>
      <Button variant="secondary" size="sm" onClick={onDone}>
        Cancel
      </Button>
    </form>
  );
}
