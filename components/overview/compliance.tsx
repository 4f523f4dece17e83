"use client";

import Link from "next/link";
import { anomalyEventsHref, anomalyFigures, clockText, liveClock, METRIC_NAMES } from "@/components/compliance/present";
import type { RouterOutputs } from "@/components/trpc/react";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge, EmptyState } from "@/components/ui/feedback";
import { formatNumber } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { useNow } from "@/components/ui/use-now";
import { plural } from "./present";

type Summary = RouterOutputs["overview"]["summary"];

const LINK = "font-medium text-brand-700 hover:underline";

function Figure({ label, value, href, tone }: { label: string; value: number; href: string; tone?: "bad" | "warn" }) {
  return (
    <div>
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="mt-1">
        <Link
          href={href}
          className={`text-2xl font-semibold tabular-nums hover:underline ${value > 0 && tone === "bad" ? "text-red-700" : value > 0 && tone === "warn" ? "text-amber-700" : "text-slate-900"}`}
          aria-label={`${label}: ${value}`}
        >
          {formatNumber(value)}
        </Link>
      </dd>
    </div>
  );
}

/** Compliance posture: risk classes, open gaps, incidents with their clocks. Every figure links to the Compliance page. */
export function CompliancePostureCard({ summary, base }: { summary: Summary; base: string }) {
  const { compliance } = summary;
  const now = useNow(1000);
  return (
    <Card>
      <CardHeader
        title="Compliance posture"
        description={
          compliance.lastEvaluatedAt ? (
            <>
              Controls as last evaluated <LocalTime value={compliance.lastEvaluatedAt} />.
            </>
          ) : (
            "Controls have not been evaluated yet."
          )
        }
        actions={
          <Link href={`${base}/compliance`} className={`text-sm ${LINK}`}>
            Compliance →
          </Link>
        }
      />
      <dl className="grid grid-cols-2 gap-4 px-5 py-4 sm:grid-cols-4" aria-label="Compliance posture">
        <Figure label="High-risk agents" value={compliance.highRisk} href={`${base}/compliance`} tone="warn" />
        <Figure label="Open gaps" value={compliance.openGaps} href={`${base}/compliance`} tone="bad" />
        <Figure label="Incidents open" value={compliance.incidents.open} href={`${base}/compliance?tab=incidents`} tone="warn" />
        <Figure label="Reports overdue" value={compliance.incidents.overdue} href={`${base}/compliance?tab=incidents`} tone="bad" />
      </dl>
      <p className="px-5 text-xs text-slate-500">
        {plural(compliance.agentsWithGaps, "agent")} with gaps · {plural(compliance.unclassified, "agent")} not classified
        {compliance.prohibited > 0 ? ` · ${plural(compliance.prohibited, "prohibited agent")}` : ""} · {formatNumber(compliance.notAssessed)} controls not assessed
      </p>
      {compliance.incidents.items.length > 0 ? (
        <ul className="mt-3 divide-y divide-slate-100 border-t border-slate-100" aria-label="Open incidents">
          {compliance.incidents.items.map((incident) => {
            const clock = clockText(now ? liveClock(incident, now) : incident.clock);
            return (
              <li key={incident.id} className="flex flex-wrap items-center justify-between gap-2 px-5 py-2.5 text-sm">
                <span className="min-w-0">
                  <Link href={`${base}/compliance?tab=incidents`} className={LINK}>
                    {incident.title}
                  </Link>
                  {incident.agent ? <span className="text-xs text-slate-500"> · {incident.agent.name}</span> : null}
                </span>
                <Badge tone={clock.tone}>{clock.text}</Badge>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="px-5 py-3 text-sm text-slate-600">No open incident.</p>
      )}
    </Card>
  );
}

/** The last 7 days' anomalies; each links to the events behind it. */
export function RecentAnomaliesCard({ summary, base }: { summary: Summary; base: string }) {
  const { anomalies } = summary;
  const slug = base.replace(/^\//, "");
  return (
    <Card>
      <CardHeader
        title="Anomalies, last 7 days"
        description={`${plural(anomalies.total, "anomaly", "anomalies")}: ${anomalies.byMetric.cost ?? 0} cost, ${anomalies.byMetric.error_rate ?? 0} error-rate, ${anomalies.byMetric.tool_mix ?? 0} tool-mix (robust z-score; Jensen–Shannon distance).`}
        actions={
          <Link href={`${base}/compliance?tab=anomalies`} className={`text-sm ${LINK}`} aria-label={`All anomalies (${anomalies.total})`}>
            All anomalies →
          </Link>
        }
      />
      {anomalies.items.length === 0 ? (
        <EmptyState title="No anomalies in the last 7 days">Every agent&apos;s cost, error rate and tool mix stayed within its usual range.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Recent anomalies">
          {anomalies.items.map((anomaly) => (
            <li key={anomaly.id} className="px-5 py-2.5 text-sm">
              <p className="flex flex-wrap items-center gap-2">
                <Badge tone={anomaly.metric === "cost" ? "bad" : "warn"}>{METRIC_NAMES[anomaly.metric] ?? anomaly.metric}</Badge>
                <Link href={`${base}/agents/${anomaly.agent.id}?tab=metrics`} className={LINK}>
                  {anomaly.agent.name}
                </Link>
                <span className="text-slate-700">{anomalyFigures(anomaly)}</span>
              </p>
              <p className="mt-0.5 text-xs text-slate-500">
                <LocalTime value={anomaly.hour} /> ·{" "}
                <Link href={anomalyEventsHref(slug, anomaly)} className={LINK}>
                  events →
                </Link>
              </p>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
