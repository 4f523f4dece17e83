"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { moneyTick, moneyTooltip } from "./money-axis";
import { seriesColor } from "./palette";

/** An agent's cost per bucket (bars, USD, left axis) and error rate (line, %, right axis). Draws only. */
export function AgentActivityChart({ rows, label, height = 280 }: { rows: readonly { label: string; cost: number; errorRate: number | null }[]; label: string; height?: number }) {
  return (
    <figure aria-label={label} className="w-full" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={[...rows]} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={24} />
          <YAxis yAxisId="cost" tickFormatter={moneyTick} tick={{ fontSize: 12 }} width={84} label={{ value: "Cost (USD)", angle: -90, position: "insideLeft", fontSize: 12, dx: -2, dy: 36 }} />
          <YAxis yAxisId="errors" orientation="right" tickFormatter={(value: number) => `${value} %`} tick={{ fontSize: 12 }} width={56} />
          <Tooltip formatter={(value, name) => [name === "Cost" ? moneyTooltip(value) : `${String(value)} %`, name]} />
          <Legend wrapperStyle={{ fontSize: 12, paddingTop: 8 }} />
          <Bar yAxisId="cost" dataKey="cost" name="Cost" fill={seriesColor(0)} isAnimationActive={false} />
          <Line yAxisId="errors" dataKey="errorRate" name="Error rate" stroke={seriesColor(4)} dot={false} strokeWidth={2} connectNulls isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
