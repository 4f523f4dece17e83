// Art. 73 reporting clocks: a serious incident is reported within 15 days of becoming aware by
// default, 10 days where a person died, 2 days for a widespread infringement or a serious
// disruption of critical infrastructure. The days are data (catalogue.ts); this does the arithmetic.
import { ART73_CLOCK_DAYS, type SeriousIncidentKind } from "./catalogue";

const DAY_MS = 86_400_000;

export function reportingDays(kind: SeriousIncidentKind): number {
  return ART73_CLOCK_DAYS[kind];
}

/** The reporting deadline, or null when the incident is not serious. */
export function reportingDeadline(awareAt: Date, serious: boolean, kind: SeriousIncidentKind | null): Date | null {
  if (!serious || kind === null) return null;
  return new Date(awareAt.getTime() + reportingDays(kind) * DAY_MS);
}

export type ClockState =
  { state: "none" } | { state: "running"; remainingMs: number } | { state: "overdue"; overdueMs: number } | { state: "reported_on_time"; marginMs: number } | { state: "reported_late"; lateMs: number };

/** Where an incident's clock stands at `now`. */
export function clockState(deadline: Date | null, reportedAt: Date | null, now: Date): ClockState {
  if (deadline === null) return { state: "none" };
  if (reportedAt !== null) {
    const margin = deadline.getTime() - reportedAt.getTime();
    return margin >= 0 ? { state: "reported_on_time", marginMs: margin } : { state: "reported_late", lateMs: -margin };
  }
  const remaining = deadline.getTime() - now.getTime();
  return remaining >= 0 ? { state: "running", remainingMs: remaining } : { state: "overdue", overdueMs: -remaining };
}

/** "3 d 4 h 10 min", "5 h 12 min 30 s", "42 min 5 s", "30 s": a countdown in words (seconds in the last day). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (days > 0) return `${days} d ${hours} h ${minutes} min`;
  if (hours > 0) return `${hours} h ${minutes} min ${seconds} s`;
  if (minutes > 0) return `${minutes} min ${seconds} s`;
  return `${seconds} s`;
}
