"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useId, useState, type ReactNode } from "react";
import { z } from "zod";
import { EventsExplorer } from "@/components/events/events-page";
import { EventTypeBadge, formatCost } from "@/components/events/event-format";
import { HaltedBanner } from "@/components/kill-switches/halted-banner";
import { Dialog } from "@/components/ui/dialog";
import { useCan, useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { DataTable, type Column } from "@/components/ui/data-table";
import { cn } from "@/components/ui/cn";
import { Alert, Badge, EmptyState } from "@/components/ui/feedback";
import { Field, FormButtons, FormError, Input } from "@/components/ui/form";
import { useFormCheck } from "@/components/ui/form-check";
import { LocalTime } from "@/components/ui/local-time";
import { errorStatus, QueryBoundary, SkeletonRows } from "@/components/ui/query-boundary";
import { TabList, TabPanel } from "@/components/ui/tabs";
import { AgentTimeline } from "@/components/rollouts/agent-timeline";
import { AgentVersions } from "@/components/rollouts/agent-versions";
import { agentCardSchema } from "@/server/domain/agents/a2a-card";
import { archiveAgentInput } from "@/server/domain/agents/schemas";
import { AgentCompliance } from "@/components/compliance/agent-compliance";
import { AgentForm, formValuesOf } from "./agent-form";
import { AgentKeys } from "./agent-keys";
import { agentTabOf, agentTabsFor, RECENT_EVENTS, type AgentTabId } from "./agent-tabs";
import { AgentMetrics } from "./agent-metrics";
import { HealthBadge, StatusBadge } from "./badges";

type Agent = RouterOutputs["agents"]["get"];

const LATER_TABS = ["Policies"];

export function AgentPage({ agentId }: { agentId: string }) {
  const org = useOrg();
  const trpc = useTRPC();
  const agent = useQuery(trpc.agents.get.queryOptions({ orgId: org.orgId, agentId }));

  return (
    <QueryBoundary query={agent} label="the agent" skeleton={["h-4 w-24", "h-8 w-72", "h-48 w-full"]} failure={(error) => <AgentUnavailable error={error} />}>
      {(data) => <AgentView agent={data} />}
    </QueryBoundary>
  );
}

/** The agent page when the agent cannot be shown: out of the viewer's teams, gone, or an error (null: the generic one). */
function AgentUnavailable({ error }: { error: unknown }) {
  const status = errorStatus(error);
  if (status !== 403 && status !== 404) return null;
  return (
    <>
      <BackLink />
      {status === 403 ? (
        <Alert tone="warn" title="This agent belongs to a team outside yours">
          Team leads see the agents of the teams they lead. Ask an admin if you need access.
        </Alert>
      ) : (
        <Alert tone="warn" title="No such agent">
          It may have been removed, or the link is wrong.
        </Alert>
      )}
    </>
  );
}

function BackLink() {
  const org = useOrg();
  return (
    <Link href={`/${org.slug}/agents`} className="mb-3 inline-block text-sm text-slate-500 hover:text-slate-800">
      ← All agents
    </Link>
  );
}

function AgentView({ agent }: { agent: Agent }) {
  const canWrite = useCan("agents:write");
  const pathname = usePathname();
  const router = useRouter();
  const params = useSearchParams();
  const tabs = agentTabsFor(canWrite);
  const current = agentTabOf(params.get("tab"), canWrite);
  const [dialog, setDialog] = useState<"edit" | "review" | "archive" | "restore" | null>(null);

  const select = (tab: AgentTabId) => {
    // A tab is a link; the Events tab's filters are dropped when leaving it.
    router.replace(tab === "overview" ? pathname : `${pathname}?tab=${tab}`, { scroll: false });
  };

  const discovered = agent.status === "discovered";
  const archived = agent.status === "archived";

  return (
    <>
      <BackLink />
      <HaltedBanner agentId={agent.id} />
      <header className="mb-5 flex flex-wrap items-start justify-between gap-4">
        <div>
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{agent.name}</h1>
            <StatusBadge status={agent.status} />
            <HealthBadge health={agent.health} />
          </div>
          <p className="mt-1 text-sm text-slate-600">
            {agent.team ? `Team ${agent.team.name}` : "No team"}
            {agent.framework ? ` · ${agent.framework}` : ""}
            {agent.version ? ` · version ${agent.version}` : ""}
            {agent.owner ? ` · owned by ${agent.owner}` : " · no owner set"}
          </p>
        </div>
        {canWrite ? (
          <div className="flex flex-wrap gap-2">
            {discovered ? <Button onClick={() => setDialog("review")}>Review &amp; register</Button> : null}
            {!discovered && !archived ? (
              <Button variant="secondary" onClick={() => setDialog("edit")}>
                Edit
              </Button>
            ) : null}
            {archived ? (
              <Button variant="secondary" onClick={() => setDialog("restore")}>
                Restore
              </Button>
            ) : (
              <Button variant="secondary" className="text-red-700" onClick={() => setDialog("archive")}>
                Archive
              </Button>
            )}
          </div>
        ) : null}
      </header>

      {discovered ? (
        <div className="mb-5">
          <Alert tone="warn" title="Discovered · pending review">
            This agent reported in with an org ingest key, but nobody has registered it. Its telemetry is stored and counted.
            {canWrite ? " Review it: give it a team, an owner and its data categories, then register it." : " An admin or its team lead can review and register it."}
          </Alert>
        </div>
      ) : null}
      {archived ? (
        <div className="mb-5">
          <Alert tone="neutral" title="Archived">
            This agent is retired from the registry and its keys were revoked. Its history stays.
          </Alert>
        </div>
      ) : null}

      <div className="mb-5 flex flex-wrap items-end justify-between gap-2 border-b border-slate-200">
        <TabList tabs={tabs} current={current} onSelect={select} label="Agent sections" idPrefix="agent" />
        <p className="pb-2.5 text-xs text-slate-400">{LATER_TABS.join(", ")}: coming in later releases</p>
      </div>

      <TabPanel idPrefix="agent" current={current}>
        {current === "overview" ? <Overview agent={agent} onShowEvents={() => select("events")} /> : null}
        {current === "events" ? <EventsExplorer agent={{ id: agent.id, name: agent.name }} /> : null}
        {current === "versions" ? <AgentVersions agent={agent} /> : null}
        {current === "timeline" ? <AgentTimeline agentId={agent.id} /> : null}
        {current === "keys" ? <AgentKeys agent={agent} /> : null}
        {current === "metrics" ? <AgentMetrics agent={{ id: agent.id, name: agent.name }} /> : null}
        {current === "compliance" ? <AgentCompliance agent={{ id: agent.id, name: agent.name }} /> : null}
      </TabPanel>

      {canWrite ? (
        <>
          <Dialog
            open={dialog === "edit" || dialog === "review"}
            onClose={() => setDialog(null)}
            size="lg"
            title={dialog === "review" ? `Review & register ${agent.name}` : `Edit ${agent.name}`}
            description={dialog === "review" ? "Complete its record; saving registers it (it stops being discovered)." : undefined}
          >
            <AgentForm initial={formValuesOf(agent)} mode={{ kind: dialog === "review" ? "review" : "edit", agentId: agent.id }} onCancel={() => setDialog(null)} onSaved={() => setDialog(null)} />
          </Dialog>
          <ArchiveDialog agent={agent} open={dialog === "archive"} onClose={() => setDialog(null)} />
          <RestoreDialog agent={agent} open={dialog === "restore"} onClose={() => setDialog(null)} />
        </>
      ) : null}
    </>
  );
}

function useInvalidateAgents() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.agents.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.keys.pathKey() })]);
}

function ArchiveDialog({ agent, open, onClose }: { agent: Agent; open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} size="sm" title={`Archive ${agent.name}?`}>
      <ArchiveForm agent={agent} onClose={onClose} />
    </Dialog>
  );
}

function ArchiveForm({ agent, onClose }: { agent: Agent; onClose: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const id = useId();
  const invalidate = useInvalidateAgents();
  const [reason, setReason] = useState("");
  const archive = useMutation(
    trpc.agents.archive.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        onClose();
      },
    }),
  );
  const check = useFormCheck(archiveAgentInput, { agentId: agent.id, ...(reason.trim() ? { reason } : {}) }, archive.error);
  return (
    <form className="space-y-4" {...check.formProps((input) => archive.mutate({ orgId: org.orgId, ...input }))}>
      <p className="text-sm text-slate-600">
        It leaves the registry&apos;s default view and <strong>all its keys are revoked at once</strong>, so it can no longer report in as itself. Its events and audit history stay. You can restore it later
        (with new keys).
      </p>
      <Field label="Reason (optional, kept in the audit log)" htmlFor={`${id}-reason`} error={check.errors.reason}>
        <Input
          id={`${id}-reason`}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          maxLength={500}
          placeholder="e.g. replaced by v2"
          aria-invalid={check.errors.reason ? true : undefined}
          aria-describedby={check.errors.reason ? `${id}-reason-error` : undefined}
        />
      </Field>
      <FormError message={check.formError} />
      <FormButtons onCancel={onClose} submitLabel="Archive agent" pendingLabel="Archiving…" pending={archive.isPending} danger />
    </form>
  );
}

function RestoreDialog({ agent, open, onClose }: { agent: Agent; open: boolean; onClose: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const invalidate = useInvalidateAgents();
  const restore = useMutation(
    trpc.agents.restore.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        onClose();
      },
    }),
  );
  return (
    <Dialog open={open} onClose={onClose} size="sm" title={`Restore ${agent.name}?`}>
      <div className="space-y-4">
        <p className="text-sm text-slate-600">It returns to the registry as registered. Its old keys stay revoked: create a new key for it on the Keys tab.</p>
        {restore.error ? (
          <Alert tone="bad" title="Not restored">
            {restore.error.message}
          </Alert>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button disabled={restore.isPending} aria-busy={restore.isPending} onClick={() => restore.mutate({ orgId: org.orgId, agentId: agent.id })}>
            {restore.isPending ? "Restoring…" : "Restore agent"}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}

const storedCard = z.object({
  url: z.string().nullish(),
  provider: agentCardSchema.shape.provider.nullish(),
  skills: agentCardSchema.shape.skills.nullish(),
});

function Chips({ items, empty, mono }: { items: string[]; empty: string; mono?: boolean }) {
  if (items.length === 0) return <span className="text-slate-400">{empty}</span>;
  return (
    <ul className="flex flex-wrap gap-1.5">
      {items.map((item) => (
        <li key={item} className={cn("rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-700 ring-1 ring-slate-200", mono && "font-mono")}>
          {item}
        </li>
      ))}
    </ul>
  );
}

function Overview({ agent, onShowEvents }: { agent: Agent; onShowEvents: () => void }) {
  const card = storedCard.safeParse(agent.card ?? {});
  const skills = card.success ? (card.data.skills ?? []) : [];
  const provider = card.success ? card.data.provider : null;
  const details: [string, ReactNode][] = [
    ["Owner", agent.owner ?? <span className="text-slate-400">Not set</span>],
    ["Team", agent.team?.name ?? <span className="text-slate-400">No team</span>],
    ["Framework", agent.framework ?? <span className="text-slate-400">—</span>],
    ["Version", agent.version ?? <span className="text-slate-400">—</span>],
    ["Heartbeat interval", `${agent.heartbeatIntervalSec} s (stale after ${agent.heartbeatIntervalSec * 3} s without one)`],
    ["Last seen", agent.lastSeenAt ? <LocalTime value={agent.lastSeenAt} style="relative" /> : <span className="text-slate-400">Never</span>],
    ["In the registry since", <LocalTime key="created" value={agent.createdAt} />],
    ["Last changed", <LocalTime key="updated" value={agent.updatedAt} />],
  ];
  const lists: [string, ReactNode][] = [
    ["Models", <Chips key="models" items={agent.models} empty="None listed" mono />],
    ["Tools", <Chips key="tools" items={agent.tools} empty="None listed" mono />],
    [
      "Data categories",
      agent.dataCategories.length === 0 ? (
        <span className="text-slate-400">None declared</span>
      ) : (
        <span className="flex flex-wrap gap-1.5">
          {agent.dataCategories.map((category) => (
            <Badge key={category} tone="warn">
              {category}
            </Badge>
          ))}
        </span>
      ),
    ],
    ["Tags", <Chips key="tags" items={agent.tags} empty="None" />],
  ];

  return (
    <div className="grid grid-cols-1 gap-5 xl:grid-cols-3">
      <div className="space-y-5 xl:col-span-2">
        <Card>
          <CardHeader title="About" />
          <div className="space-y-5 px-5 py-4">
            <p className="text-sm whitespace-pre-line text-slate-700">{agent.description || <span className="text-slate-400">No description.</span>}</p>
            <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
              {details.map(([label, value]) => (
                <div key={label} className="contents">
                  <dt className="font-medium text-slate-600">{label}</dt>
                  <dd className="text-slate-800">{value}</dd>
                </div>
              ))}
            </dl>
            <dl className="grid grid-cols-1 gap-4 text-sm sm:grid-cols-2">
              {lists.map(([label, value]) => (
                <div key={label}>
                  <dt className="mb-1 font-medium text-slate-600">{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          </div>
        </Card>

        {skills.length > 0 || provider ? (
          <Card>
            <CardHeader
              title="A2A Agent Card"
              description={
                <>
                  What the agent says about itself
                  {provider?.organization ? `, published by ${provider.organization}` : ""}
                  {card.success && card.data.url ? (
                    <>
                      {" "}
                      at <code className="font-mono text-xs">{card.data.url}</code>
                    </>
                  ) : null}
                  .
                </>
              }
            />
            <ul className="divide-y divide-slate-100">
              {skills.map((skill) => (
                <li key={skill.id ?? skill.name} className="px-5 py-3 text-sm">
                  <p className="font-medium text-slate-900">
                    {skill.name} {skill.id ? <code className="ml-1 font-mono text-xs font-normal text-slate-500">{skill.id}</code> : null}
                  </p>
                  {skill.description ? <p className="mt-0.5 text-slate-600">{skill.description}</p> : null}
                  {skill.tags && skill.tags.length > 0 ? (
                    <div className="mt-1.5">
                      <Chips items={skill.tags} empty="" />
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          </Card>
        ) : null}

        <Instances agent={agent} />
      </div>
      <RecentEvents agent={agent} onShowAll={onShowEvents} />
    </div>
  );
}

type Instance = Agent["instances"][number];

const dash = <span className="text-slate-400">—</span>;

const INSTANCE_COLUMNS: Column<Instance>[] = [
  { key: "instance", header: "Instance", sortValue: (instance) => instance.instanceId, render: (instance) => <span className="font-mono text-xs whitespace-nowrap text-slate-800">{instance.instanceId}</span> },
  { key: "version", header: "Version", sortValue: (instance) => instance.version, render: (instance) => instance.version ?? dash },
  { key: "status", header: "Status", sortValue: (instance) => instance.status, render: (instance) => instance.status ?? dash },
  {
    key: "lastHeartbeat",
    header: "Last heartbeat",
    className: "whitespace-nowrap",
    sortValue: (instance) => new Date(instance.lastHeartbeatAt).getTime(),
    // Whether it still beats is judged from its last heartbeat: both in one cell.
    render: (instance) => (
      <>
        {instance.stale ? <Badge tone="warn">Stale</Badge> : <Badge tone="good">Beating</Badge>}
        <span className="mt-0.5 block text-xs text-slate-500">
          <LocalTime value={instance.lastHeartbeatAt} style="relative" />
        </span>
      </>
    ),
  },
  {
    key: "firstSeen",
    header: "First seen",
    className: "whitespace-nowrap",
    sortValue: (instance) => new Date(instance.firstSeenAt).getTime(),
    render: (instance) => <LocalTime value={instance.firstSeenAt} style="short" />,
  },
];

function Instances({ agent }: { agent: Agent }) {
  return (
    <Card>
      <CardHeader title="Instances" description="Running copies of the agent, known from their heartbeats (POST /api/v1/heartbeat)." />
      <DataTable
        rows={agent.instances}
        columns={INSTANCE_COLUMNS}
        rowKey={(instance) => instance.instanceId}
        caption={`Instances of ${agent.name}`}
        initialSort={{ key: "lastHeartbeat", direction: "desc" }}
        empty={<EmptyState title="No heartbeats yet">Health is unknown until an instance sends one.</EmptyState>}
      />
    </Card>
  );
}

function RecentEvents({ agent, onShowAll }: { agent: Agent; onShowAll: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const events = useQuery(trpc.events.list.queryOptions({ orgId: org.orgId, agentId: agent.id, limit: RECENT_EVENTS }));
  return (
    <Card className="self-start">
      <CardHeader
        title="Recent events"
        actions={
          <Button variant="ghost" size="sm" onClick={onShowAll}>
            All events
          </Button>
        }
      />
      <QueryBoundary
        query={events}
        label="recent events"
        inset
        loading={<SkeletonRows rows={5} />}
        isEmpty={(data) => data.events.length === 0}
        empty={<EmptyState title="No events yet">They appear as the agent reports in.</EmptyState>}
      >
        {(data) => (
          <ul className="divide-y divide-slate-100">
            {data.events.map((event) => (
              <li key={event.id}>
                <Link
                  href={`/${org.slug}/agents/${agent.id}?tab=events&event=${event.id}`}
                  scroll={false}
                  aria-label={`${event.type} event ${event.eventId}: details`}
                  className="flex items-center justify-between gap-3 px-5 py-2.5 text-sm hover:bg-slate-50"
                >
                  <span className="flex min-w-0 items-center gap-2">
                    <EventTypeBadge type={event.type} />
                    <span className="truncate font-mono text-xs text-slate-600">{event.model ?? event.tool ?? event.status ?? ""}</span>
                  </span>
                  <span className="shrink-0 text-right text-xs text-slate-500">
                    {formatCost(event.costMicros, event.costSource)}
                    <span className="block">
                      <LocalTime value={event.ts} style="relative" />
                    </span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </QueryBoundary>
    </Card>
  );
}
