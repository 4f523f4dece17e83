"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { HEALTH } from "@/components/agents/badges";
import type { RouterOutputs } from "@/components/trpc/react";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Badge } from "@/components/ui/feedback";
import { formatMicroUsd, formatNumber } from "@/components/ui/format";
import { healthTone } from "@/server/domain/overview/summary";
import { SPEND_STATUS, healthSegments, percentChange, plural, pointsChange, rateText } from "./present";

type Summary = RouterOutputs["overview"]["summary"];

const LINK = "font-medium text-brand-700 hover:underline";
const SEGMENT = { good: "bg-emerald-500", warn: "bg-amber-500", bad: "bg-red-500", neutral: "bg-slate-300" } as const;
const TONE_TEXT = { good: "text-emerald-700", warn: "text-amber-700", bad: "text-red-700" } as const;

/** One headline tile: a label, a big figure, and the lines that explain it. */
export function Tile({ label, badge, figure, children, footer }: { label: string; badge?: ReactNode; figure: ReactNode; children?: ReactNode; footer?: ReactNode }) {
  return (
    <Card className="flex flex-col px-5 py-4">
      <div className="flex flex-1 flex-col">
        <div className="flex min-h-6 flex-wrap items-center justify-between gap-2">
          <h2 className="text-xs font-medium tracking-wide whitespace-nowrap text-slate-500 uppercase">{label}</h2>
          {badge ? <span className="whitespace-nowrap">{badge}</span> : null}
        </div>
        <div className="mt-2 text-3xl font-semibold tracking-tight text-slate-900 tabular-nums">{figure}</div>
        {children ? <div className="mt-2 space-y-1 text-sm text-slate-600">{children}</div> : null}
        {footer ? (
          <div className="mt-auto pt-4">
            <div className="border-t border-slate-100 pt-3 text-sm">{footer}</div>
          </div>
        ) : null}
      </div>
    </Card>
  );
}

export function AgentsTile({ agents, base, scoped, canWriteAgents }: { agents: Summary["agents"]; base: string; scoped: boolean; canWriteAgents: boolean }) {
  const none = agents.total === 0 && agents.archived === 0;
  return (
    <Tile
      label="Agents"
      figure={formatNumber(agents.total)}
      footer={
        agents.discovered > 0 ? (
          <Link href={`${base}/agents?status=discovered`} className="font-medium text-amber-800 hover:underline">
            {plural(agents.discovered, "agent")} pending review →
          </Link>
        ) : (
          <Link href={`${base}/agents`} className={LINK}>
            {none && canWriteAgents ? "Give an agent a key →" : "View all agents →"}
          </Link>
        )
      }
    >
      {none ? (
        <p>
          {scoped ? "No agents in your teams have reported in yet" : "No agents have reported in yet"}
          {canWriteAgents ? " — give an agent a key on the Agents page." : "; they appear here from their first event."}
        </p>
      ) : (
        <>
          <p>
            <span className="font-medium text-slate-900 tabular-nums">{formatNumber(agents.active)}</span> registered ·{" "}
            <span className="font-medium text-slate-900 tabular-nums">{formatNumber(agents.discovered)}</span> discovered
          </p>
          <p className="text-xs text-slate-500">{agents.archived > 0 ? `${plural(agents.archived, "archived agent")} not counted` : "None archived"}</p>
        </>
      )}
    </Tile>
  );
}

/** The last day of the month whose successor starts on `monthEnd`: "30 Nov". */
function monthEndText(monthEnd: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(Date.parse(`${monthEnd}T00:00:00Z`) - 86_400_000));
}

export function SpendTile({ spend, base, budgetsHint }: { spend: Summary["spend"]; base: string; budgetsHint: string }) {
  const status = SPEND_STATUS[spend.status];
  const month = new Intl.DateTimeFormat("en-GB", { month: "long", timeZone: "UTC" }).format(new Date(`${spend.monthStart}T00:00:00Z`));
  const spentWidth = Math.min(100, spend.spentPercent ?? 0);
  const forecastWidth = Math.max(0, Math.min(100, spend.forecastPercent ?? 0) - spentWidth);
  const barTone = spend.status === "exceeded" || spend.status === "over_forecast" ? "bg-red-500" : spend.status === "at_risk" ? "bg-amber-500" : "bg-brand-600";
  return (
    <Tile
      label="Spend this month"
      badge={spend.limitMicros === null ? null : <Badge tone={status.tone === "neutral" ? "neutral" : status.tone}>{status.label}</Badge>}
      figure={
        <span className="flex flex-wrap items-baseline gap-x-1.5">
          <span>{formatMicroUsd(spend.monthToDateMicros)}</span>
          {spend.limitMicros !== null ? <span className="text-base font-normal whitespace-nowrap text-slate-500">of {formatMicroUsd(spend.limitMicros)}</span> : null}
        </span>
      }
      footer={
        <Link href={`${base}/budgets`} className={LINK}>
          Budgets and costs →
        </Link>
      }
    >
      {spend.limitMicros !== null ? (
        <>
          <div
            role="meter"
            aria-label={`${spend.budgetLabel ?? "Budget"} used`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(spentWidth)}
            aria-valuetext={`${spend.spentPercent ?? 0} % spent; ${spend.forecastPercent ?? 0} % forecast by month end`}
            className="mt-1 flex h-2 w-full overflow-hidden rounded-full bg-slate-200"
          >
            <div className={barTone} style={{ width: `${spentWidth}%` }} />
            <div className={cn(barTone, "opacity-35")} style={{ width: `${forecastWidth}%` }} />
          </div>
          <p className="text-xs text-slate-500">
            {spend.spentPercent}&nbsp;% spent · {spend.forecastPercent}&nbsp;% by forecast
          </p>
          <p>
            Forecast <span className="font-medium text-slate-900 tabular-nums">{formatMicroUsd(spend.forecastMicros)}</span> by {monthEndText(spend.monthEnd)}
          </p>
          <p className="text-xs text-slate-500">
            {spend.budgetLabel ?? "Monthly budget"} · {month} (UTC)
          </p>
        </>
      ) : (
        <>
          <p>
            Forecast <span className="font-medium text-slate-900 tabular-nums">{formatMicroUsd(spend.forecastMicros)}</span> by {monthEndText(spend.monthEnd)}
          </p>
          <p className="text-xs text-slate-500">No monthly budget to compare with. {budgetsHint}</p>
        </>
      )}
    </Tile>
  );
}

export function HealthTile({ agents, activity, base }: { agents: Summary["agents"]; activity: Summary["activity"]; base: string }) {
  const segments = healthSegments(agents.health);
  const tone = healthTone(agents.health);
  const callsChange = percentChange(activity.callsChangePercent);
  const errorChange = pointsChange(activity.errorRateChangePoints);
  return (
    <Tile
      label="Health"
      badge={agents.total === 0 ? null : <Badge tone={tone}>{tone === "good" ? "All running" : tone === "warn" ? `${agents.health.stale} stale` : `${agents.health.halted} halted`}</Badge>}
      figure={
        agents.total === 0 ? (
          <span className="text-slate-400">–</span>
        ) : (
          <span className="flex flex-wrap items-baseline gap-x-1.5">
            <span>{formatNumber(agents.health.healthy)}</span>
            <span className="text-base font-normal whitespace-nowrap text-slate-500">of {formatNumber(agents.total)} healthy</span>
          </span>
        )
      }
      footer={
        <>
          <p className="mb-1.5 text-xs text-slate-500">Last 24 h against the 24 h before</p>
          <dl className="grid grid-cols-2 gap-2" aria-label="Last 24 hours against the 24 before">
            <div>
              <dt className="text-xs text-slate-500">Calls</dt>
              <dd className="font-medium text-slate-900 tabular-nums">
                {formatNumber(activity.calls)}
                {callsChange ? <span className="ml-1.5 text-xs font-normal whitespace-nowrap text-slate-500">{callsChange}</span> : null}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500" title="Error events per reported event">
                Error rate
              </dt>
              <dd className={cn("font-medium tabular-nums", activity.errorRateChangePoints !== null && activity.errorRateChangePoints > 0 ? "text-red-700" : "text-slate-900")}>
                {rateText(activity.errorRatePercent)}
                {errorChange ? <span className="ml-1.5 text-xs font-normal whitespace-nowrap text-slate-500">{errorChange}</span> : null}
              </dd>
            </div>
          </dl>
        </>
      }
    >
      {segments.length === 0 ? (
        <p>No agents to check yet.</p>
      ) : (
        <>
          <div className="mt-1 flex h-2 w-full gap-px overflow-hidden rounded-full bg-slate-200" aria-hidden>
            {segments.map((segment) => (
              <div key={segment.health} className={SEGMENT[HEALTH[segment.health].tone]} style={{ width: `${segment.width}%` }} />
            ))}
          </div>
          <ul className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs" aria-label="Agents by health">
            {(["healthy", "stale", "halted", "unknown"] as const).map((health) => (
              <li key={health} title={HEALTH[health].meaning} className={agents.health[health] === 0 ? "text-slate-400" : "text-slate-600"}>
                <span aria-hidden className={cn("mr-1 inline-block h-1.5 w-1.5 rounded-full align-middle", SEGMENT[HEALTH[health].tone])} />
                {HEALTH[health].label} <span className="font-medium tabular-nums">{agents.health[health]}</span>
              </li>
            ))}
          </ul>
          {agents.health.halted + agents.health.stale > 0 ? (
            <p className="text-xs">
              <Link href={`${base}/agents`} className={LINK}>
                See which on the Agents page →
              </Link>
            </p>
          ) : null}
        </>
      )}
    </Tile>
  );
}

export function IncidentsTile({ incidents, base, canDecide }: { incidents: Summary["incidents"]; base: string; canDecide: boolean }) {
  const lines = [
    { count: incidents.killSwitches.total, text: plural(incidents.killSwitches.total, "kill switch", "kill switches") + " engaged", href: `${base}/kill-switches`, bad: true },
    {
      count: incidents.alerts.total,
      text: `${plural(incidents.alerts.total, "open alert")}${incidents.alerts.critical > 0 ? ` (${incidents.alerts.critical} critical)` : ""}`,
      href: `${base}/alerts`,
      bad: incidents.alerts.critical > 0,
    },
    { count: incidents.approvals.total, text: `${plural(incidents.approvals.total, "approval")} waiting`, href: canDecide ? `${base}/approvals` : null, bad: false },
  ];
  return (
    <Tile
      label="Waiting for action"
      badge={<Badge tone={incidents.tone}>{incidents.tone === "good" ? "All clear" : incidents.tone === "bad" ? "Act now" : "Needs a look"}</Badge>}
      figure={<span className={incidents.total > 0 ? TONE_TEXT[incidents.tone] : undefined}>{formatNumber(incidents.total)}</span>}
    >
      {incidents.total === 0 ? (
        <p>No kill switch engaged, no open alert, no approval waiting.</p>
      ) : (
        <ul className="space-y-1">
          {lines.map((line) => (
            <li key={line.text} className={line.count === 0 ? "text-slate-400" : undefined}>
              {line.count > 0 && line.href ? (
                <Link href={line.href} className={cn("hover:underline", line.bad ? "font-medium text-red-700" : "font-medium text-slate-900")}>
                  {line.text} →
                </Link>
              ) : (
                line.text
              )}
            </li>
          ))}
        </ul>
      )}
    </Tile>
  );
}
