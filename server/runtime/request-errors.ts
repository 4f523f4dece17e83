// Next.js writes a page's or route handler's unhandled error with console.error(error) (a
// multi-line stack) and then calls instrumentation's onRequestError with the request. This turns
// the pair into the one JSON line of logServerError, with the request id proxy.ts gave the
// request: console.error of a lone Error is held back for one turn of the event loop; if
// onRequestError claims it meanwhile it is logged with its request, otherwise on its own.
import { logServerError, REQUEST_ID_HEADER } from "./log";

const held = new Set<Error>();
const globalForErrors = globalThis as unknown as { agentryConsoleErrorRouted?: boolean };

/** Installs the hold on console.error once per process (instrumentation.ts register()). */
export function routeLoneErrorsToLog(): void {
  if (globalForErrors.agentryConsoleErrorRouted) return;
  globalForErrors.agentryConsoleErrorRouted = true;
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    const [only] = args;
    if (args.length !== 1 || !(only instanceof Error)) {
      original(...args);
      return;
    }
    held.add(only);
    setImmediate(() => {
      if (held.delete(only)) logServerError({ requestId: "unknown", error: only });
    });
  };
}

type HeaderBag = Record<string, string | string[] | undefined> | { get(name: string): string | null };

function headerValue(headers: HeaderBag, name: string): string | null {
  if (typeof (headers as { get?: unknown }).get === "function") return (headers as { get(name: string): string | null }).get(name);
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/** instrumentation.ts onRequestError: the one line for a page's or route handler's 500. */
export function logRequestError(error: unknown, request: { path: string; method: string; headers: HeaderBag }, context?: { routePath?: string; routeType?: string }): void {
  if (error instanceof Error) held.delete(error);
  const digest = (error as { digest?: unknown } | null)?.digest;
  logServerError({
    requestId: headerValue(request.headers, REQUEST_ID_HEADER) ?? "unknown",
    method: request.method,
    path: request.path,
    route: context?.routePath ?? null,
    routeType: context?.routeType ?? null,
    // What the person sees on the error page ("digest"), to find this line from a report.
    digest: typeof digest === "string" ? digest : null,
    error,
  });
}
