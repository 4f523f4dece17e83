// Formatting for display. Money arrives as integer micro-dollars (or a decimal string) and is
// never turned into a float before this last step.

// Money text is made by the domain (server/domain/cost/money.ts), where server messages use it too.
export { formatMicroUsd } from "@/server/domain/cost/money";

export function formatNumber(value: number): string {
  return new Intl.NumberFormat("en-US").format(value);
}

export function formatDateTime(value: Date | string, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    year: "numeric",
    month: "short",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(new Date(value));
}

/** A table-sized time: "25 Nov, 14:03:07" (the zone is in the full time, shown on hover). */
export function formatShortDateTime(value: Date | string, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-GB", { month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZone }).format(new Date(value));
}

/** A UTC calendar day ("2026-11-25"), as budgets and charts count days: "25 Nov", or "25 November 2026" in full. */
export function formatUtcDay(day: string, style: "short" | "long" = "short"): string {
  const options: Intl.DateTimeFormatOptions = style === "long" ? { day: "numeric", month: "long", year: "numeric" } : { day: "numeric", month: "short" };
  return new Intl.DateTimeFormat("en-GB", { ...options, timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
}

export function formatRelative(value: Date | string, now: Date = new Date()): string {
  const seconds = Math.round((new Date(value).getTime() - now.getTime()) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
    ["second", 1],
  ];
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size || unit === "second") return format.format(Math.round(seconds / size), unit);
  }
  return format.format(0, "second");
}
