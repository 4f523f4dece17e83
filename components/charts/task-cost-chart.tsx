"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { moneyTick, moneyTooltip } from "./money-axis";
import { seriesColor } from "./palette";

/** Cost per task per agent: median, average and 90th percentile side by side. Draws only. */
export function TaskCostChart({ bars, label, height = 300 }: { bars: readonly { agent: string; tasks: number; average: number; p50: number; p90: number }[]; label: string; height?: number }) {
  return (
    <figure aria-label={label} className="w-full" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={[...bars]} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="agent" tick={{ fontSize: 11 }} interval={0} angle={-20} textAnchor="end" height={56} />
          <YAxis tickFormatter={moneyTick} tick={{ fontSize: 12 }} width={84} label={{ value: "Per task (USD)", angle: -90, position: "insideLeft", fontSize: 12, dx: -2, dy: 44 }} />
          <Tooltip formatter={(value, name) => [moneyTooltip(value), name]} />
          <Legend wrapperStyle={{ fontSize: 12, paddingTop: 16 }} />
          <Bar dataKey="p50" name="Median" fill={seriesColor(1)} isAnimationActive={false} />
          <Bar dataKey="average" name="Average" fill={seriesColor(0)} isAnimationActive={false} />
          <Bar dataKey="p90" name="90th percentile" fill={seriesColor(3)} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
