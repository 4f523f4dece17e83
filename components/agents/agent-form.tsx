"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { formLevelMessage, validate } from "@/components/ui/form-check";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/feedback";
import { CheckboxGroup, Field, Input, Select } from "@/components/ui/form";
import { DATA_CATEGORIES, FRAMEWORKS, type DataCategory } from "@/server/domain/agents/agent-fields";
import { createAgentInput, updateAgentInput } from "@/server/domain/agents/schemas";
import { ChipsInput } from "./chips-input";

/** The form's own state: every field as the controls hold it (text boxes hold strings). */
export interface AgentFormValues {
  name: string;
  description: string;
  owner: string;
  teamId: string;
  framework: string;
  models: string[];
  tools: string[];
  dataCategories: DataCategory[];
  tags: string[];
  version: string;
  heartbeatIntervalSec: string;
}

export const EMPTY_AGENT_FORM: AgentFormValues = {
  name: "",
  description: "",
  owner: "",
  teamId: "",
  framework: "",
  models: [],
  tools: [],
  dataCategories: [],
  tags: [],
  version: "",
  heartbeatIntervalSec: "30",
};

export type ImportedCard = RouterOutputs["agents"]["parseCard"]["card"];

/** An existing agent's record as form values. */
export function formValuesOf(agent: {
  name: string;
  description: string;
  owner: string | null;
  teamId: string | null;
  framework: string | null;
  models: string[];
  tools: string[];
  dataCategories: string[];
  tags: string[];
  version: string | null;
  heartbeatIntervalSec: number;
}): AgentFormValues {
  return {
    name: agent.name,
    description: agent.description,
    owner: agent.owner ?? "",
    teamId: agent.teamId ?? "",
    framework: agent.framework ?? "",
    models: agent.models,
    tools: agent.tools,
    dataCategories: agent.dataCategories.filter((category): category is DataCategory => (DATA_CATEGORIES as readonly string[]).includes(category)),
    tags: agent.tags,
    version: agent.version ?? "",
    heartbeatIntervalSec: String(agent.heartbeatIntervalSec),
  };
}

const orNull = (text: string) => (text.trim() === "" ? null : text.trim());

function toFields(values: AgentFormValues) {
  const interval = values.heartbeatIntervalSec.trim();
  return {
    name: values.name,
    description: values.description,
    owner: orNull(values.owner),
    teamId: values.teamId || null,
    framework: orNull(values.framework),
    models: values.models,
    tools: values.tools,
    dataCategories: values.dataCategories,
    tags: values.tags,
    version: orNull(values.version),
    heartbeatIntervalSec: /^\d+$/.test(interval) ? Number(interval) : Number.NaN,
  };
}

type FieldKey = keyof AgentFormValues;

export type AgentFormMode = { kind: "create"; card?: ImportedCard } | { kind: "edit" | "review"; agentId: string };

/**
 * Every registry field of an agent, checked with the schema the server uses. Creates the agent,
 * edits it, or (for a discovered agent) completes its record, which registers it.
 */
export function AgentForm({
  initial,
  mode,
  onSaved,
  onCancel,
  notice,
}: {
  initial: AgentFormValues;
  mode: AgentFormMode;
  onSaved: (agent: { id: string; name: string }) => void;
  onCancel: () => void;
  notice?: ReactNode;
}) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const teamLead = org.role === "team_lead";
  const teams = useQuery(trpc.teams.list.queryOptions({ orgId: org.orgId }));
  const models = useQuery(trpc.models.list.queryOptions({ orgId: org.orgId }));
  const [values, setValues] = useState<AgentFormValues>(initial);
  const [errors, setErrors] = useState<Partial<Record<FieldKey | "form", string>>>({});

  // A team lead may only place an agent in one of their teams: start in the first if none is set.
  const teamOptions = teams.data ?? [];
  const teamId = teamLead && !values.teamId && teamOptions[0] ? teamOptions[0].id : values.teamId;

  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.agents.pathKey() });
  const saved = async (agent: { id: string; name: string }) => {
    await invalidate();
    onSaved(agent);
  };
  const create = useMutation(trpc.agents.create.mutationOptions({ onSuccess: saved }));
  const update = useMutation(trpc.agents.update.mutationOptions({ onSuccess: saved }));
  const pending = create.isPending || update.isPending;
  const serverError = formLevelMessage(create.error ?? update.error);

  const set = <Key extends FieldKey>(key: Key, value: AgentFormValues[Key]) => {
    setValues((current) => ({ ...current, [key]: value }));
    setErrors((current) => ({ ...current, [key]: undefined, form: undefined }));
    create.reset();
    update.reset();
  };
  const text = (key: FieldKey) => (event: { target: { value: string } }) => set(key, event.target.value);

  function submit(event: FormEvent) {
    event.preventDefault();
    const fields = toFields({ ...values, teamId });
    // Checked with the very input schema of the procedure it goes to.
    const checked =
      mode.kind === "create" ? validate(createAgentInput, { ...fields, ...(mode.card ? { card: mode.card } : {}) }) : validate(updateAgentInput, { agentId: mode.agentId, fields }, { under: "fields" });
    if (!checked.ok) {
      const next: Partial<Record<FieldKey | "form", string>> = {};
      for (const [key, message] of Object.entries(checked.errors)) {
        next[key as FieldKey] = key === "heartbeatIntervalSec" && !/^\d+$/.test(values.heartbeatIntervalSec.trim()) ? "Enter a whole number of seconds" : message;
      }
      setErrors(next);
      document.getElementById(`${id}-${Object.keys(next)[0] ?? "name"}`)?.focus();
      return;
    }
    if ("agentId" in checked.data) update.mutate({ orgId: org.orgId, ...checked.data });
    else create.mutate({ orgId: org.orgId, ...checked.data });
  }

  const fieldProps = (key: FieldKey) => ({
    id: `${id}-${key}`,
    "aria-invalid": errors[key] ? true : undefined,
    "aria-describedby": errors[key] ? `${id}-${key}-error` : undefined,
  });

  // Models the agent names that are not (or no longer) in the registry stay selectable.
  const registryModels = models.data ?? [];
  const extraModels = values.models.filter((name) => !registryModels.some((model) => model.name === name));

  return (
    <form onSubmit={submit} noValidate aria-label={mode.kind === "create" ? "Register agent" : "Edit agent"} className="space-y-5">
      {notice}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field label="Name" htmlFor={`${id}-name`} error={errors.name} hint="As the agent names itself in its events: letters, digits, . _ - and spaces.">
          <Input {...fieldProps("name")} value={values.name} onChange={text("name")} maxLength={100} autoComplete="off" required />
        </Field>
        <Field label="Team" htmlFor={`${id}-teamId`} error={errors.teamId} hint={teamLead ? "You can place agents in the teams you lead." : undefined}>
          <Select {...fieldProps("teamId")} value={teamId} onChange={text("teamId")} disabled={teams.isPending}>
            {teamLead ? null : <option value="">No team</option>}
            {teamOptions.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </Select>
        </Field>
        <div className="sm:col-span-2">
          <Field label="Description" htmlFor={`${id}-description`} error={errors.description}>
            <textarea
              {...fieldProps("description")}
              value={values.description}
              onChange={text("description")}
              maxLength={2000}
              rows={3}
              className="block w-full rounded-md border-0 px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-brand-500 focus:ring-inset"
              placeholder="What it does, for whom, with what"
            />
          </Field>
        </div>
        <Field label="Owner" htmlFor={`${id}-owner`} error={errors.owner} hint="The person accountable for it (an email address, ideally).">
          <Input {...fieldProps("owner")} value={values.owner} onChange={text("owner")} maxLength={320} placeholder="jane@example.com" />
        </Field>
        <Field label="Framework" htmlFor={`${id}-framework`} error={errors.framework}>
          <Input {...fieldProps("framework")} value={values.framework} onChange={text("framework")} maxLength={60} list={`${id}-frameworks`} placeholder="e.g. LangChain" />
          <datalist id={`${id}-frameworks`}>
            {FRAMEWORKS.map((framework) => (
              <option key={framework} value={framework} />
            ))}
          </datalist>
        </Field>
        <Field label="Version" htmlFor={`${id}-version`} error={errors.version}>
          <Input {...fieldProps("version")} value={values.version} onChange={text("version")} maxLength={100} placeholder="e.g. 1.4.0" />
        </Field>
        <Field label="Heartbeat interval (seconds)" htmlFor={`${id}-heartbeatIntervalSec`} error={errors.heartbeatIntervalSec} hint="Stale after three intervals without a heartbeat.">
          <Input {...fieldProps("heartbeatIntervalSec")} value={values.heartbeatIntervalSec} onChange={text("heartbeatIntervalSec")} inputMode="numeric" maxLength={5} />
        </Field>
      </div>

      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Models</legend>
        <p className="text-xs text-slate-500">The models it may call, from the organisation&apos;s model registry.</p>
        {models.error ? <p className="mt-1 text-xs text-red-600">Could not load the model registry: {models.error.message}</p> : null}
        <div className="mt-2 grid max-h-44 grid-cols-1 gap-x-4 gap-y-1 overflow-y-auto rounded-md p-2 ring-1 ring-slate-200 sm:grid-cols-2">
          {models.isPending ? <p className="text-xs text-slate-500">Loading models…</p> : null}
          {[
            ...registryModels.map((model) => ({ name: model.name, note: `${model.provider}${model.status === "active" ? "" : `, ${model.status}`}` })),
            ...extraModels.map((name) => ({ name, note: "not in the registry" })),
          ].map((model) => (
            <label key={model.name} className="flex items-center gap-2 text-sm text-slate-800">
              <input
                type="checkbox"
                className="h-4 w-4 rounded border-slate-300 text-brand-600"
                checked={values.models.includes(model.name)}
                onChange={(event) => set("models", event.target.checked ? [...values.models, model.name] : values.models.filter((name) => name !== model.name))}
              />
              <span className="font-mono text-xs">{model.name}</span>
              <span className="text-xs text-slate-400">{model.note}</span>
            </label>
          ))}
          {!models.isPending && registryModels.length === 0 && extraModels.length === 0 ? <p className="text-xs text-slate-500">The model registry is empty.</p> : null}
        </div>
        {errors.models ? (
          <p className="mt-1 text-xs font-medium text-red-600" role="alert">
            {errors.models}
          </p>
        ) : null}
      </fieldset>

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field label="Tools" htmlFor={`${id}-tools`} error={errors.tools} hint="Press Enter or type a comma after each.">
          <ChipsInput id={`${id}-tools`} values={values.tools} onChange={(tools) => set("tools", tools)} itemLabel="tool" placeholder="e.g. search_kb" invalid={Boolean(errors.tools)} />
        </Field>
        <Field label="Tags" htmlFor={`${id}-tags`} error={errors.tags} hint="Press Enter or type a comma after each.">
          <ChipsInput id={`${id}-tags`} values={values.tags} onChange={(tags) => set("tags", tags)} itemLabel="tag" maxItems={50} placeholder="e.g. customer-facing" invalid={Boolean(errors.tags)} />
        </Field>
      </div>

      <CheckboxGroup
        legend="Data categories"
        hint="The kinds of data it touches; compliance rules use these."
        options={DATA_CATEGORIES.map((category) => ({ value: category, label: category }))}
        selected={values.dataCategories}
        onChange={(categories) => set("dataCategories", categories)}
      />

      {serverError ? (
        <Alert tone="bad" title="Not saved">
          {serverError}
        </Alert>
      ) : null}
      <div className="flex justify-end gap-2 border-t border-slate-200 pt-4">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Saving…" : mode.kind === "edit" ? "Save changes" : "Register agent"}
        </Button>
      </div>
    </form>
  );
}
