"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { useCan, useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Alert, Badge } from "@/components/ui/feedback";
import { Field, Select } from "@/components/ui/form";
import { LocalTime } from "@/components/ui/local-time";
import { useNow } from "@/components/ui/use-now";
import { TableHead } from "@/components/ui/data-table";
import { GUARD_LABELS, type GuardMetric } from "@/server/domain/rollout/schemas";
import { emptyShareHint, formatGuardValue, formatMinutes, formatPValue, formatRelative, GUARD_STATE, PHASE, phaseOf, stageSteps } from "./present";
import { ReasonDialog } from "./reason-dialog";

export type RolloutView = RouterOutputs["rollouts"]["list"]["active"][number];
type Action = "promote" | "hold" | "resume" | "rollback" | "approve" | "skipGuard";

export const SEQUENTIAL_TEST_NOTE =
  "Guards compare the candidate with the stable version on live traffic using a one-sided mSPRT (mixture sequential probability ratio test), Holm-corrected across guards at α = 0.05: it stays honest however often it is looked at. A guard without enough samples shows insufficient evidence, which is never a pass.";

export function StageProgress({ rollout }: { rollout: Pick<RolloutView, "stages" | "stageIndex" | "status"> }) {
  const steps = stageSteps(rollout.stages, rollout.stageIndex, rollout.status);
  return (
    <ol className="flex items-center gap-1" aria-label="Stages">
      {steps.map((step, index) => (
        <li key={step.percent} className="flex items-center gap-1">
          {index > 0 ? <span aria-hidden className={cn("h-0.5 w-6", step.state === "pending" ? "bg-slate-200" : "bg-brand-500")} /> : null}
          <span
            aria-current={step.state === "current" ? "step" : undefined}
            className={cn(
              "rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap tabular-nums ring-1 ring-inset",
              step.state === "done" && "bg-brand-600 text-white ring-brand-600",
              step.state === "current" && "bg-brand-50 text-brand-700 ring-2 ring-brand-500",
              step.state === "pending" && "bg-white text-slate-400 ring-slate-200",
            )}
          >
            {step.percent} %<span className="sr-only">{step.state === "done" ? " (passed)" : step.state === "current" ? " (current stage)" : " (to come)"}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}

function GuardsTable({ rollout }: { rollout: RolloutView }) {
  const evaluation = rollout.lastEvaluation;
  if (!evaluation) return <p className="px-5 py-4 text-sm text-slate-500">Not evaluated yet: the guards are judged within seconds of the rollout starting.</p>;
  if (evaluation.guards.length === 0) return <p className="px-5 py-4 text-sm text-slate-500">No guard is enabled on this rollout: stages advance on dwell time alone.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Guards of the rollout of {rollout.to.label}</caption>
        <TableHead headers={["Guard", `Stable ${rollout.from.label}`, `Candidate ${rollout.to.label}`, "Difference", "Sequential test", "Evidence"]} />
        <tbody className="divide-y divide-slate-100">
          {evaluation.guards.map((guard) => {
            const state = GUARD_STATE[guard.state];
            return (
              <tr key={guard.metric} className="align-top">
                <th scope="row" className="min-w-56 px-4 py-2.5 text-left font-medium text-slate-900">
                  {guard.label}
                  <p className="mt-1 max-w-xs text-xs font-normal text-slate-500">{guard.explanation}</p>
                </th>
                <td className="px-4 py-2.5 whitespace-nowrap text-slate-700">
                  {formatGuardValue(guard.metric, guard.stable.value)}
                  <span className="block text-xs text-slate-500">
                    {guard.stable.n.toLocaleString("en-US")} {guard.unit}
                  </span>
                </td>
                <td className="px-4 py-2.5 whitespace-nowrap text-slate-700">
                  {formatGuardValue(guard.metric, guard.candidate.value)}
                  <span className="block text-xs text-slate-500">
                    {guard.candidate.n.toLocaleString("en-US")} {guard.unit}; {guard.candidate.nInStage.toLocaleString("en-US")}/{guard.minSamples.toLocaleString("en-US")} this stage
                  </span>
                </td>
                <td className="px-4 py-2.5 whitespace-nowrap tabular-nums text-slate-700">
                  {formatRelative(guard.relativeDifference)}
                  <span className="block text-xs text-slate-500">tolerance up to +{guard.thresholdPercent} %</span>
                </td>
                <td className="px-4 py-2.5 whitespace-nowrap text-slate-700">
                  {guard.test ? (
                    <>
                      mSPRT p = {formatPValue(guard.test.pValue)}
                      <span className="block text-xs text-slate-500">Holm threshold {formatPValue(guard.test.alpha)}</span>
                    </>
                  ) : (
                    <span className="text-slate-400">not yet</span>
                  )}
                </td>
                <td className="px-4 py-2.5 whitespace-nowrap">
                  <Badge tone={state.tone}>{state.label}</Badge>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function RolloutCard({ rollout }: { rollout: RolloutView }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan("agents:write");
  const now = useNow(5000);
  const [action, setAction] = useState<Action | null>(null);
  const [guard, setGuard] = useState<GuardMetric | "">("");
  const guardFieldId = useId();
  const phase = phaseOf(rollout);
  const phaseInfo = PHASE[phase];
  const stage = rollout.stages[rollout.stageIndex];
  const next = rollout.stages[rollout.stageIndex + 1];
  const evaluation = rollout.lastEvaluation;
  const minutesInStage = now ? (now.getTime() - new Date(rollout.stageStartedAt).getTime()) / 60_000 : null;

  const done = async () => {
    setAction(null);
    setGuard("");
    await Promise.all([queryClient.invalidateQueries({ queryKey: trpc.rollouts.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.versions.pathKey() })]);
  };
  const options = { onSuccess: done };
  const mutations = {
    promote: useMutation(trpc.rollouts.promote.mutationOptions(options)),
    hold: useMutation(trpc.rollouts.hold.mutationOptions(options)),
    resume: useMutation(trpc.rollouts.resume.mutationOptions(options)),
    rollback: useMutation(trpc.rollouts.rollback.mutationOptions(options)),
    approve: useMutation(trpc.rollouts.approve.mutationOptions(options)),
    skipGuard: useMutation(trpc.rollouts.skipGuard.mutationOptions(options)),
  };
  const open = (next: Action) => {
    for (const mutation of Object.values(mutations)) mutation.reset();
    setAction(next);
  };
  const skippable = rollout.guards.filter((entry) => entry.enabled && !rollout.skippedGuards.includes(entry.metric));
  const active = rollout.status === "running" || rollout.status === "paused";

  const confirm = (reason: string) => {
    const input = { orgId: org.orgId, rolloutId: rollout.id, reason };
    if (action === "skipGuard") {
      if (guard) mutations.skipGuard.mutate({ ...input, metric: guard });
      return;
    }
    if (action) mutations[action].mutate(input);
  };
  const dialog: Record<Action, { title: string; label: string; tone?: "danger" }> = {
    promote: {
      title: next?.percent === 100 ? `Promote ${rollout.to.label} to 100 %?` : `Promote ${rollout.to.label} to ${next?.percent ?? "?"} %?`,
      label: next?.percent === 100 ? "Promote to 100 %" : "Promote now",
    },
    hold: { title: `Hold the rollout of ${rollout.to.label}?`, label: "Hold" },
    resume: { title: `Resume the rollout of ${rollout.to.label}?`, label: "Resume" },
    rollback: { title: `Roll back ${rollout.to.label}?`, label: "Roll back", tone: "danger" },
    approve: { title: `Approve going to 100 % with ${rollout.to.label}?`, label: "Approve 100 %" },
    skipGuard: { title: "Skip a guard for this stage?", label: "Skip guard" },
  };

  return (
    <Card>
      <article aria-label={`Rollout of ${rollout.agentName} ${rollout.to.label}`}>
        <div className="flex flex-wrap items-start justify-between gap-4 border-b border-slate-200 px-5 py-4">
          <div>
            <div className="flex flex-wrap items-center gap-2">
              <h3 className="text-base font-semibold text-slate-900">
                <Link href={`/${org.slug}/agents/${rollout.agentId}?tab=versions`} className="hover:underline">
                  {rollout.agentName}
                </Link>{" "}
                <span className="font-mono text-sm font-normal text-slate-600">
                  {rollout.from.label} → {rollout.to.label}
                </span>
              </h3>
              <Badge tone={phaseInfo.tone}>{phaseInfo.label}</Badge>
              {rollout.requireApproval ? <Badge tone={rollout.approvedBy ? "good" : "neutral"}>{rollout.approvedBy ? `Approved by ${rollout.approvedBy}` : "100 % needs a second approval"}</Badge> : null}
            </div>
            <p className="mt-1 text-sm text-slate-600">
              {rollout.teamName ? `Team ${rollout.teamName} · ` : ""}started by {rollout.createdBy} · <LocalTime value={rollout.createdAt} /> · on breach:{" "}
              {rollout.onBreach === "rollback" ? "roll back" : "pause"} · {rollout.autoAdvance ? "advances by itself" : "a person promotes"}
            </p>
          </div>
          <StageProgress rollout={rollout} />
        </div>

        <div className="grid gap-4 border-b border-slate-200 px-5 py-4 text-sm sm:grid-cols-3">
          <div>
            <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">This stage</p>
            <p className="mt-1 text-slate-800">
              {rollout.percent} % of instances on {rollout.to.label}
              <span className="block text-slate-500">
                {minutesInStage === null ? "…" : formatMinutes(minutesInStage)} in stage; dwell {formatMinutes(stage?.minDwellMinutes ?? 0)}, {stage?.minSamples ?? 0} samples per guard
              </span>
            </p>
          </div>
          <div>
            <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Instances (last 10 min)</p>
            <p className="mt-1 text-slate-800">
              {rollout.instances && rollout.instances.seen > 0 ? (
                <>
                  {rollout.instances.assignedToCandidate} of {rollout.instances.seen} assigned to {rollout.to.label}
                  <span className="block text-slate-500">{rollout.instances.reportingCandidate} report running it</span>
                  {rollout.instances.assignedToCandidate === 0 && stage ? (
                    <span className="mt-1 block text-xs text-amber-800">{emptyShareHint(stage.percent, rollout.instances.seen, rollout.to.label)}</span>
                  ) : null}
                </>
              ) : (
                <span className="text-slate-500">No heartbeats in the last 10 minutes.</span>
              )}
            </p>
          </div>
          <div>
            <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Sample ratio</p>
            <p className="mt-1 text-slate-800">
              {evaluation ? (
                <>
                  {evaluation.srm.state === "mismatch" ? <Badge tone="bad">Mismatch</Badge> : evaluation.srm.state === "ok" ? <Badge tone="good">As expected</Badge> : <Badge tone="neutral">Not checked</Badge>}
                  <span className="mt-1 block text-slate-500">{evaluation.srm.explanation}</span>
                </>
              ) : (
                <span className="text-slate-500">Not evaluated yet.</span>
              )}
            </p>
          </div>
        </div>

        {rollout.status === "paused" && rollout.pausedReason ? (
          <div className="border-b border-slate-200 px-5 py-3">
            <Alert tone="warn" title="Paused">
              {rollout.pausedReason}
            </Alert>
          </div>
        ) : null}

        <GuardsTable rollout={rollout} />

        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 px-5 py-3">
          <p className="text-sm text-slate-600" role="status">
            {evaluation ? (
              <>
                {evaluation.decision.explanation}{" "}
                <span className="text-slate-400">
                  (evaluated <LocalTime value={evaluation.at} />)
                </span>
              </>
            ) : (
              "Waiting for the first evaluation."
            )}
          </p>
          {canWrite && active ? (
            <div className="flex flex-wrap gap-2">
              {rollout.status === "running" && next ? (
                <Button size="sm" onClick={() => open("promote")}>
                  {next.percent === 100 ? "Promote to 100 %" : `Promote to ${next.percent} %`}
                </Button>
              ) : null}
              {rollout.requireApproval && !rollout.approvedBy ? (
                <Button size="sm" variant="secondary" onClick={() => open("approve")}>
                  Approve 100 %
                </Button>
              ) : null}
              {rollout.status === "running" ? (
                <Button size="sm" variant="secondary" onClick={() => open("hold")}>
                  Hold
                </Button>
              ) : (
                <Button size="sm" variant="secondary" onClick={() => open("resume")}>
                  Resume
                </Button>
              )}
              {skippable.length > 0 ? (
                <Button size="sm" variant="secondary" onClick={() => open("skipGuard")}>
                  Skip a guard
                </Button>
              ) : null}
              <Button size="sm" variant="danger" onClick={() => open("rollback")}>
                Roll back
              </Button>
            </div>
          ) : null}
        </div>
      </article>

      {action ? (
        <ReasonDialog
          open
          onClose={() => setAction(null)}
          title={dialog[action].title}
          description={
            action === "rollback"
              ? `Every instance goes back to ${rollout.from.label} at once.`
              : action === "hold"
                ? "Instances stay where they are; nothing advances until someone resumes."
                : action === "approve"
                  ? "You are the second person: the rollout was started by " + rollout.createdBy + "."
                  : undefined
          }
          confirmLabel={dialog[action].label}
          tone={dialog[action].tone ?? "primary"}
          pending={mutations[action].isPending}
          error={mutations[action].error}
          onConfirm={confirm}
        >
          {action === "skipGuard" ? (
            <Field label="Guard" htmlFor={guardFieldId} hint="Skipped for the current stage only; it comes back at the next.">
              <Select id={guardFieldId} value={guard} onChange={(event) => setGuard(event.target.value as GuardMetric)}>
                <option value="">Choose a guard…</option>
                {skippable.map((entry) => (
                  <option key={entry.metric} value={entry.metric}>
                    {GUARD_LABELS[entry.metric]}
                  </option>
                ))}
              </Select>
            </Field>
          ) : null}
        </ReasonDialog>
      ) : null}
    </Card>
  );
}
