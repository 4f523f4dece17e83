"use client";

import Link from "next/link";
import { useMemo, type ReactNode } from "react";
import { SpendersTable } from "@/components/budgets/spenders-table";
import { StackedSpendChart } from "@/components/charts/stacked-spend-chart";
import type { RouterOutputs } from "@/components/trpc/react";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge, EmptyState } from "@/components/ui/feedback";
import { formatMicroUsd } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { plural, teamSpendSeries, topFive } from "./present";

type Summary = RouterOutputs["overview"]["summary"];

const LINK = "font-medium text-brand-700 hover:underline";

function NoAgentsYet({ base, canWriteAgents, scoped }: { base: string; canWriteAgents: boolean; scoped: boolean }) {
  return (
    <EmptyState
      title={scoped ? "No agents in your teams have reported in yet" : "No agents have reported in yet"}
      action={
        <Link href={`${base}/agents`} className={`text-sm ${LINK}`}>
          Go to the Agents page →
        </Link>
      }
    >
      {canWriteAgents
        ? "Give an agent a key on the Agents page; its spend shows here from its first event."
        : "Once an owner, admin or team lead gives an agent a key on the Agents page, its spend shows here from its first event."}
    </EmptyState>
  );
}

export function SpendChartCard({ summary, base, canWriteAgents }: { summary: Summary; base: string; canWriteAgents: boolean }) {
  const chart = useMemo(() => teamSpendSeries(summary.spend), [summary.spend]);
  const scoped = summary.scope.kind === "teams";
  const hasAgents = summary.agents.total + summary.agents.archived > 0;
  return (
    <Card>
      <CardHeader
        title="Spend by team, last 30 days"
        description={chart.series.length > 0 ? `Daily spend per UTC day: ${formatMicroUsd(chart.totalMicros)} in all over the 30 days.` : "Daily spend per UTC day, one colour per team."}
        actions={
          <Link href={`${base}/budgets`} className={`text-sm ${LINK}`}>
            Costs in detail →
          </Link>
        }
      />
      {chart.series.length > 0 ? (
        <div className="px-4 pt-4 pb-2">
          <StackedSpendChart data={chart.data} series={chart.series} label="Daily spend by team, last 30 days" height={280} />
        </div>
      ) : hasAgents ? (
        <EmptyState title="No spend in the last 30 days">
          Agents report their cost with their events (or it is worked out from the model registry&apos;s prices). Nothing that cost money was reported yet.
        </EmptyState>
      ) : (
        <NoAgentsYet base={base} canWriteAgents={canWriteAgents} scoped={scoped} />
      )}
    </Card>
  );
}

export function TopSpendersCard({ summary, base }: { summary: Summary; base: string }) {
  const rows = useMemo(() => topFive(summary.spend), [summary.spend]);
  const month = new Intl.DateTimeFormat("en-GB", { month: "long", timeZone: "UTC" }).format(new Date(`${summary.spend.monthStart}T00:00:00Z`));
  return (
    <Card>
      <CardHeader title="Top spenders this month" description={`The agents that spent most in ${month} (UTC), and their share of ${summary.scope.kind === "teams" ? "your teams'" : "all"} spend.`} />
      {rows.length === 0 ? (
        <EmptyState title={`No spend in ${month} yet`}>The biggest spenders show here as soon as agents report a cost.</EmptyState>
      ) : (
        <SpendersTable rows={rows} base={base} caption="Top spenders this month" />
      )}
    </Card>
  );
}

const SEVERITY_TONE = { critical: "bad", warning: "warn", info: "info" } as const;
const SCOPE_LABEL: Record<string, string> = { org: "Organisation", team: "Team", agent: "Agent", model: "Model", tag: "Tag" };

function Group({ title, count, link, children }: { title: string; count: number; link: ReactNode; children: ReactNode }) {
  return (
    <section aria-label={title} className="px-5 py-4">
      <div className="flex items-baseline justify-between gap-3">
        <h3 className="text-sm font-semibold text-slate-900">
          {title} <span className="ml-1 font-normal text-slate-500 tabular-nums">{count}</span>
        </h3>
        <div className="text-sm">{link}</div>
      </div>
      <ul className="mt-2 space-y-2">{children}</ul>
    </section>
  );
}

function More({ shown, total }: { shown: number; total: number }) {
  return total > shown ? <li className="text-xs text-slate-500">and {total - shown} more</li> : null;
}

export function IncidentsCard({ summary, base, canDecide }: { summary: Summary; base: string; canDecide: boolean }) {
  const { incidents, agents } = summary;
  const nothing = incidents.total === 0 && agents.discovered === 0;
  return (
    <Card>
      <CardHeader title="Needs attention" description="Engaged kill switches, unacknowledged alerts, approvals waiting and agents nobody has reviewed." />
      {nothing ? (
        <EmptyState title="Nothing needs attention">No kill switch is engaged, every alert is acknowledged, no approval is waiting and every agent has been reviewed.</EmptyState>
      ) : (
        <div className="divide-y divide-slate-100">
          {incidents.killSwitches.total > 0 ? (
            <Group
              title="Kill switches engaged"
              count={incidents.killSwitches.total}
              link={
                <Link href={`${base}/kill-switches`} className={LINK}>
                  Kill switches →
                </Link>
              }
            >
              {incidents.killSwitches.items.map((sw) => (
                <li key={sw.id} className="text-sm">
                  <div className="flex flex-wrap items-center gap-2">
                    <Badge tone="bad">{SCOPE_LABEL[sw.scope] ?? sw.scope}</Badge>
                    <span className="font-medium text-slate-900">{sw.targetName || "Whole organisation"}</span>
                    <span className="text-xs text-slate-500">halts {plural(sw.affectedAgents, "agent")}</span>
                  </div>
                  <p className="mt-0.5 text-slate-600">{sw.reason}</p>
                  <p className="text-xs text-slate-500">
                    {sw.reasonCode === "loop_detected" ? "Engaged automatically (loop detected)" : `Engaged by ${sw.engagedBy}`}, <LocalTime value={sw.engagedAt} />
                  </p>
                </li>
              ))}
              <More shown={incidents.killSwitches.items.length} total={incidents.killSwitches.total} />
            </Group>
          ) : null}

          {incidents.alerts.total > 0 ? (
            <Group
              title="Open alerts"
              count={incidents.alerts.total}
              link={
                <Link href={`${base}/alerts`} className={LINK}>
                  Alerts →
                </Link>
              }
            >
              {incidents.alerts.items.map((alert) => (
                <li key={alert.id} className="text-sm">
                  <div className="flex items-start gap-2">
                    <span className="mt-px shrink-0">
                      <Badge tone={SEVERITY_TONE[alert.severity as keyof typeof SEVERITY_TONE] ?? "neutral"}>{alert.severity}</Badge>
                    </span>
                    <span className="text-slate-900">{alert.title}</span>
                  </div>
                  <p className="mt-0.5 text-xs text-slate-500">
                    {alert.agent ? (
                      <>
                        <Link href={`${base}/agents/${alert.agent.id}`} className={LINK}>
                          {alert.agent.name}
                        </Link>
                        {" · "}
                      </>
                    ) : null}
                    {alert.teamName ? `${alert.teamName} · ` : ""}
                    <LocalTime value={alert.createdAt} />
                  </p>
                </li>
              ))}
              <More shown={incidents.alerts.items.length} total={incidents.alerts.total} />
            </Group>
          ) : null}

          {incidents.approvals.total > 0 ? (
            <Group
              title="Approvals waiting"
              count={incidents.approvals.total}
              link={
                canDecide ? (
                  <Link href={`${base}/approvals`} className={LINK}>
                    Approval queue →
                  </Link>
                ) : null
              }
            >
              {incidents.approvals.items ? (
                <>
                  {incidents.approvals.items.map((item) => (
                    <li key={item.id} className="text-sm">
                      <p>
                        <Link href={`${base}/agents/${item.agent.id}`} className={LINK}>
                          {item.agent.name}
                        </Link>{" "}
                        asks to use {item.action.type} <code className="rounded bg-slate-100 px-1 text-xs">{item.action.name}</code>
                      </p>
                      <p className="text-xs text-slate-500">
                        Expires <LocalTime value={item.expiresAt} />
                      </p>
                    </li>
                  ))}
                  <More shown={incidents.approvals.items.length} total={incidents.approvals.total} />
                </>
              ) : (
                <li className="text-sm text-slate-600">
                  {plural(incidents.approvals.total, "agent action waits", "agent actions wait")} for a person to approve or deny it. Owners, admins, compliance officers and the agents&apos; team leads decide
                  them on the Approvals page.
                </li>
              )}
            </Group>
          ) : null}

          {agents.discovered > 0 ? (
            <Group
              title="Discovered, pending review"
              count={agents.discovered}
              link={
                <Link href={`${base}/agents?status=discovered`} className={LINK}>
                  Review them →
                </Link>
              }
            >
              {agents.discoveredList.map((agent) => (
                <li key={agent.id} className="flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
                  <Link href={`${base}/agents/${agent.id}`} className={LINK}>
                    {agent.name}
                  </Link>
                  <span className="text-xs text-slate-500">
                    {agent.lastSeenAt ? (
                      <>
                        last seen <LocalTime value={agent.lastSeenAt} />
                      </>
                    ) : (
                      "never reported"
                    )}
                  </span>
                </li>
              ))}
              <More shown={agents.discoveredList.length} total={agents.discovered} />
            </Group>
          ) : null}
        </div>
      )}
    </Card>
  );
}
