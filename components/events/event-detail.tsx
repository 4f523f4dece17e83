"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, type ReactNode } from "react";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { CloseButton, useModalDialog } from "@/components/ui/dialog";
import { formatNumber } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { QueryBoundary, SkeletonRows } from "@/components/ui/query-boundary";
import { EventTypeBadge, formatCost, formatLatency, StatusText } from "./event-format";
import { splitRedactions } from "./event-search";

type EventDetail = RouterOutputs["events"]["get"];

/** A side panel (a modal <dialog>: focus stays inside, Escape closes) with everything about one event. */
export function EventDetailPanel({ id, onClose, onFilterTask }: { id: string | null; onClose: () => void; onFilterTask: (taskId: string) => void }) {
  const ref = useModalDialog(id !== null);
  const titleId = useId();

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
      className="mt-0 mr-0 mb-0 ml-auto h-dvh max-h-dvh w-full max-w-2xl bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-900/30"
    >
      {id ? <EventDetailBody id={id} titleId={titleId} onClose={onClose} onFilterTask={onFilterTask} /> : null}
    </dialog>
  );
}

function EventDetailBody({ id, titleId, onClose, onFilterTask }: { id: string; titleId: string; onClose: () => void; onFilterTask: (taskId: string) => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const event = useQuery(trpc.events.get.queryOptions({ orgId: org.orgId, id }));

  return (
    <div className="flex h-full flex-col">
      <div className="flex items-start justify-between gap-4 border-b border-slate-200 px-6 py-4">
        <div>
          <h2 id={titleId} className="text-lg font-semibold text-slate-900">
            {event.data ? (
              <>
                <span className="font-mono">{event.data.type}</span> event
              </>
            ) : (
              "Event"
            )}
          </h2>
          {event.data ? (
            <p className="mt-0.5 text-sm text-slate-500">
              <LocalTime value={event.data.ts} /> · {event.data.agent.name}
            </p>
          ) : null}
        </div>
        <CloseButton onClose={onClose} />
      </div>
      <div className="flex-1 overflow-y-auto px-6 py-5">
        <QueryBoundary query={event} label="the event" loading={<SkeletonRows rows={8} />}>
          {(data) => <EventFields event={data} onFilterTask={onFilterTask} />}
        </QueryBoundary>
      </div>
    </div>
  );
}

function EventFields({ event, onFilterTask }: { event: EventDetail; onFilterTask: (taskId: string) => void }) {
  const org = useOrg();
  const mono = (value: string | null) => (value ? <code className="font-mono text-xs break-all">{value}</code> : null);
  const rows: [string, ReactNode][] = [
    ["Type", <EventTypeBadge key="type" type={event.type} />],
    [
      "Agent",
      <Link key="agent" href={`/${org.slug}/agents/${event.agent.id}`} className="text-brand-700 hover:underline">
        {event.agent.name}
      </Link>,
    ],
    ["Time", <LocalTime key="ts" value={event.ts} />],
    ["Received", <LocalTime key="received" value={event.receivedAt} />],
    ["Event id", mono(event.eventId)],
    [
      "Task",
      event.taskId ? (
        <span key="task" className="flex flex-wrap items-center gap-2">
          {mono(event.taskId)}
          <Button variant="ghost" size="sm" className="-my-1 h-7" onClick={() => onFilterTask(event.taskId ?? "")}>
            All events of this task
          </Button>
        </span>
      ) : null,
    ],
    ["Trace", mono(event.traceId)],
    ["Instance", mono(event.instanceId)],
    ["Version", mono(event.version)],
    ["Model", mono(event.model)],
    ["Provider", event.provider],
    ["Input tokens", event.inputTokens === null ? null : formatNumber(event.inputTokens)],
    ["Output tokens", event.outputTokens === null ? null : formatNumber(event.outputTokens)],
    [
      "Cost",
      formatCost(event.costMicros, event.costSource) ? (
        <span key="cost">
          {formatCost(event.costMicros, event.costSource)}
          {event.costSource && event.costSource !== "unpriced" ? (
            <span className="ml-2 text-xs text-slate-500">({event.costSource === "computed" ? "computed from the registry's prices" : "reported by the agent"})</span>
          ) : null}
        </span>
      ) : null,
    ],
    ["Latency", event.latencyMs === null ? null : formatLatency(event.latencyMs)],
    ["Tool", mono(event.tool)],
    ["Status", event.status ? <StatusText key="status" status={event.status} /> : null],
    ["Decision", mono(event.decisionId)],
  ];

  return (
    <div className="space-y-6">
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="font-medium text-slate-600">{label}</dt>
            <dd className="min-w-0 text-slate-800">{value ?? <span className="text-slate-400">—</span>}</dd>
          </div>
        ))}
      </dl>
      <section aria-labelledby="event-attributes">
        <h3 id="event-attributes" className="text-sm font-semibold text-slate-900">
          Attributes
        </h3>
        <Attributes value={event.attributes} />
      </section>
    </div>
  );
}

function Attributes({ value }: { value: unknown }) {
  if (value === null || (typeof value === "object" && Object.keys(value).length === 0)) {
    return <p className="mt-1 text-sm text-slate-500">The agent sent no attributes.</p>;
  }
  const parts = splitRedactions(JSON.stringify(value, null, 2));
  const redactions = parts.filter((part) => part.redacted).length;
  return (
    <>
      <p className="mt-1 text-xs text-slate-500">
        {redactions === 0 ? "Nothing in them needed redacting." : `${redactions} ${redactions === 1 ? "value was" : "values were"} redacted before storage (highlighted); the originals were never stored.`}
      </p>
      <pre className="mt-2 overflow-x-auto rounded-md bg-slate-50 px-4 py-3 font-mono text-xs leading-relaxed text-slate-800 ring-1 ring-slate-200">
        {parts.map((part, index) =>
          part.redacted ? (
            <mark key={index} className="rounded bg-amber-100 px-0.5 font-semibold text-amber-900 ring-1 ring-amber-300" title="Redacted before storage">
              {part.text}
            </mark>
          ) : (
            <span key={index}>{part.text}</span>
          ),
        )}
      </pre>
    </>
  );
}
