"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useCan, useOrg } from "@/components/shell/org-context";
import { byNextCursor } from "@/components/trpc/paging";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Alert, Badge, EmptyState, Skeleton } from "@/components/ui/feedback";
import { Field, Select } from "@/components/ui/form";
import { LocalTime } from "@/components/ui/local-time";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { ROLE_LABELS } from "@/server/domain/access/permissions";
import { ApprovalRequest, type ApprovalItem, type Outcome } from "./approval-request";
import { APPROVAL_HISTORY_PAGE, APPROVAL_QUEUE_LIMIT, argumentLines, outcomeLine, STATUS_LABEL, STATUS_TONE } from "./present";

/** The queue reloads this often: new requests show up without a page reload. */
const QUEUE_REFRESH_MS = 10_000;

export function ApprovalsPage() {
  const org = useOrg();
  const canDecide = useCan("approvals:decide");
  if (!canDecide) {
    return (
      <>
        <PageHeader title="Approvals" description="Agent actions that wait for a person to approve them." />
        <Alert tone="warn" title={`Your role (${ROLE_LABELS[org.role]}) does not decide approvals`}>
          Owners, admins and compliance officers decide every request; team leads decide their own teams&apos;. Ask an admin if you need access.
        </Alert>
      </>
    );
  }
  return <ApprovalQueue />;
}

function ApprovalQueue() {
  const org = useOrg();
  const trpc = useTRPC();
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const pending = useQuery({
    ...trpc.approvals.list.queryOptions({ orgId: org.orgId, view: "pending", limit: APPROVAL_QUEUE_LIMIT }),
    refetchInterval: QUEUE_REFRESH_MS,
  });
  const record = (outcome: Outcome) => setOutcomes((current) => [outcome, ...current.filter((item) => item.id !== outcome.id)].slice(0, 5));

  return (
    <>
      <PageHeader
        title="Approvals"
        description={
          <>
            When a policy says an action needs a person, the agent waits here. Approve to let it act once, exactly as shown; deny to stop it. A request nobody decides expires (after 30 minutes by default) and
            the agent has to ask again.
            {org.role === "team_lead" ? " You see your teams' agents." : ""}
          </>
        }
      />

      {outcomes.length > 0 ? (
        <div className="mb-4 space-y-2">
          {outcomes.map((outcome) => (
            <div key={outcome.id} className="relative">
              <Alert tone={outcome.tone} title={outcome.title}>
                {outcome.message ? <p>{outcome.message}</p> : null}
              </Alert>
              <button
                type="button"
                onClick={() => setOutcomes((current) => current.filter((item) => item.id !== outcome.id))}
                className="absolute top-2 right-3 text-sm font-medium text-slate-600 hover:text-slate-900"
                aria-label={`Dismiss: ${outcome.title}`}
              >
                ×
              </button>
            </div>
          ))}
        </div>
      ) : null}

      <section aria-labelledby="pending-heading" className="mb-8">
        <div className="mb-3 flex items-center gap-2">
          <h2 id="pending-heading" className="text-lg font-semibold text-slate-900">
            Waiting for a decision
          </h2>
          {pending.data ? <Badge tone={pending.data.items.length > 0 ? "warn" : "neutral"}>{pending.data.items.length}</Badge> : null}
        </div>
        <QueryBoundary
          query={pending}
          label="the queue"
          loading={
            <Card className="p-5">
              <Skeleton className="h-24 w-full" />
            </Card>
          }
          isEmpty={(data) => data.items.length === 0}
          empty={
            <Card>
              <EmptyState title="Nothing waits for a decision">
                When an agent asks to do something a policy marks as needing approval (a refund above a limit, access to card data), the request appears here, and the agent waits for your answer.
              </EmptyState>
            </Card>
          }
        >
          {(data) => (
            <div className="space-y-4">
              {data.items.map((item) => (
                <ApprovalRequest key={item.id} item={item} onOutcome={record} />
              ))}
            </div>
          )}
        </QueryBoundary>
      </section>

      <ApprovalHistory />
    </>
  );
}

type StatusFilter = "" | "approved" | "denied" | "expired";

function ApprovalHistory() {
  const org = useOrg();
  const trpc = useTRPC();
  const statusId = useId();
  const teamId = useId();
  const [status, setStatus] = useState<StatusFilter>("");
  const [team, setTeam] = useState("");
  const teams = useQuery(trpc.teams.list.queryOptions({ orgId: org.orgId }));
  const history = useInfiniteQuery(
    trpc.approvals.list.infiniteQueryOptions({ orgId: org.orgId, view: "history", limit: APPROVAL_HISTORY_PAGE, ...(status ? { status } : {}), ...(team ? { teamId: team } : {}) }, byNextCursor),
  );

  const columns: Column<ApprovalItem>[] = [
    {
      key: "requested",
      header: "Requested",
      sortValue: (item) => new Date(item.requestedAt).getTime(),
      render: (item) => <LocalTime value={item.requestedAt} />,
    },
    {
      key: "agent",
      header: "Agent",
      sortValue: (item) => item.agent.name,
      render: (item) => (
        <div>
          <p className="font-medium text-slate-900">{item.agent.name}</p>
          <p className="text-xs text-slate-500">{item.team?.name ?? "No team"}</p>
        </div>
      ),
    },
    {
      key: "action",
      header: "Action",
      sortValue: (item) => `${item.action.type} ${item.action.name}`,
      render: (item) => (
        <div className="max-w-xs">
          <p>
            <span className="text-slate-500">{item.action.type}</span> <code className="text-sm">{item.action.name}</code>
          </p>
          <p className="truncate font-mono text-xs text-slate-500" title={JSON.stringify(item.action.arguments)}>
            {argumentLines(item.action.arguments)
              .map((line) => `${line.name}: ${line.value}`)
              .join(", ")}
          </p>
        </div>
      ),
    },
    {
      key: "status",
      header: "Outcome",
      sortValue: (item) => item.status,
      render: (item) => (
        <div className="max-w-sm">
          <Badge tone={STATUS_TONE[item.status]}>{STATUS_LABEL[item.status]}</Badge>
          <p className="mt-1 text-xs text-slate-600">{outcomeLine(item)}</p>
        </div>
      ),
    },
    {
      key: "decided",
      header: "Decided / expired",
      sortValue: (item) => new Date(item.decidedAt ?? item.expiresAt).getTime(),
      render: (item) => <LocalTime value={item.decidedAt ?? item.expiresAt} />,
    },
  ];

  return (
    <Card>
      <CardHeader title="History" description="Decided and expired requests, newest first. Each decision is also in the audit log." />
      <div className="flex flex-wrap items-end gap-4 border-b border-slate-200 px-5 py-3">
        <div className="w-44">
          <Field label="Outcome" htmlFor={statusId}>
            <Select
              id={statusId}
              value={status}
              onChange={(event) => setStatus(event.target.value as StatusFilter)}
              options={[
                { value: "", label: "All" },
                { value: "approved", label: "Approved" },
                { value: "denied", label: "Denied" },
                { value: "expired", label: "Expired" },
              ]}
            />
          </Field>
        </div>
        {(teams.data?.length ?? 0) > 1 ? (
          <div className="w-52">
            <Field label="Team" htmlFor={teamId}>
              <Select id={teamId} value={team} onChange={(event) => setTeam(event.target.value)}>
                <option value="">All teams</option>
                {teams.data?.map((option) => (
                  <option key={option.id} value={option.id}>
                    {option.name}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
        ) : null}
      </div>
      <QueryBoundary query={history} label="the history" inset>
        {(data) => (
          <>
            <DataTable
              rows={data.pages.flatMap((page) => page.items)}
              columns={columns}
              rowKey={(item) => item.id}
              caption="Decided and expired approval requests"
              empty={
                <EmptyState title={status || team ? "No request matches these filters" : "No decided or expired requests yet"}>
                  Requests move here once someone approves or denies them, or when they expire.
                </EmptyState>
              }
            />
            {history.hasNextPage ? (
              <div className="border-t border-slate-200 px-5 py-3">
                <Button variant="secondary" onClick={() => void history.fetchNextPage()} disabled={history.isFetchingNextPage}>
                  {history.isFetchingNextPage ? "Loading…" : "Show more"}
                </Button>
              </div>
            ) : null}
          </>
        )}
      </QueryBoundary>
    </Card>
  );
}
