import { formatUtcDay } from "@/components/ui/format";

// Series colours for every chart: distinguishable, and in the same order everywhere.
export const SERIES_COLORS = ["#4f46e5", "#0891b2", "#059669", "#d97706", "#db2777", "#7c3aed", "#64748b"] as const;

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length] ?? "#64748b";
}

/** "2026-11-05" (a UTC day) as "5 Nov": the day itself, whatever the viewer's zone. */
export const shortDay = (day: string): string => formatUtcDay(day);
