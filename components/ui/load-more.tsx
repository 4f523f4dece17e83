"use client";

import { Button } from "./button";
import { formatNumber } from "./format";

/** The footer of a cursor-paged list: how many are shown, and "Load more" while older ones remain. */
export function LoadMoreFooter({
  count,
  noun,
  list,
}: {
  count: number;
  noun: { one: string; many: string };
  list: { hasNextPage: boolean; isFetchingNextPage: boolean; error: { message: string } | null; fetchNextPage: () => Promise<unknown> };
}) {
  if (count === 0) return null;
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 px-5 py-3">
      <p className="text-sm text-slate-500" aria-live="polite">
        Showing {formatNumber(count)} {count === 1 ? noun.one : noun.many}
        {list.hasNextPage ? "" : ", the oldest included"}
      </p>
      {list.error ? <p className="text-sm text-red-600">Could not load more: {list.error.message}</p> : null}
      {list.hasNextPage ? (
        <Button variant="secondary" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage} aria-busy={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? <span aria-hidden className="h-3.5 w-3.5 animate-spin rounded-full border-2 border-slate-300 border-t-brand-600" /> : null}
          Load more
        </Button>
      ) : null}
    </div>
  );
}
