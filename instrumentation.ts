// Next.js calls register() once when a server process starts (not during `next build`), and
// onRequestError for every unhandled error of a page, route handler or server action. Background
// work is not started here: the job queue runs from the start script (server/jobs/worker.ts).
import type { Instrumentation } from "next";

export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { routeLoneErrorsToLog } = await import("./server/runtime/request-errors");
  routeLoneErrorsToLog();
}

export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { logRequestError } = await import("./server/runtime/request-errors");
  logRequestError(error, request, context);
};
