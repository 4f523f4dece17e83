// How every cursor-paged list in the console asks for its next page: the server answers a page
// with `nextCursor` (null on the last one). Shared by the pages that prefetch the first page on the
// server and the components that load the rest.
export const byNextCursor = {
  getNextPageParam: <Cursor>(page: { nextCursor?: Cursor | null }): Cursor | undefined => page.nextCursor ?? undefined,
};
