// Server components' side of tRPC (the create-t3-app pattern for tRPC 11 with TanStack Query): a
// page prefetches its queries through the same procedures the browser calls (same permission
// checks, same org scoping), and <HydrateClient> hands the answers to the client components,
// which read the very same queries, so the HTML arrives with the data in it.
import "server-only";
import { dehydrate, HydrationBoundary, type FetchInfiniteQueryOptions, type FetchQueryOptions, type QueryKey } from "@tanstack/react-query";
import { TRPCError } from "@trpc/server";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { cache, type ReactNode } from "react";
import { makeQueryClient } from "@/components/trpc/query-client";
import { createTRPCContext } from "@/server/api/context";
import { appRouter } from "@/server/api/root";
import type { Membership } from "@/server/auth/access";
import { membershipBySlug, requireUserId } from "@/server/auth/session";
import { can, type Permission } from "@/server/domain/access/permissions";
import { newRequestId, REQUEST_ID_HEADER, usableRequestId } from "@/server/runtime/log";

/** One query client per request (React's cache lasts one server render). */
const getQueryClient = cache(makeQueryClient);

const createContext = cache(async () => createTRPCContext(usableRequestId((await headers()).get(REQUEST_ID_HEADER)) ?? newRequestId()));

/** The options proxy for server components: `trpc.agents.list.queryOptions(input)`, as in the browser. */
export const trpc = createTRPCOptionsProxy({ router: appRouter, ctx: createContext, queryClient: getQueryClient });

/** What `trpc.<path>.queryOptions(…)` and `.infiniteQueryOptions(…)` return, as far as prefetching cares. */
interface TrpcQueryOptions {
  queryKey: readonly [readonly string[], { type?: "query" | "infinite" }?];
}

/**
 * Runs the queries now, so the server render has their answers. A query that fails (a refusal,
 * say) is not handed over: the client component asks again and shows what went wrong.
 */
export async function prefetch(...queries: (TrpcQueryOptions | false | null | undefined)[]): Promise<void> {
  const client = getQueryClient();
  await Promise.all(
    queries.map((options) => {
      if (!options) return undefined;
      // tRPC marks its infinite queries in the key (and builds their options, page param included).
      if (options.queryKey[1]?.type === "infinite") return client.prefetchInfiniteQuery(options as unknown as FetchInfiniteQueryOptions);
      return client.prefetchQuery(options as unknown as FetchQueryOptions);
    }),
  );
}

/** Whether a prefetched query was refused because what it names is not in the org: the page is then a 404. */
export function prefetchedNotFound(options: TrpcQueryOptions): boolean {
  const error = getQueryClient().getQueryState(options.queryKey as unknown as QueryKey)?.error;
  return error instanceof TRPCError && error.code === "NOT_FOUND";
}

/** The prefetched answers, for the client components below it. */
export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}

/** The viewer's membership of the page's org; a non-member gets the 404 the layout also gives. */
export const pageMembership = cache(async (slug: string): Promise<Membership> => {
  const membership = await membershipBySlug(await requireUserId(), slug);
  if (!membership) notFound();
  return membership;
});

/** The page's org and what the viewer's role may do there, for choosing what to prefetch. */
export async function orgPage(params: Promise<{ org: string }>): Promise<{ orgId: string; membership: Membership; can: (permission: Permission) => boolean }> {
  const membership = await pageMembership((await params).org);
  return { orgId: membership.orgId, membership, can: (permission) => can(membership.role, permission) };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** A page's query string as the URLSearchParams the client components read with useSearchParams. */
export async function searchParamsOf(searchParams: SearchParams): Promise<URLSearchParams> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(key, item);
  }
  return params;
}

export interface OrgPageProps {
  params: Promise<{ org: string }>;
  searchParams: SearchParams;
}
