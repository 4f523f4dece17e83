"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { useCan, useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Badge, EmptyState } from "@/components/ui/feedback";
import { Select } from "@/components/ui/form";
import { LocalTime } from "@/components/ui/local-time";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { OpenIncidentFromAnomaly } from "./incidents";
import { anomalyEventsHref, anomalyFigures, METRIC_NAMES, scoreText, STATISTIC_NAMES } from "./present";

type Anomaly = RouterOutputs["anomalies"]["list"][number];

/** Anomalies of the org (or one agent), newest first, each linked to the events behind it. */
export function AnomaliesCard({ agent }: { agent?: { id: string; name: string } }) {
  const org = useOrg();
  const trpc = useTRPC();
  const id = useId();
  const [days, setDays] = useState(7);
  const list = useQuery({ ...trpc.anomalies.list.queryOptions({ orgId: org.orgId, days, ...(agent ? { agentId: agent.id } : {}) }), refetchInterval: 15_000 });
  return (
    <Card>
      <CardHeader
        title="Anomalies"
        description={
          <>
            Hourly cost and error-rate spikes, judged by a <strong>robust z-score</strong> (0.6745 × (value − median) / MAD) against the agent&apos;s working hours of the previous 7 days, flagged at 3.5 or
            more; and drifts of the tool-usage mix, judged by the <strong>Jensen–Shannon distance</strong> between this week and the 3 weeks before, flagged at 0.3 or more.
          </>
        }
        actions={
          <>
            <label htmlFor={`${id}-days`} className="sr-only">
              Period
            </label>
            <Select id={`${id}-days`} value={String(days)} onChange={(event) => setDays(Number(event.target.value))} className="w-36">
              <option value="1">Last 24 hours</option>
              <option value="7">Last 7 days</option>
              <option value="30">Last 30 days</option>
            </Select>
          </>
        }
      />
      <QueryBoundary
        query={list}
        label="anomalies"
        inset
        empty={
          <EmptyState title="No anomalies">
            {agent ? `${agent.name}'s cost, error rate and tool mix stayed within its usual range.` : "Every agent's cost, error rate and tool mix stayed within its usual range."}
          </EmptyState>
        }
      >
        {(data) => (
          <ul className="divide-y divide-slate-100" aria-label="Anomalies list">
            {data.map((anomaly) => (
              <AnomalyItem key={anomaly.id} anomaly={anomaly} showAgent={!agent} />
            ))}
          </ul>
        )}
      </QueryBoundary>
    </Card>
  );
}

function AnomalyItem({ anomaly, showAgent }: { anomaly: Anomaly; showAgent: boolean }) {
  const org = useOrg();
  const canOpen = useCan("incidents:open");
  const [opening, setOpening] = useState(false);
  const name = METRIC_NAMES[anomaly.metric] ?? anomaly.metric;
  const title = `${name}: ${anomaly.agent.name}`;
  return (
    <li className="px-5 py-4 text-sm" aria-label={`Anomaly: ${title}`}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <p className="flex flex-wrap items-center gap-2">
            <Badge tone={anomaly.metric === "cost" ? "bad" : "warn"}>{name}</Badge>
            {showAgent ? (
              <Link href={`/${org.slug}/agents/${anomaly.agent.id}?tab=metrics`} className="font-medium text-brand-700 hover:underline">
                {anomaly.agent.name}
              </Link>
            ) : null}
            <span className="text-slate-800">{anomalyFigures(anomaly)}</span>
          </p>
          <p className="text-xs text-slate-500">
            {anomaly.metric === "tool_mix" ? "Week from " : "Hour from "}
            <LocalTime value={anomaly.hour} /> · {STATISTIC_NAMES[anomaly.statistic] ?? anomaly.statistic}: <span className="font-medium text-slate-700 tabular-nums">{scoreText(anomaly.score)}</span> · detected{" "}
            <LocalTime value={anomaly.detectedAt} />
          </p>
          <p className="flex flex-wrap gap-3 text-xs">
            <Link href={anomalyEventsHref(org.slug, anomaly)} className="font-medium text-brand-700 hover:underline" aria-label={`Events behind the ${name.toLowerCase()} of ${anomaly.agent.name}`}>
              Events behind it →
            </Link>
            {anomaly.alertId ? (
              <Link href={`/${org.slug}/alerts?status=all&kind=anomaly`} className="font-medium text-brand-700 hover:underline">
                Alert →
              </Link>
            ) : null}
            {anomaly.incidentId ? (
              <Link href={`/${org.slug}/compliance?tab=incidents`} className="font-medium text-brand-700 hover:underline">
                Incident opened →
              </Link>
            ) : null}
          </p>
        </div>
        {canOpen && !anomaly.incidentId ? (
          <Button size="sm" variant="secondary" onClick={() => setOpening(true)} aria-label={`Open an incident for the ${name.toLowerCase()} of ${anomaly.agent.name}`}>
            Open incident
          </Button>
        ) : null}
      </div>
      <Dialog open={opening} onClose={() => setOpening(false)} title="Open an incident from this anomaly">
        <OpenIncidentFromAnomaly anomaly={{ id: anomaly.id, title, agent: anomaly.agent }} onDone={() => setOpening(false)} />
      </Dialog>
    </li>
  );
}
