"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { errorMessage } from "@/components/ui/feedback";
import { Field, FormButtons, FormError, Input, NamedSelect, Select } from "@/components/ui/form";
import { DEFAULT_GUARDS, DEFAULT_STAGES, GUARD_LABELS, GUARD_UNITS, startRolloutSchema, type GuardConfig, type Stage } from "@/server/domain/rollout/schemas";
import { VERSION_STATUS } from "./present";

/** Where a zod issue points, as the form's error keys ("stages.1.percent", "candidateId"). */
function issueKey(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

const numberOr = (text: string, fallback: number) => {
  const value = Number(text);
  return text.trim() === "" || !Number.isFinite(value) ? fallback : value;
};

/** Start a rollout of one of an agent's released versions, stages and guards editable. */
export function StartRolloutDialog({ open, onClose, agentId: fixedAgentId }: { open: boolean; onClose: () => void; agentId?: string }) {
  return (
    <Dialog open={open} onClose={onClose} title="Start a rollout" description="From the agent's stable version to a candidate, stage by stage, judged by guards." size="lg">
      <StartRolloutForm onDone={onClose} fixedAgentId={fixedAgentId} />
    </Dialog>
  );
}

function StartRolloutForm({ onDone, fixedAgentId }: { onDone: () => void; fixedAgentId?: string }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = { agent: useId(), candidate: useId(), reason: useId(), breach: useId(), advance: useId(), approval: useId() };
  const [agentId, setAgentId] = useState(fixedAgentId ?? "");
  const [candidateId, setCandidateId] = useState("");
  const [stages, setStages] = useState<Stage[]>(DEFAULT_STAGES);
  const [guards, setGuards] = useState<GuardConfig[]>(DEFAULT_GUARDS);
  const [onBreach, setOnBreach] = useState<"pause" | "rollback">("rollback");
  const [autoAdvance, setAutoAdvance] = useState(true);
  const [requireApproval, setRequireApproval] = useState(false);
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});

  const agents = useQuery(trpc.agents.list.queryOptions({ orgId: org.orgId }));
  const versions = useQuery({ ...trpc.versions.list.queryOptions({ orgId: org.orgId, agentId }), enabled: agentId !== "" });
  const stable = versions.data?.versions.find((version) => version.stable) ?? null;
  const candidates = (versions.data?.versions ?? []).filter((version) => !version.stable && version.status !== "draft");

  const start = useMutation(
    trpc.rollouts.start.mutationOptions({
      onSuccess: async () => {
        await Promise.all([queryClient.invalidateQueries({ queryKey: trpc.rollouts.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.versions.pathKey() })]);
        onDone();
      },
    }),
  );

  const setStage = (index: number, patch: Partial<Stage>) => setStages((current) => current.map((stage, i) => (i === index ? { ...stage, ...patch } : stage)));
  const setGuard = (index: number, patch: Partial<GuardConfig>) => setGuards((current) => current.map((guard, i) => (i === index ? { ...guard, ...patch } : guard)));

  function submit(event: FormEvent) {
    event.preventDefault();
    start.reset();
    const parsed = startRolloutSchema.safeParse({ agentId, candidateId, stages, guards, onBreach, autoAdvance, requireApproval, reason });
    if (!parsed.success) {
      const found: Record<string, string> = {};
      for (const issue of parsed.error.issues) found[issueKey(issue.path)] ??= issue.message;
      setErrors(found);
      return;
    }
    setErrors({});
    start.mutate({ orgId: org.orgId, ...parsed.data });
  }

  const stageError = (index: number) => errors[`stages.${index}.percent`] ?? errors[`stages.${index}.minDwellMinutes`] ?? errors[`stages.${index}.minSamples`] ?? null;

  return (
    <form className="space-y-5" onSubmit={submit} noValidate>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Agent" htmlFor={ids.agent} error={errors.agentId ? "Choose an agent" : null}>
          <NamedSelect
            id={ids.agent}
            value={agentId}
            disabled={fixedAgentId !== undefined}
            onChange={(next) => {
              setAgentId(next);
              setCandidateId("");
            }}
            items={agents.data ?? []}
            placeholder={agents.data ? "Choose an agent…" : "Loading…"}
          />
        </Field>
        <Field
          label="Candidate version"
          htmlFor={ids.candidate}
          error={errors.candidateId ? "Choose the version to roll out" : null}
          hint={agentId ? (stable ? `From the stable version ${stable.label}.` : versions.data ? "This agent has no stable version: release one first." : undefined) : "Choose an agent first."}
        >
          <Select id={ids.candidate} value={candidateId} onChange={(event) => setCandidateId(event.target.value)} disabled={!versions.data}>
            <option value="">{candidates.length > 0 ? "Choose a version…" : "No other released version"}</option>
            {candidates.map((version) => (
              <option key={version.id} value={version.id}>
                {version.label}
                {version.status !== "released" ? ` (${VERSION_STATUS[version.status]?.label.toLowerCase() ?? version.status})` : ""}
              </option>
            ))}
          </Select>
        </Field>
      </div>

      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Stages</legend>
        <p className="text-xs text-slate-500">
          Each stage serves the candidate to that share of instances. It advances once every guard holds for the dwell time with at least the samples asked for; 100 % makes the candidate stable.
        </p>
        <table className="mt-2 w-full text-sm">
          <thead>
            <tr className="text-left text-xs text-slate-500">
              <th className="py-1 font-medium">Share of instances (%)</th>
              <th className="py-1 font-medium">Minimum dwell (minutes)</th>
              <th className="py-1 font-medium">Minimum samples per guard</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {stages.map((stage, index) => (
              <tr key={index} className="align-top">
                <td className="py-1 pr-2">
                  <Input
                    type="number"
                    aria-label={`Stage ${index + 1} percent`}
                    value={stage.percent}
                    min={1}
                    max={100}
                    aria-invalid={Boolean(errors[`stages.${index}.percent`])}
                    onChange={(event) => setStage(index, { percent: numberOr(event.target.value, Number.NaN) })}
                  />
                </td>
                <td className="py-1 pr-2">
                  <Input
                    type="number"
                    aria-label={`Stage ${index + 1} minimum dwell in minutes`}
                    value={stage.minDwellMinutes}
                    min={0}
                    onChange={(event) => setStage(index, { minDwellMinutes: numberOr(event.target.value, 0) })}
                  />
                </td>
                <td className="py-1 pr-2">
                  <Input
                    type="number"
                    aria-label={`Stage ${index + 1} minimum samples`}
                    value={stage.minSamples}
                    min={0}
                    onChange={(event) => setStage(index, { minSamples: numberOr(event.target.value, 0) })}
                  />
                </td>
                <td className="py-1">
                  <Button variant="ghost" size="sm" aria-label={`Remove stage ${index + 1}`} disabled={stages.length <= 2} onClick={() => setStages((current) => current.filter((_, i) => i !== index))}>
                    Remove
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {stages.map((_, index) =>
          stageError(index) ? (
            <p key={index} role="alert" className="mt-1 text-xs font-medium text-red-600">
              Stage {index + 1}: {stageError(index)}
            </p>
          ) : null,
        )}
        {errors.stages ? (
          <p role="alert" className="mt-1 text-xs font-medium text-red-600">
            {errors.stages}
          </p>
        ) : null}
        <Button
          variant="secondary"
          size="sm"
          className="mt-2"
          disabled={stages.length >= 10}
          onClick={() =>
            setStages((current) => [...current.slice(0, -1), { percent: Math.min(99, (current[current.length - 2]?.percent ?? 0) + 10), minDwellMinutes: 60, minSamples: 200 }, ...current.slice(-1)])
          }
        >
          Add a stage
        </Button>
      </fieldset>

      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Guards (candidate against stable)</legend>
        <p className="text-xs text-slate-500">A guard breaches when the candidate is worse than the stable version by more than its tolerance, by a one-sided mSPRT Holm-corrected across guards at α = 0.05.</p>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          {guards.map((guard, index) => (
            <div key={guard.metric} className="flex items-center gap-3 rounded-md px-3 py-2 ring-1 ring-slate-200">
              <label className="flex min-w-0 flex-1 items-center gap-2 text-sm text-slate-800">
                <input type="checkbox" checked={guard.enabled} onChange={(event) => setGuard(index, { enabled: event.target.checked })} className="h-4 w-4 shrink-0 rounded border-slate-300" />
                <span>
                  <span className="whitespace-nowrap">{GUARD_LABELS[guard.metric]}</span> <span className="text-xs whitespace-nowrap text-slate-500">({GUARD_UNITS[guard.metric]})</span>
                </span>
              </label>
              <span className="flex shrink-0 items-center gap-1 text-xs whitespace-nowrap text-slate-600">
                up to +
                <span className="w-20">
                  <Input
                    type="number"
                    aria-label={`${GUARD_LABELS[guard.metric]} tolerance in percent`}
                    value={guard.thresholdPercent}
                    min={1}
                    disabled={!guard.enabled}
                    onChange={(event) => setGuard(index, { thresholdPercent: numberOr(event.target.value, Number.NaN) })}
                  />
                </span>
                %
              </span>
            </div>
          ))}
        </div>
        {Object.entries(errors)
          .filter(([key]) => key.startsWith("guards"))
          .map(([key, message]) => (
            <p key={key} role="alert" className="mt-1 text-xs font-medium text-red-600">
              {message}
            </p>
          ))}
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="On a breach" htmlFor={ids.breach}>
          <Select id={ids.breach} value={onBreach} onChange={(event) => setOnBreach(event.target.value as "pause" | "rollback")}>
            <option value="rollback">Roll back at once</option>
            <option value="pause">Pause (hold the share)</option>
          </Select>
        </Field>
        <Field label="When guards hold" htmlFor={ids.advance}>
          <Select id={ids.advance} value={autoAdvance ? "auto" : "person"} onChange={(event) => setAutoAdvance(event.target.value === "auto")}>
            <option value="auto">Advance automatically</option>
            <option value="person">A person promotes</option>
          </Select>
        </Field>
        <div className="flex items-end pb-2">
          <label htmlFor={ids.approval} className="flex items-center gap-2 text-sm text-slate-800">
            <input id={ids.approval} type="checkbox" checked={requireApproval} onChange={(event) => setRequireApproval(event.target.checked)} className="h-4 w-4 rounded border-slate-300" />A second person
            approves 100 %
          </label>
        </div>
      </div>

      <Field label="Reason" htmlFor={ids.reason} error={errors.reason ?? null} hint="Kept in the audit log and on the agent's timeline.">
        <Input id={ids.reason} value={reason} onChange={(event) => setReason(event.target.value)} maxLength={500} placeholder="e.g. 2.2.0 routes printer tickets to the right queue" />
      </Field>

      <FormError message={start.error ? errorMessage(start.error) : null} />
      <FormButtons onCancel={onDone} submitLabel="Start rollout" pendingLabel="Starting…" pending={start.isPending} />
    </form>
  );
}
