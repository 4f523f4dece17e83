"use client";

import type { ReactNode } from "react";
import { cn } from "./cn";
import { Alert, errorMessage, Skeleton } from "./feedback";

/** What the boundary reads of a TanStack query (useQuery and useInfiniteQuery both fit). */
export interface QueryView<Data> {
  data: Data | undefined;
  error: unknown;
  isFetching: boolean;
  refetch: () => Promise<unknown>;
}

/** The HTTP status a tRPC error carries, when it carries one. */
export function errorStatus(error: unknown): number | null {
  const status = (error as { data?: { httpStatus?: unknown } } | null)?.data?.httpStatus;
  return typeof status === "number" ? status : null;
}

/** Whether asking again could help: not for a refusal or bad input (4xx), except being rate limited. */
function retryable(error: unknown): boolean {
  const status = errorStatus(error);
  return status === null || status === 429 || status >= 500;
}

/** A few grey bars where rows of data will be. */
export function SkeletonRows({ rows = 3, className = "h-5" }: { rows?: number; className?: string }) {
  return (
    <div className="space-y-3">
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} className={cn("w-full", index === rows - 1 && rows > 1 && "w-2/3", className)} />
      ))}
    </div>
  );
}

function SkeletonStack({ blocks }: { blocks: readonly string[] }) {
  return (
    <div className="space-y-3">
      {blocks.map((block, index) => (
        <Skeleton key={index} className={block} />
      ))}
    </div>
  );
}

/** A card of skeleton rows, for a boundary whose content is a card of its own. */
export function LoadingCard({ rows = 3, className = "h-6" }: { rows?: number; className?: string }) {
  return (
    <div className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <SkeletonRows rows={rows} className={className} />
    </div>
  );
}

/** A failed query: what went wrong, and a way to ask again when asking again could help. */
export function QueryFailure({ error, retry, title = "Could not load this" }: { error: unknown; retry?: () => void; title?: string }) {
  return (
    <Alert tone="bad" title={title}>
      <p>{errorMessage(error)}</p>
      {retry && retryable(error) ? (
        <button type="button" onClick={retry} className="mt-2 text-sm font-medium underline">
          Try again
        </button>
      ) : null}
    </Alert>
  );
}

/**
 * The one place a query's states are drawn: a skeleton until the first answer, what went wrong
 * (with a retry) if there is none, the empty state when the answer holds nothing, and otherwise
 * the content. A failed refresh keeps the last answer on screen and says it is not current.
 * Pages prefetched on the server hydrate with data, so the first render is already the content.
 */
export function QueryBoundary<Data>({
  query,
  label,
  loading,
  skeleton,
  isEmpty,
  empty,
  inset = false,
  failure,
  staleNotice = true,
  children,
}: {
  query: QueryView<Data>;
  /** What is loading, for screen readers: "Loading {label}…". */
  label: string;
  /** The skeleton shaped like the content; a few rows when not given. */
  loading?: ReactNode;
  /** Or, for a simple one, the classes (height, width) of grey blocks stacked where the content will be. */
  skeleton?: readonly string[];
  /** Whether the answer holds nothing (shown as `empty`); by default, an empty list. */
  isEmpty?: (data: Data) => boolean;
  empty?: ReactNode;
  /** Pad the loading and error states, for a boundary that fills a card's body. */
  inset?: boolean;
  /** A page of its own for particular errors (a missing or forbidden thing); null falls back to the generic one. */
  failure?: (error: unknown) => ReactNode | null;
  /** Say so above the content when a refresh failed (off for a badge-sized boundary). */
  staleNotice?: boolean;
  children: (data: Data) => ReactNode;
}) {
  const retry = () => void query.refetch();
  const pad = inset ? "p-5" : undefined;
  if (query.data === undefined) {
    if (query.error) return <div className={pad}>{failure?.(query.error) ?? <QueryFailure error={query.error} retry={retry} />}</div>;
    return (
      <div className={pad} aria-busy="true">
        <span role="status" className="sr-only">
          Loading {label}…
        </span>
        {loading ?? (skeleton ? <SkeletonStack blocks={skeleton} /> : <SkeletonRows />)}
      </div>
    );
  }
  const stale = staleNotice && query.error && !query.isFetching ? <QueryFailure error={query.error} retry={retry} title={`Could not refresh ${label}: showing the last answer`} /> : null;
  // With an empty state to show, an empty list is empty unless told otherwise.
  const blank = isEmpty ? isEmpty(query.data) : empty !== undefined && Array.isArray(query.data) && query.data.length === 0;
  const content = blank ? empty : children(query.data);
  if (!stale) return <>{content}</>;
  return (
    <>
      <div className={cn("mb-4", pad)}>{stale}</div>
      {content}
    </>
  );
}
