// The request context for the tRPC route handler: the session's user id, the process's
// database client and the request's id. Kept apart from trpc.ts so the procedure chain does not
// import next-auth (tests build a context directly with `createCaller({ db, userId })`).
import "server-only";
import { auth } from "../auth";
import { getDb } from "../db";
import type { TRPCContext } from "./trpc";

export async function createTRPCContext(requestId: string): Promise<TRPCContext> {
  const session = await auth();
  return { db: getDb(), userId: session?.user?.id ?? null, requestId };
}
