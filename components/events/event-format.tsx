import type { ReactNode } from "react";
import { Badge } from "@/components/ui/feedback";
import { formatMicroUsd } from "@/components/ui/format";

const TYPE_TONE: Record<string, "neutral" | "good" | "warn" | "bad" | "info"> = {
  llm_call: "info",
  tool_call: "neutral",
  task_start: "good",
  task_end: "good",
  decision: "warn",
  error: "bad",
  log: "neutral",
};

export function EventTypeBadge({ type }: { type: string }) {
  return (
    <Badge tone={TYPE_TONE[type] ?? "neutral"}>
      <span className="font-mono">{type}</span>
    </Badge>
  );
}

/** Sub-cent costs are common for one call: four decimals. Unpriced says so rather than showing $0. */
export function formatCost(costMicros: string | null, costSource: string | null): ReactNode {
  if (costMicros !== null) return formatMicroUsd(costMicros, { precise: true });
  if (costSource === "unpriced") {
    return (
      <span className="text-xs text-slate-400" title="The model is not in the registry, so no price was known">
        unpriced
      </span>
    );
  }
  return null;
}

export function formatLatency(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

const FAILED = /^(error|errored|fail|failed|failure|timeout|timed_out|denied|cancelled|canceled|rejected)$/i;

export function StatusText({ status }: { status: string }) {
  return <span className={FAILED.test(status) ? "font-medium text-red-700" : "text-slate-700"}>{status}</span>;
}
