"use client";

import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { moneyTick, moneyTooltip } from "./money-axis";
import { shortDay } from "./palette";

/** Month to date: cumulative spend, the budget's limit and the run-rate forecast to month end. Draws only. */
export function BudgetBurnChart({ points, label, height = 300 }: { points: readonly { day: string; actual: number | null; forecast: number | null; limit: number }[]; label: string; height?: number }) {
  return (
    <figure aria-label={label} className="w-full" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={[...points]} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="day" tickFormatter={shortDay} tick={{ fontSize: 12 }} minTickGap={16} height={40} label={{ value: "Day (UTC)", position: "insideBottom", offset: -4, fontSize: 12 }} />
          <YAxis tickFormatter={moneyTick} tick={{ fontSize: 12 }} width={84} />
          <Tooltip formatter={(value, name) => [value === null ? "–" : moneyTooltip(value), name]} labelFormatter={(day) => `${shortDay(String(day))} (UTC)`} />
          <Legend wrapperStyle={{ fontSize: 12, paddingTop: 16 }} />
          <Area type="monotone" dataKey="actual" name="Spent (cumulative)" stroke="#4f46e5" fill="#c7d2fe" connectNulls={false} isAnimationActive={false} />
          <Line type="linear" dataKey="forecast" name="Forecast (run rate)" stroke="#d97706" strokeDasharray="6 4" dot={false} connectNulls={false} isAnimationActive={false} />
          <Line type="stepAfter" dataKey="limit" name="Budget" stroke="#dc2626" dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
