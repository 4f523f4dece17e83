"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Badge } from "@/components/ui/feedback";
import { Field, Select } from "@/components/ui/form";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { TableHead } from "@/components/ui/data-table";
import { formatComparisonValue } from "@/server/domain/rollout/comparison-format";
import { diffVersions, type PromptRow } from "@/server/domain/rollout/version-diff";
import { formatPValue } from "./present";

type Version = RouterOutputs["versions"]["list"]["versions"][number];

const WINDOWS = [
  { days: 1, label: "Last 24 hours" },
  { days: 7, label: "Last 7 days" },
  { days: 30, label: "Last 30 days" },
];

function VersionSelect({ label, id, value, onChange, versions }: { label: string; id: string; value: string; onChange: (id: string) => void; versions: Version[] }) {
  return (
    <Field label={label} htmlFor={id}>
      <Select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {versions.map((version) => (
          <option key={version.id} value={version.id}>
            {version.label}
            {version.stable ? " (stable)" : ` (${version.status})`}
          </option>
        ))}
      </Select>
    </Field>
  );
}

/** Side-by-side diff of two versions, and their A/B comparison over one window. */
export function VersionCompare({ agentId, versions }: { agentId: string; versions: Version[] }) {
  const ids = { a: useId(), b: useId(), window: useId() };
  const comparable = versions.filter((version) => version.status !== "draft" || versions.length < 3);
  const stable = versions.find((version) => version.stable);
  const [aId, setAId] = useState(stable?.id ?? versions[1]?.id ?? "");
  const [bId, setBId] = useState(versions.find((version) => version.id !== (stable?.id ?? versions[1]?.id))?.id ?? "");
  const [days, setDays] = useState(7);
  const a = versions.find((version) => version.id === aId);
  const b = versions.find((version) => version.id === bId);

  if (versions.length < 2) return null;
  return (
    <Card>
      <CardHeader title="Compare two versions" description="What changed between them, and how they did on the same traffic window." />
      <div className="grid gap-4 border-b border-slate-200 px-5 py-4 sm:grid-cols-3">
        <VersionSelect label="From (A)" id={ids.a} value={aId} onChange={setAId} versions={comparable} />
        <VersionSelect label="To (B)" id={ids.b} value={bId} onChange={setBId} versions={comparable} />
        <Field label="Traffic window" htmlFor={ids.window}>
          <Select id={ids.window} value={days} onChange={(event) => setDays(Number(event.target.value))}>
            {WINDOWS.map((window) => (
              <option key={window.days} value={window.days}>
                {window.label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {a && b && a.id !== b.id ? (
        <>
          <VersionDiffView a={a} b={b} />
          <AbComparison agentId={agentId} a={a} b={b} days={days} />
        </>
      ) : (
        <p className="px-5 py-4 text-sm text-slate-500">Pick two different versions.</p>
      )}
    </Card>
  );
}

const ROW_TONE: Record<PromptRow["kind"], { left: string; right: string }> = {
  same: { left: "", right: "" },
  changed: { left: "bg-red-50", right: "bg-emerald-50" },
  removed: { left: "bg-red-50", right: "bg-slate-50" },
  added: { left: "bg-slate-50", right: "bg-emerald-50" },
};

function VersionDiffView({ a, b }: { a: Version; b: Version }) {
  const diff = useMemo(() => diffVersions(a, b), [a, b]);
  return (
    <section aria-label={`Changes from ${a.label} to ${b.label}`} className="border-b border-slate-200 px-5 py-4">
      <h3 className="text-sm font-semibold text-slate-900">
        Changes from {a.label} to {b.label}
      </h3>
      {diff.identical ? (
        <p className="mt-2 text-sm text-slate-600">The two versions are identical.</p>
      ) : (
        <>
          {diff.fields.length > 0 ? (
            <dl className="mt-2 grid gap-2 text-sm sm:grid-cols-[max-content_1fr]">
              {diff.fields.map((field) => (
                <div key={field.field} className="contents">
                  <dt className="font-medium text-slate-600">{field.label}</dt>
                  <dd className="text-slate-800">
                    {field.added || field.removed ? (
                      <span className="flex flex-wrap gap-1.5">
                        {(field.added ?? []).map((item) => (
                          <Badge key={`+${item}`} tone="good">
                            + {item}
                          </Badge>
                        ))}
                        {(field.removed ?? []).map((item) => (
                          <Badge key={`-${item}`} tone="bad">
                            − {item}
                          </Badge>
                        ))}
                      </span>
                    ) : (
                      <span className="font-mono text-xs">
                        <del className="text-red-700">{field.before}</del> → <ins className="text-emerald-700 no-underline">{field.after}</ins>
                      </span>
                    )}
                  </dd>
                </div>
              ))}
            </dl>
          ) : null}
          <p className="mt-3 text-xs text-slate-500">System prompt: {diff.promptChanged ? `${diff.linesRemoved} line(s) removed or changed, ${diff.linesAdded} added or changed` : "unchanged"}</p>
          {diff.promptChanged ? (
            <div className="mt-2 max-h-96 overflow-auto rounded-md ring-1 ring-slate-200">
              <table className="w-full table-fixed font-mono text-xs">
                <caption className="sr-only">
                  System prompt, {a.label} on the left and {b.label} on the right
                </caption>
                <thead className="sticky top-0 bg-slate-100 text-left text-slate-600">
                  <tr>
                    <th scope="col" className="w-10 px-2 py-1 text-right">
                      #
                    </th>
                    <th scope="col" className="px-2 py-1">
                      {a.label}
                    </th>
                    <th scope="col" className="w-10 px-2 py-1 text-right">
                      #
                    </th>
                    <th scope="col" className="px-2 py-1">
                      {b.label}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {diff.prompt.map((row, index) => (
                    <tr key={index} data-kind={row.kind}>
                      <td className={cn("px-2 py-0.5 text-right text-slate-400", ROW_TONE[row.kind].left)}>{row.left?.number ?? ""}</td>
                      <td className={cn("px-2 py-0.5 break-words whitespace-pre-wrap", ROW_TONE[row.kind].left, row.kind !== "same" && row.left && "text-red-800")}>
                        {row.left ? row.kind === "same" ? row.left.text : <span aria-label={`removed: ${row.left.text}`}>{row.left.text}</span> : ""}
                      </td>
                      <td className={cn("px-2 py-0.5 text-right text-slate-400", ROW_TONE[row.kind].right)}>{row.right?.number ?? ""}</td>
                      <td className={cn("px-2 py-0.5 break-words whitespace-pre-wrap", ROW_TONE[row.kind].right, row.kind !== "same" && row.right && "text-emerald-800")}>
                        {row.right ? row.kind === "same" ? row.right.text : <span aria-label={`added: ${row.right.text}`}>{row.right.text}</span> : ""}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}

function AbComparison({ agentId, a, b, days }: { agentId: string; a: Version; b: Version; days: number }) {
  const org = useOrg();
  const trpc = useTRPC();
  const comparison = useQuery(trpc.versions.compare.queryOptions({ orgId: org.orgId, agentId, aId: a.id, bId: b.id, days }));
  return (
    <section aria-label={`A/B comparison of ${a.label} and ${b.label}`} className="px-5 py-4">
      <h3 className="text-sm font-semibold text-slate-900">
        A/B: {a.label} against {b.label}
      </h3>
      <div className="mt-2">
        <QueryBoundary query={comparison} label="the comparison" skeleton={["h-5 w-2/3", "h-32 w-full"]}>
          {(data) => (
            <>
              <p className="text-sm font-medium text-slate-800" role="status">
                {data.summary}
              </p>
              <div className="mt-3 overflow-x-auto">
                <table className="min-w-full divide-y divide-slate-200 text-sm">
                  <caption className="sr-only">
                    Metrics of {a.label} and {b.label}
                  </caption>
                  <TableHead dense headers={["Metric", a.label, b.label, "Difference (95 % CI)", "Test", "p", "Significant"]} />
                  <tbody className="divide-y divide-slate-100">
                    {data.rows.map((row) => (
                      <tr key={row.metric} className="align-top">
                        <th scope="row" className="px-3 py-2 text-left font-medium text-slate-900">
                          {row.label}
                        </th>
                        <td className="px-3 py-2 whitespace-nowrap">
                          {row.a === null ? "—" : formatComparisonValue(row.unit, row.a)}
                          <span className="block text-xs text-slate-500">n = {row.nA.toLocaleString("en-US")}</span>
                        </td>
                        <td className="px-3 py-2 whitespace-nowrap">
                          {row.b === null ? "—" : formatComparisonValue(row.unit, row.b)}
                          <span className="block text-xs text-slate-500">n = {row.nB.toLocaleString("en-US")}</span>
                        </td>
                        <td className="px-3 py-2 whitespace-nowrap">
                          {row.difference === null ? "—" : formatComparisonValue(row.unit, row.difference, true)}
                          {row.ci ? (
                            <span className="block text-xs text-slate-500">
                              {formatComparisonValue(row.unit, row.ci.low, true)} to {formatComparisonValue(row.unit, row.ci.high, true)}
                            </span>
                          ) : null}
                        </td>
                        <td className="px-3 py-2 text-xs text-slate-600">{row.test ?? "—"}</td>
                        <td className="px-3 py-2 whitespace-nowrap tabular-nums">{formatPValue(row.pValue)}</td>
                        <td className="px-3 py-2">
                          {row.significant === null ? <span className="text-slate-400">—</span> : row.significant ? <Badge tone="warn">Yes</Badge> : <Badge tone="neutral">No</Badge>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <ul className="mt-3 list-disc space-y-1 pl-5 text-xs text-slate-600">
                {data.rows
                  .filter((row) => row.metric !== "tasks")
                  .map((row) => (
                    <li key={row.metric}>{row.sentence}</li>
                  ))}
              </ul>
              <p className="mt-2 text-xs text-slate-500">
                Fixed-window tests (not the sequential guards of a live rollout): two-proportion z-test for rates, Welch&apos;s t-test on per-task costs, Mann–Whitney U on the latency histograms (one test for
                p50 and p95); the tests that have enough data on both versions are Holm-corrected together at α = 0.05.
              </p>
            </>
          )}
        </QueryBoundary>
      </div>
    </section>
  );
}
