// The console's tRPC endpoint over HTTP (app/api/trpc/[trpc]/route.ts): every request gets an id
// (from proxy.ts, or made here), returned as X-Request-Id; a server error is written as one JSON
// line with that id (server/runtime/log.ts) and answered with a plain message and the id.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { logServerError, newRequestId, REQUEST_ID_HEADER, usableRequestId } from "../runtime/log";
import { appRouter } from "./root";
import type { TRPCContext } from "./trpc";

export function handleTrpcRequest(request: Request, createContext: (requestId: string) => Promise<TRPCContext>): Promise<Response> {
  const requestId = usableRequestId(request.headers.get(REQUEST_ID_HEADER)) ?? newRequestId();
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => createContext(requestId),
    onError: ({ error, path, type }) => {
      // Expected refusals (bad input, forbidden, not found) are answers, not server errors.
      if (error.code === "INTERNAL_SERVER_ERROR") {
        logServerError({ requestId, method: request.method, path: new URL(request.url).pathname, procedure: path ?? null, type, error: error.cause ?? error });
      }
    },
    responseMeta: () => ({ headers: new Headers({ [REQUEST_ID_HEADER]: requestId }) }),
  });
}
