"use client";

import type { ChainedAuditRecord } from "@/server/domain/audit/chain";
import { Badge } from "@/components/ui/feedback";
import { cn } from "@/components/ui/cn";
import { TableHead } from "@/components/ui/data-table";
import { diffJson, formatJson, type DiffKind } from "./diff";

const KIND_LABEL: Record<DiffKind, string> = { added: "added", removed: "removed", changed: "changed", unchanged: "" };
const KIND_ROW: Record<DiffKind, string> = {
  added: "bg-emerald-50/70",
  removed: "bg-red-50/70",
  changed: "bg-amber-50",
  unchanged: "",
};

function Value({ value, struck }: { value: string; struck?: boolean }) {
  if (!value) return <span className="text-slate-400">—</span>;
  return <code className={cn("font-mono text-xs break-all whitespace-pre-wrap text-slate-800", struck && "line-through decoration-red-400")}>{value}</code>;
}

/** Everything about one entry: what changed (before → after, changed keys highlighted) and its place in the chain. */
export function EntryDetail({ entry, teamName }: { entry: ChainedAuditRecord; teamName: string | null }) {
  const rows = diffJson(entry.before, entry.after);
  const changed = rows.filter((row) => row.kind !== "unchanged").length;

  return (
    <div className="space-y-4 bg-slate-50 px-5 py-4">
      <div>
        <h3 className="text-sm font-semibold text-slate-900">
          What changed <span className="font-normal text-slate-500">{rows.length === 0 ? "" : `(${changed} of ${rows.length} ${rows.length === 1 ? "field" : "fields"})`}</span>
        </h3>
        {rows.length === 0 ? (
          <p className="mt-1 text-sm text-slate-500">This entry records no before or after values.</p>
        ) : (
          <table className="mt-2 w-full table-fixed overflow-hidden rounded-md text-sm ring-1 ring-slate-200">
            <caption className="sr-only">Before and after of entry #{entry.seq}</caption>
            <TableHead dense headers={["Field", "Before", "After"]} className="bg-white" />
            <tbody className="divide-y divide-slate-200 bg-white">
              {rows.map((row) => (
                <tr key={row.path} className={KIND_ROW[row.kind]} data-change={row.kind}>
                  <th scope="row" className="px-3 py-2 text-left align-top font-mono text-xs font-medium text-slate-700">
                    {row.path}
                    {row.kind !== "unchanged" ? (
                      <span className="ml-2 align-middle">
                        <Badge tone={row.kind === "added" ? "good" : row.kind === "removed" ? "bad" : "warn"}>{KIND_LABEL[row.kind]}</Badge>
                      </span>
                    ) : null}
                  </th>
                  <td className="px-3 py-2 align-top">
                    <Value value={formatJson(row.before)} struck={row.kind === "changed" || row.kind === "removed"} />
                  </td>
                  <td className="px-3 py-2 align-top">
                    <Value value={formatJson(row.after)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>

      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm md:grid-cols-[max-content_1fr]">
        <dt className="font-medium text-slate-600">Entry</dt>
        <dd className="text-slate-800">
          #{entry.seq} <code className="ml-2 font-mono text-xs text-slate-500">{entry.id}</code>
        </dd>
        <dt className="font-medium text-slate-600">Actor</dt>
        <dd className="text-slate-800">
          {entry.actorLabel}{" "}
          <span className="text-slate-500">
            ({entry.actorType}
            {entry.actorId ? `, ${entry.actorId}` : ""})
          </span>
        </dd>
        <dt className="font-medium text-slate-600">Target</dt>
        <dd className="text-slate-800">
          {entry.targetType}
          {entry.targetId ? <code className="ml-2 font-mono text-xs text-slate-500">{entry.targetId}</code> : null}
          {teamName ? <span className="text-slate-500"> · team {teamName}</span> : null}
        </dd>
        {entry.reason ? (
          <>
            <dt className="font-medium text-slate-600">Reason</dt>
            <dd className="text-slate-800">{entry.reason}</dd>
          </>
        ) : null}
        <dt className="font-medium text-slate-600">Hash</dt>
        <dd>
          <code className="font-mono text-xs break-all text-slate-800">{entry.hash}</code>
        </dd>
        <dt className="font-medium text-slate-600">Previous hash</dt>
        <dd>
          <code className="font-mono text-xs break-all text-slate-800">{entry.prevHash}</code>
        </dd>
      </dl>
    </div>
  );
}
