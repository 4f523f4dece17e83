"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/form";
import { dateRangeError, EMPTY_AUDIT_SEARCH, hasFilters, type AuditSearch } from "./filters";

/**
 * The filter form. It edits a draft; "Apply filters" puts it in the URL (the page reads the URL),
 * so a filtered view is a link that can be shared. Re-mount it (key) when the URL changes.
 */
export function AuditFilters({ value, onApply }: { value: AuditSearch; onApply: (search: AuditSearch) => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const id = useId();
  const [draft, setDraft] = useState<AuditSearch>(value);
  const [submitted, setSubmitted] = useState(false);
  const actions = useQuery(trpc.audit.actions.queryOptions({ orgId: org.orgId }));
  const teams = useQuery(trpc.teams.list.queryOptions({ orgId: org.orgId }));
  const rangeError = dateRangeError(draft);

  const set = (key: keyof AuditSearch) => (event: { target: { value: string } }) => setDraft((current) => ({ ...current, [key]: event.target.value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (rangeError) return;
    onApply(draft);
  };

  // The URL may name an action that no entry has yet: keep it selectable so the select shows it.
  const actionOptions = [...new Set([...(actions.data ?? []), ...(value.action ? [value.action] : [])])].sort();

  return (
    <Card className="mb-6 px-5 py-4">
      <form onSubmit={submit} aria-label="Filter audit entries" noValidate>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3 2xl:grid-cols-6">
          <Field label="Action" htmlFor={`${id}-action`}>
            <Select id={`${id}-action`} value={draft.action} onChange={set("action")} disabled={actions.isPending && !value.action}>
              <option value="">All actions</option>
              {actionOptions.map((action) => (
                <option key={action} value={action}>
                  {action}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Actor" htmlFor={`${id}-actor`}>
            <Input id={`${id}-actor`} type="search" value={draft.actor} onChange={set("actor")} placeholder="email or name" maxLength={320} />
          </Field>
          <Field label="Target type" htmlFor={`${id}-target`}>
            <Input id={`${id}-target`} type="search" value={draft.targetType} onChange={set("targetType")} placeholder="e.g. team" maxLength={60} />
          </Field>
          <Field label="Team" htmlFor={`${id}-team`}>
            <Select id={`${id}-team`} value={draft.teamId} onChange={set("teamId")}>
              <option value="">{org.role === "team_lead" ? "All my teams" : "All teams"}</option>
              {(teams.data ?? []).map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
              {draft.teamId && teams.data && !teams.data.some((team) => team.id === draft.teamId) ? <option value={draft.teamId}>Unknown team</option> : null}
            </Select>
          </Field>
          <Field label="From" htmlFor={`${id}-from`}>
            <Input id={`${id}-from`} type="date" value={draft.from} onChange={set("from")} max={draft.to || undefined} />
          </Field>
          <Field label="To" htmlFor={`${id}-to`} error={submitted ? rangeError : null}>
            <Input
              id={`${id}-to`}
              type="date"
              value={draft.to}
              onChange={set("to")}
              min={draft.from || undefined}
              aria-invalid={submitted && rangeError ? true : undefined}
              aria-describedby={submitted && rangeError ? `${id}-to-error` : undefined}
            />
          </Field>
        </div>
        <div className="mt-4 flex flex-wrap items-center gap-2">
          <Button type="submit">Apply filters</Button>
          {hasFilters(value) || hasFilters(draft) ? (
            <Button
              variant="ghost"
              onClick={() => {
                setDraft(EMPTY_AUDIT_SEARCH);
                onApply(EMPTY_AUDIT_SEARCH);
              }}
            >
              Clear filters
            </Button>
          ) : null}
          <p className="text-xs text-slate-500">Dates are whole days in your time zone. The link in the address bar shares this view.</p>
        </div>
      </form>
    </Card>
  );
}
