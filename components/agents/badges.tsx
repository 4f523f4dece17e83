import type { ReactNode } from "react";
import { Badge } from "@/components/ui/feedback";

/** Badges in table cells stay on one line. */
function Nowrap({ children }: { children: ReactNode }) {
  return <span className="whitespace-nowrap">{children}</span>;
}
import type { AgentHealth } from "@/server/domain/telemetry/health";

export type AgentStatus = "active" | "discovered" | "archived";

/** `compact`: for table cells, where "pending review" may take a second line. */
export function StatusBadge({ status, compact = false }: { status: string; compact?: boolean }) {
  if (status === "discovered" && compact) {
    return (
      <span className="inline-block rounded-md bg-amber-50 px-2 py-0.5 text-xs leading-tight font-medium text-amber-800 ring-1 ring-amber-200 ring-inset">
        <span className="whitespace-nowrap">Discovered ·</span>
        <span className="block font-normal whitespace-nowrap">pending review</span>
      </span>
    );
  }
  const badge = status === "discovered" ? <Badge tone="warn">Discovered · pending review</Badge> : status === "archived" ? <Badge tone="neutral">Archived</Badge> : <Badge tone="good">Registered</Badge>;
  return <Nowrap>{badge}</Nowrap>;
}

export const HEALTH: Record<AgentHealth, { label: string; tone: "good" | "warn" | "bad" | "neutral"; meaning: string }> = {
  healthy: { label: "Healthy", tone: "good", meaning: "an instance sent a heartbeat within its last three intervals" },
  stale: { label: "Stale", tone: "warn", meaning: "no heartbeat from any instance for three intervals" },
  halted: { label: "Halted", tone: "bad", meaning: "told to stop (archived, or a kill switch)" },
  unknown: { label: "Unknown", tone: "neutral", meaning: "has never sent a heartbeat" },
};

export function HealthBadge({ health }: { health: AgentHealth }) {
  const info = HEALTH[health];
  return (
    <span title={`${info.label}: ${info.meaning}`} className="whitespace-nowrap">
      <Badge tone={info.tone}>
        <span aria-hidden className={`mr-1.5 inline-block h-1.5 w-1.5 rounded-full ${DOT[info.tone]}`} />
        {info.label}
      </Badge>
    </span>
  );
}

const DOT = { good: "bg-emerald-500", warn: "bg-amber-500", bad: "bg-red-500", neutral: "bg-slate-400" } as const;

/** What the health badges mean, once, under the table. */
export function HealthLegend() {
  return (
    <dl className="flex flex-wrap gap-x-5 gap-y-1 text-xs text-slate-500" aria-label="Health legend">
      {(Object.keys(HEALTH) as AgentHealth[]).map((health) => (
        <div key={health} className="flex items-center gap-1.5">
          <dt className="font-medium text-slate-700">
            <span aria-hidden className={`mr-1 inline-block h-1.5 w-1.5 rounded-full ${DOT[HEALTH[health].tone]}`} />
            {HEALTH[health].label}
          </dt>
          <dd>{HEALTH[health].meaning}</dd>
        </div>
      ))}
    </dl>
  );
}
