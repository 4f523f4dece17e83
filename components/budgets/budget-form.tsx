"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { serverFieldErrors, validate } from "@/components/ui/form-check";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { errorMessage } from "@/components/ui/feedback";
import { Field, FormButtons, FormError, Input, Select } from "@/components/ui/form";
import { formatMicroUsd } from "@/components/ui/format";
import { DEFAULT_THRESHOLDS } from "@/server/domain/budget/arithmetic";
import { budgetCreateSchema, budgetUpdateSchema, parseLimitUsd } from "@/server/domain/budget/validation";
import { availableToAllocate, type AgentInfo, type TeamInfo } from "./chart-data";
import { DialogShell, budgetName, type BudgetRow } from "./shared";
import { limitText, parseThresholds } from "./form-values";

type Scope = "org" | "team" | "agent";
type Period = "daily" | "monthly";
type Mode = "hard" | "soft";
type FieldKey = "scope" | "teamId" | "agentId" | "limitUsd" | "thresholds" | "form";

/** Create a budget (or, for a team lead, an agent's allocation), or edit one's mode, limit and thresholds. */
export function BudgetFormDialog({
  budget,
  budgets,
  agents,
  teams,
  onClose,
}: {
  budget: BudgetRow | null;
  budgets: readonly BudgetRow[];
  agents: readonly AgentInfo[];
  teams: readonly TeamInfo[];
  onClose: () => void;
}) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isLead = org.role === "team_lead";
  const [scope, setScope] = useState<Scope>(budget?.scope ?? (isLead ? "agent" : "team"));
  const [teamId, setTeamId] = useState(budget?.teamId ?? teams[0]?.id ?? "");
  const [agentId, setAgentId] = useState(budget?.agentId ?? "");
  const [period, setPeriod] = useState<Period>(budget?.period ?? "monthly");
  const [mode, setMode] = useState<Mode>(budget?.mode ?? "hard");
  const [limitUsd, setLimitUsd] = useState(budget ? limitText(budget.limitMicros) : "");
  const [thresholdText, setThresholdText] = useState((budget?.thresholds ?? DEFAULT_THRESHOLDS).join(", "));
  const [errors, setErrors] = useState<Partial<Record<FieldKey, string>>>({});

  const done = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.budgets.list.queryKey({ orgId: org.orgId }) });
    onClose();
  };
  const create = useMutation(trpc.budgets.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.budgets.update.mutationOptions({ onSuccess: done }));
  const pending = create.isPending || update.isPending;
  const serverError = create.error ?? update.error;
  const serverFields = serverFieldErrors<FieldKey>(serverError);
  // The server's refusals (below spent, over the team's budget, out of range) are about the limit.
  const serverMessage = serverError && Object.keys(serverFields).length === 0 ? errorMessage(serverError) : null;

  const agentTeam = agents.find((agent) => agent.id === agentId)?.teamId ?? null;
  const allocationTeam = scope === "agent" ? (budget ? budget.teamId : agentTeam) : null;
  const allocation = allocationTeam ? availableToAllocate(budgets, allocationTeam, period, budget?.id ?? null) : null;
  const allocationTeamName = teams.find((team) => team.id === allocationTeam)?.name;
  const existing = new Set(budgets.map((entry) => `${entry.scope}:${entry.scope === "agent" ? entry.agentId : entry.scope === "team" ? entry.teamId : ""}:${entry.period}`));
  const agentChoices = agents.filter((agent) => !isLead || (agent.teamId !== null && org.teamIds.includes(agent.teamId)));

  function reset() {
    if (create.error) create.reset();
    if (update.error) update.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    // The thresholds box is text; the procedure takes numbers. The rest is checked by the procedure's own input schema.
    const thresholds = parseThresholds(thresholdText);
    const fields = { mode, limitUsd: limitUsd.trim(), thresholds: thresholds.ok ? thresholds.thresholds : [] };
    const checked = budget
      ? validate(budgetUpdateSchema, { budgetId: budget.id, fields }, { under: "fields" })
      : validate(budgetCreateSchema, { scope, period, teamId: scope === "team" ? teamId || null : null, agentId: scope === "agent" ? agentId || null : null, ...fields });
    const found: Partial<Record<FieldKey, string>> = checked.ok ? {} : checked.errors;
    if (!thresholds.ok) found.thresholds = thresholds.message;
    if (!budget && !found.teamId && !found.agentId && existing.has(`${scope}:${scope === "agent" ? agentId : scope === "team" ? teamId : ""}:${period}`)) {
      found.form = `That already has a ${period} budget; edit it instead.`;
    }
    // What the team has left to allocate is known here already: say so before the server does.
    const limit = parseLimitUsd(limitUsd);
    if (!found.limitUsd && limit.ok && allocation && isLead && limit.micros > allocation.availableMicros) {
      found.limitUsd = `That is more than ${allocationTeamName ?? "the team"} has left to allocate: ${formatMicroUsd(allocation.availableMicros)} available.`;
    }
    setErrors(found);
    if (!checked.ok || Object.keys(found).length > 0) return;
    if ("budgetId" in checked.data) update.mutate({ orgId: org.orgId, ...checked.data });
    else create.mutate({ orgId: org.orgId, ...checked.data });
  }

  const limitError = errors.limitUsd ?? serverFields.limitUsd ?? serverMessage;
  const title = budget ? `Edit the ${budget.period} budget of ${budgetName(budget, org.name)}` : isLead ? "Allocate budget to an agent" : "New budget";

  return (
    <DialogShell title={title} description={budget ? "Scope and period stay; change the mode, limit or alert thresholds." : "One daily and one monthly budget per scope. Periods are UTC."} onClose={onClose}>
      <form onSubmit={submit} noValidate className="space-y-4">
        {budget ? null : (
          <>
            <Field label="Applies to" htmlFor="budget-scope" error={errors.scope}>
              <Select
                id="budget-scope"
                value={scope}
                onChange={(event) => {
                  setScope(event.target.value as Scope);
                  reset();
                }}
                disabled={isLead}
              >
                {isLead ? null : <option value="org">The whole organisation</option>}
                {isLead ? null : <option value="team">A team</option>}
                <option value="agent">An agent</option>
              </Select>
            </Field>
            {scope === "team" ? (
              <Field label="Team" htmlFor="budget-team" error={errors.teamId ?? serverFields.teamId}>
                <Select
                  id="budget-team"
                  value={teamId}
                  onChange={(event) => {
                    setTeamId(event.target.value);
                    reset();
                  }}
                  aria-invalid={Boolean(errors.teamId)}
                >
                  {teams.map((team) => (
                    <option key={team.id} value={team.id}>
                      {team.name}
                    </option>
                  ))}
                </Select>
              </Field>
            ) : null}
            {scope === "agent" ? (
              <Field label="Agent" htmlFor="budget-agent" error={errors.agentId ?? serverFields.agentId}>
                <Select
                  id="budget-agent"
                  value={agentId}
                  onChange={(event) => {
                    setAgentId(event.target.value);
                    reset();
                  }}
                  aria-invalid={Boolean(errors.agentId)}
                >
                  <option value="">Choose an agent…</option>
                  {agentChoices.map((agent) => (
                    <option key={agent.id} value={agent.id}>
                      {agent.name}
                      {agent.teamId ? ` (${teams.find((team) => team.id === agent.teamId)?.name ?? "team"})` : ""}
                    </option>
                  ))}
                </Select>
              </Field>
            ) : null}
            <Field label="Period" htmlFor="budget-period">
              <Select
                id="budget-period"
                value={period}
                onChange={(event) => {
                  setPeriod(event.target.value as Period);
                  reset();
                }}
              >
                <option value="monthly">Monthly (UTC month)</option>
                <option value="daily">Daily (UTC day)</option>
              </Select>
            </Field>
          </>
        )}
        <Field label="Mode" htmlFor="budget-mode">
          <Select id="budget-mode" value={mode} onChange={(event) => setMode(event.target.value as Mode)}>
            <option value="hard">Hard: block decisions that would go over</option>
            <option value="soft">Soft: alert only</option>
          </Select>
        </Field>
        <Field
          label="Limit in US dollars"
          htmlFor="budget-limit"
          error={limitError}
          hint={
            allocation
              ? `${allocationTeamName ?? "The team"} has ${formatMicroUsd(allocation.availableMicros)} of its ${formatMicroUsd(allocation.teamLimitMicros)} ${period} budget left to allocate.`
              : "Per day or per month, e.g. 250 or 99.50"
          }
        >
          <Input
            id="budget-limit"
            inputMode="decimal"
            value={limitUsd}
            placeholder="250"
            onChange={(event) => {
              setLimitUsd(event.target.value);
              setErrors((current) => ({ ...current, limitUsd: undefined }));
              reset();
            }}
            aria-invalid={Boolean(limitError)}
            aria-describedby={limitError ? "budget-limit-error" : undefined}
          />
        </Field>
        <Field label="Alert thresholds (% of the limit)" htmlFor="budget-thresholds" error={errors.thresholds ?? serverFields.thresholds} hint="Comma-separated, e.g. 50, 80, 100. Each alerts once per period.">
          <Input
            id="budget-thresholds"
            value={thresholdText}
            onChange={(event) => {
              setThresholdText(event.target.value);
              setErrors((current) => ({ ...current, thresholds: undefined }));
            }}
            aria-invalid={Boolean(errors.thresholds)}
            aria-describedby={errors.thresholds ? "budget-thresholds-error" : undefined}
          />
        </Field>
        <FormError message={errors.form} />
        <FormButtons onCancel={onClose} submitLabel={budget ? "Save budget" : "Create budget"} pendingLabel="Saving…" pending={pending} />
      </form>
    </DialogShell>
  );
}
