"use client";

import { useMemo, useState, type ReactNode } from "react";
import { Button } from "./button";
import { cn } from "./cn";

export interface Column<Row> {
  key: string;
  header: string;
  render: (row: Row) => ReactNode;
  /** When given, the column sorts by this value. */
  sortValue?: (row: Row) => string | number | null;
  className?: string;
}

type Sort = { key: string; direction: "asc" | "desc" } | null;

function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: "base" });
}

/** A table whose sortable columns sort on click (and Enter/Space), with aria-sort for assistive tech. */
export function DataTable<Row>({
  rows,
  columns,
  rowKey,
  caption,
  initialSort = null,
  empty,
}: {
  rows: readonly Row[];
  columns: Column<Row>[];
  rowKey: (row: Row) => string;
  caption: string;
  initialSort?: Sort;
  empty?: ReactNode;
}) {
  const [sort, setSort] = useState<Sort>(initialSort);
  const sorted = useMemo(() => {
    if (!sort) return rows;
    const column = columns.find((candidate) => candidate.key === sort.key);
    if (!column?.sortValue) return rows;
    const value = column.sortValue;
    const ordered = [...rows].sort((a, b) => compare(value(a), value(b)));
    return sort.direction === "asc" ? ordered : ordered.reverse();
  }, [rows, columns, sort]);

  const toggle = (key: string) => setSort((current) => (current?.key === key ? { key, direction: current.direction === "asc" ? "desc" : "asc" } : { key, direction: "asc" }));

  return (
    <div className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50">
          <tr>
            {columns.map((column) => {
              const active = sort?.key === column.key;
              return (
                <th
                  key={column.key}
                  scope="col"
                  aria-sort={active ? (sort.direction === "asc" ? "ascending" : "descending") : undefined}
                  className={cn("px-3 py-2.5 text-left text-xs font-semibold tracking-wide whitespace-nowrap text-slate-600 uppercase", column.className)}
                >
                  {column.sortValue ? (
                    <button type="button" onClick={() => toggle(column.key)} className="inline-flex items-center gap-1 uppercase hover:text-slate-900">
                      {column.header}
                      <span aria-hidden className="text-slate-400">
                        {active ? (sort.direction === "asc" ? "▲" : "▼") : "↕"}
                      </span>
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 bg-white">
          {sorted.length === 0 ? (
            <tr>
              <td colSpan={columns.length}>{empty ?? <p className="px-4 py-8 text-center text-slate-500">Nothing here yet.</p>}</td>
            </tr>
          ) : (
            sorted.map((row) => (
              <tr key={rowKey(row)} className="hover:bg-slate-50/60">
                {columns.map((column) => (
                  <td key={column.key} className={cn("px-3 py-2.5 align-top text-slate-700", column.className)}>
                    {column.render(row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/** The Actions column with one "Edit" button a row, for those who may edit (nothing for the rest). */
export function editColumn<Row>(canEdit: boolean, label: (row: Row) => string, onEdit: (row: Row) => void): Column<Row>[] {
  if (!canEdit) return [];
  return [
    {
      key: "actions",
      header: "Actions",
      className: "text-right",
      render: (row) => (
        <Button variant="ghost" size="sm" className="-my-1" aria-label={label(row)} onClick={() => onEdit(row)}>
          Edit
        </Button>
      ),
    },
  ];
}

/** The header row of a small table that is read, not sorted (a comparison, a diff). */
export function TableHead({ headers, className, dense = false }: { headers: readonly ReactNode[]; className?: string; dense?: boolean }) {
  return (
    <thead className={cn("bg-slate-50", className)}>
      <tr>
        {headers.map((header, index) => (
          <th key={index} scope="col" className={cn("text-left text-xs font-semibold tracking-wide whitespace-nowrap text-slate-600 uppercase", dense ? "px-3 py-2" : "px-4 py-2.5")}>
            {header}
          </th>
        ))}
      </tr>
    </thead>
  );
}
