"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { moneyTick, moneyTooltip } from "./money-axis";
import { seriesColor, shortDay } from "./palette";

/** Daily spend as stacked bars: one stack per day, one colour per series. Draws only. */
export function StackedSpendChart({
  data,
  series,
  label,
  height = 300,
}: {
  data: readonly ({ day: string } & Record<string, number | string>)[];
  series: readonly { key: string; label: string }[];
  label: string;
  height?: number;
}) {
  return (
    <figure aria-label={label} className="w-full" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={[...data]} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="day" tickFormatter={shortDay} tick={{ fontSize: 12 }} minTickGap={16} label={{ value: "Day (UTC)", position: "insideBottom", offset: -4, fontSize: 12 }} height={40} />
          <YAxis tickFormatter={moneyTick} tick={{ fontSize: 12 }} width={84} label={{ value: "Spend (USD)", angle: -90, position: "insideLeft", fontSize: 12, dx: -2, dy: 40 }} />
          <Tooltip formatter={(value, name) => [moneyTooltip(value), name]} labelFormatter={(day) => `${shortDay(String(day))} (UTC)`} />
          <Legend wrapperStyle={{ fontSize: 12, paddingTop: 16 }} />
          {series.map((entry, index) => (
            <Bar key={entry.key} dataKey={entry.key} name={entry.label} stackId="spend" fill={seriesColor(index)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
