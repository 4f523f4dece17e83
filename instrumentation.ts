// Next.js calls register() once when a server process starts (not during `next build`), and
// onRequestError for every unhandled error of a page, route handler or server action.
import type { Instrumentation } from "next";

export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { routeLoneErrorsToLog } = await import("./server/runtime/request-errors");
  routeLoneErrorsToLog();
  const { startBackgroundWork } = await import("./server/runtime/background");
  startBackgroundWork();
}

export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { logRequestError } = await import("./server/runtime/request-errors");
  logRequestError(error, request, context);
};
