"use client";

import { useQuery } from "@tanstack/react-query";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/feedback";
import { formatNumber } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { QueryBoundary } from "@/components/ui/query-boundary";

/** Whether the org's hash chain holds, recomputed on the server from every entry. */
export function ChainStatus() {
  const org = useOrg();
  const trpc = useTRPC();
  const verify = useQuery({ ...trpc.audit.verify.queryOptions({ orgId: org.orgId }), staleTime: 0 });

  return (
    <Card className="mb-6 px-5 py-4">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div className="min-w-0 flex-1" aria-live="polite">
          <h2 className="text-xs font-medium tracking-wide text-slate-500 uppercase">Chain status</h2>
          <QueryBoundary query={verify} label="the audit chain's status" loading={<Skeleton className="mt-2 h-4 w-64" />} staleNotice={false}>
            {(result) => (
              <>
                {result.ok ? (
                  <p className="mt-1 flex items-center gap-2 text-base font-semibold text-emerald-700">
                    <span aria-hidden className="grid h-6 w-6 place-items-center rounded-full bg-emerald-100 text-sm">
                      ✓
                    </span>
                    <span>
                      Chain verified: {formatNumber(result.count)} {result.count === 1 ? "entry" : "entries"}
                      {result.headHash ? (
                        <>
                          , head hash{" "}
                          <code className="font-mono text-sm" title={result.headHash}>
                            {result.headHash.slice(0, 12)}…
                          </code>
                        </>
                      ) : null}
                    </span>
                  </p>
                ) : (
                  <div role="alert" className="mt-1">
                    <p className="flex items-center gap-2 text-base font-semibold text-red-700">
                      <span aria-hidden className="grid h-6 w-6 place-items-center rounded-full bg-red-100 text-sm">
                        !
                      </span>
                      <span>
                        Chain broken at entry #{result.brokenAt.seq ?? "?"}: {result.problem}
                      </span>
                    </p>
                    <p className="mt-1 text-sm text-slate-600">
                      The {formatNumber(result.count)} {result.count === 1 ? "entry" : "entries"} before it check out. An entry was altered, removed or reordered outside the application: the database refuses
                      such changes, so someone went around it.
                    </p>
                  </div>
                )}
                <p className="mt-1 text-xs text-slate-500">
                  Every hash recomputed from the entries{result.ok ? " (sha256 of the previous hash and the entry's canonical JSON)" : ""}. Checked <LocalTime value={result.checkedAt} />
                  {verify.error ? <span className="text-red-600"> · the last re-check failed: {verify.error.message}</span> : null}
                </p>
              </>
            )}
          </QueryBoundary>
        </div>
        <Button variant="secondary" onClick={() => void verify.refetch()} disabled={verify.isFetching} aria-busy={verify.isFetching}>
          {verify.isFetching ? <span aria-hidden className="h-3.5 w-3.5 animate-spin rounded-full border-2 border-slate-300 border-t-brand-600" /> : null}
          Verify again
        </Button>
      </div>
    </Card>
  );
}
