"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { moneyTick, moneyTooltip } from "./money-axis";
import { seriesColor } from "./palette";

/** The biggest spenders as horizontal bars. Draws only. */
export function TopSpendersChart({ rows, label }: { rows: readonly { name: string; cost: number }[]; label: string }) {
  return (
    <figure aria-label={label} className="w-full" style={{ height: Math.max(120, rows.length * 30 + 40) }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={[...rows]} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="#e2e8f0" />
          <XAxis type="number" tickFormatter={moneyTick} tick={{ fontSize: 12 }} />
          <YAxis type="category" dataKey="name" tick={{ fontSize: 12 }} width={150} />
          <Tooltip formatter={(value) => [moneyTooltip(value), "Spent this month"]} />
          <Bar dataKey="cost" name="Spent this month" fill={seriesColor(0)} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
