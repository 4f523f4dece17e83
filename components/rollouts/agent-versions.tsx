"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useCan, useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Alert, Badge, EmptyState } from "@/components/ui/feedback";
import { LocalTime } from "@/components/ui/local-time";
import { LoadingCard, QueryBoundary } from "@/components/ui/query-boundary";
import { PHASE, phaseOf, VERSION_STATUS } from "./present";
import { ReasonDialog } from "./reason-dialog";
import { StartRolloutDialog } from "./start-rollout";
import { VersionCompare } from "./version-compare";
import { VersionFormDialog, type VersionDraft } from "./version-form";

type Version = RouterOutputs["versions"]["list"]["versions"][number];
type Lifecycle = "release" | "deprecate" | "retire" | "makeStable";

const ACTION: Record<Lifecycle, { title: (label: string) => string; confirm: string; description: string; tone?: "danger" }> = {
  release: { title: (label) => `Release ${label}?`, confirm: "Release", description: "A released version is immutable. The first release of an agent becomes its stable version; later ones are rolled out." },
  deprecate: { title: (label) => `Deprecate ${label}?`, confirm: "Deprecate", description: "Instances still on it keep running, with a warning in their directives to move to the stable version." },
  retire: {
    title: (label) => `Retire ${label}?`,
    confirm: "Retire",
    description: "Instances on a retired version are refused by decide (reason retired) and told to move to the stable version, or halt.",
    tone: "danger",
  },
  makeStable: { title: (label) => `Make ${label} the stable version?`, confirm: "Make stable", description: "Every instance moves to it at once (a revert). Use a rollout to move gradually instead." },
};

const EMPTY_DRAFT: VersionDraft = { label: "", model: null, systemPrompt: "", tools: [], config: {}, notes: "" };

/** The agent page's Versions tab: the versions, their lifecycle, a diff and an A/B comparison. */
export function AgentVersions({ agent }: { agent: VersionsAgent }) {
  const org = useOrg();
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.versions.list.queryOptions({ orgId: org.orgId, agentId: agent.id }), refetchInterval: 10_000 });
  return (
    <QueryBoundary query={list} label="versions" loading={<LoadingCard rows={4} className="h-8" />}>
      {(data) => <VersionsView agent={agent} data={data} />}
    </QueryBoundary>
  );
}

type VersionsAgent = { id: string; name: string; models: string[]; tools: string[] };

function VersionsView({ agent, data }: { agent: VersionsAgent; data: RouterOutputs["versions"]["list"] }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan("agents:write");
  const [form, setForm] = useState<{ editing: Version | null; initial: VersionDraft } | null>(null);
  const [acting, setActing] = useState<{ action: Lifecycle; version: Version } | null>(null);
  const [rolling, setRolling] = useState(false);

  const done = async () => {
    setActing(null);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.versions.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.rollouts.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.agents.pathKey() }),
    ]);
  };
  const mutations = {
    release: useMutation(trpc.versions.release.mutationOptions({ onSuccess: done })),
    deprecate: useMutation(trpc.versions.deprecate.mutationOptions({ onSuccess: done })),
    retire: useMutation(trpc.versions.retire.mutationOptions({ onSuccess: done })),
    makeStable: useMutation(trpc.versions.makeStable.mutationOptions({ onSuccess: done })),
  };
  const act = (action: Lifecycle, version: Version) => {
    mutations[action].reset();
    setActing({ action, version });
  };

  const { versions, activeRollout } = data;
  const stable = versions.find((version) => version.stable) ?? null;
  const newDraft = (): VersionDraft =>
    stable
      ? { label: "", model: stable.model, systemPrompt: stable.systemPrompt, tools: stable.tools, config: stable.config, notes: "" }
      : { ...EMPTY_DRAFT, model: agent.models[0] ?? null, tools: agent.tools };

  const columns: Column<Version>[] = [
    {
      key: "label",
      header: "Version",
      sortValue: (row) => row.label,
      render: (row) => (
        <span className="flex items-center gap-2">
          <span className="font-mono font-medium text-slate-900">{row.label}</span>
          {row.stable ? <Badge tone="good">Stable</Badge> : null}
          {activeRollout?.to.id === row.id ? <Badge tone="info">Rolling out · {activeRollout.percent} %</Badge> : null}
        </span>
      ),
    },
    { key: "status", header: "Status", sortValue: (row) => row.status, render: (row) => <Badge tone={VERSION_STATUS[row.status]?.tone ?? "neutral"}>{VERSION_STATUS[row.status]?.label ?? row.status}</Badge> },
    { key: "model", header: "Model", sortValue: (row) => row.model, render: (row) => <span className="font-mono text-xs">{row.model ?? "—"}</span> },
    { key: "tools", header: "Tools", sortValue: (row) => row.tools.length, render: (row) => <span title={row.tools.join(", ")}>{row.tools.length}</span> },
    {
      key: "created",
      header: "Created",
      sortValue: (row) => new Date(row.createdAt).getTime(),
      render: (row) => (
        <span className="text-xs">
          <LocalTime value={row.createdAt} style="short" />
          <span className="block text-slate-500">by {row.createdBy}</span>
        </span>
      ),
    },
    {
      key: "released",
      header: "Released",
      sortValue: (row) => (row.releasedAt ? new Date(row.releasedAt).getTime() : null),
      render: (row) => (row.releasedAt ? <LocalTime value={row.releasedAt} style="short" /> : "—"),
    },
    ...(canWrite
      ? [
          {
            key: "actions",
            header: "Actions",
            render: (row: Version) => {
              // Versions a running rollout holds change only through the rollout; the stable one only after it.
              const held = activeRollout !== null && (activeRollout.to.id === row.id || activeRollout.from.id === row.id);
              return (
                <span className="flex flex-wrap gap-1.5">
                  {row.status === "draft" ? (
                    <>
                      <Button size="sm" variant="secondary" aria-label={`Edit ${row.label}`} onClick={() => setForm({ editing: row, initial: row })}>
                        Edit
                      </Button>
                      <Button size="sm" aria-label={`Release ${row.label}`} onClick={() => act("release", row)}>
                        Release
                      </Button>
                    </>
                  ) : null}
                  {!row.stable && !activeRollout && (row.status === "released" || row.status === "deprecated") ? (
                    <Button size="sm" variant="secondary" aria-label={`Make ${row.label} stable`} onClick={() => act("makeStable", row)}>
                      Make stable
                    </Button>
                  ) : null}
                  {!row.stable && !held && row.status === "released" ? (
                    <Button size="sm" variant="secondary" aria-label={`Deprecate ${row.label}`} onClick={() => act("deprecate", row)}>
                      Deprecate
                    </Button>
                  ) : null}
                  {!row.stable && !held && (row.status === "released" || row.status === "deprecated") ? (
                    <Button size="sm" variant="ghost" className="text-red-700" aria-label={`Retire ${row.label}`} onClick={() => act("retire", row)}>
                      Retire
                    </Button>
                  ) : null}
                  {held ? <span className="text-xs text-slate-500">In the running rollout</span> : null}
                </span>
              );
            },
          },
        ]
      : []),
  ];

  return (
    <div className="space-y-5">
      {activeRollout ? (
        <Alert tone="info" title={`Rolling out ${activeRollout.to.label} over ${activeRollout.from.label}: ${activeRollout.percent} % of instances (${PHASE[phaseOf(activeRollout)].label.toLowerCase()})`}>
          Its guards, stages and controls are on the{" "}
          <Link href={`/${org.slug}/rollouts`} className="font-medium underline">
            Rollouts page
          </Link>
          .
        </Alert>
      ) : null}
      <Card>
        <CardHeader
          title="Versions"
          description="What the agent runs: model, system prompt, tools and configuration. Drafts can change; released versions are immutable."
          actions={
            canWrite ? (
              <>
                {stable && versions.some((version) => version.status === "released" && !version.stable) && !activeRollout ? (
                  <Button variant="secondary" onClick={() => setRolling(true)}>
                    Start a rollout
                  </Button>
                ) : null}
                <Button onClick={() => setForm({ editing: null, initial: newDraft() })}>New version</Button>
              </>
            ) : undefined
          }
        />
        {versions.length === 0 ? (
          <EmptyState title="No versions yet" action={canWrite ? <Button onClick={() => setForm({ editing: null, initial: newDraft() })}>New version</Button> : undefined}>
            Record what {agent.name} runs as a version; its first release becomes the stable version that rollouts start from.
          </EmptyState>
        ) : (
          <DataTable rows={versions} columns={columns} rowKey={(row) => row.id} caption={`Versions of ${agent.name}`} />
        )}
      </Card>

      <VersionCompare agentId={agent.id} versions={versions} />

      {canWrite && form ? (
        <VersionFormDialog open onClose={() => setForm(null)} agentId={agent.id} editing={form.editing ? { id: form.editing.id, label: form.editing.label } : null} initial={form.initial} />
      ) : null}
      {canWrite && acting ? (
        <ReasonDialog
          open
          onClose={() => setActing(null)}
          title={ACTION[acting.action].title(acting.version.label)}
          description={ACTION[acting.action].description}
          confirmLabel={ACTION[acting.action].confirm}
          tone={ACTION[acting.action].tone ?? "primary"}
          pending={mutations[acting.action].isPending}
          error={mutations[acting.action].error}
          onConfirm={(reason) => mutations[acting.action].mutate({ orgId: org.orgId, versionId: acting.version.id, reason })}
        />
      ) : null}
      {canWrite ? <StartRolloutDialog open={rolling} onClose={() => setRolling(false)} agentId={agent.id} /> : null}
    </div>
  );
}
