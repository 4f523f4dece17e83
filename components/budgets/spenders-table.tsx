import Link from "next/link";
import { formatMicroUsd } from "@/components/ui/format";
import type { Spender } from "./chart-data";

const HEADERS = [
  { label: "Agent", className: "py-2 pr-2 pl-5" },
  { label: "Team", className: "px-2 py-2" },
  { label: "Spent", className: "px-2 py-2 text-right" },
  { label: "Share", className: "py-2 pr-5 pl-2 text-right" },
];

/** The biggest spenders of a period: each agent, its team, its spend and its share, with a bar against the biggest. */
export function SpendersTable({ rows, base, caption }: { rows: readonly Spender[]; base: string; caption: string }) {
  const top = rows[0]?.costMicros ?? 0n;
  return (
    <table className="w-full text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr className="border-b border-slate-200 text-left text-xs font-medium tracking-wide text-slate-500 uppercase">
          {HEADERS.map((header) => (
            <th key={header.label} scope="col" className={header.className}>
              {header.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.agentId} className="border-b border-slate-100 last:border-0">
            <td className="py-2.5 pr-2 pl-5">
              <Link href={`${base}/agents/${row.agentId}`} className="font-medium text-brand-700 hover:underline">
                {row.name}
              </Link>
              <div className="mt-1 h-1.5 w-full max-w-48 overflow-hidden rounded-full bg-slate-100" aria-hidden>
                <div className="h-full rounded-full bg-brand-500" style={{ width: `${top === 0n ? 0 : Number((row.costMicros * 1000n) / top) / 10}%` }} />
              </div>
            </td>
            <td className="px-2 py-2.5 text-slate-600">{row.teamName ?? "No team"}</td>
            <td className="px-2 py-2.5 text-right font-medium text-slate-900 tabular-nums">{formatMicroUsd(row.costMicros)}</td>
            <td className="py-2.5 pr-5 pl-2 text-right text-slate-600 tabular-nums">{(row.sharePermille / 10).toFixed(1)} %</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
