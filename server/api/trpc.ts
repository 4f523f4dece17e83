// tRPC: context, and the procedure chain every router uses. Role checks live here, once:
// `orgProcedure(permission)` takes `{ orgId }` in its input, reads the caller's membership from
// the database, and refuses with FORBIDDEN unless the role grants the permission. Mutations
// change data only through `ctx.audited`, which writes the audit entry in the same transaction.
// A router validates, checks, calls one data or domain function and returns; what those refuse
// (server/domain/refusal.ts) is answered here with its code and message.
import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import { actorOf, authorize, loadMembership } from "../auth/access";
import type { Db, Tx } from "../db";
import { transaction } from "../db/after-commit";
import { appendAudit, type AuditWriter } from "../data/audit";
import type { Permission } from "../domain/access/permissions";
import { Refused } from "../domain/refusal";
import { findUnsafeString } from "../domain/text/scan";

export interface TRPCContext {
  db: Db;
  /** The signed-in user's id, from the session token; nothing else is trusted from it. */
  userId: string | null;
  /** The request's id (proxy.ts), in the log line of a server error and in its answer. */
  requestId?: string;
}

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error, ctx }) {
    // A server error's own message may describe the database or the code: the client gets a
    // plain sentence and the request id that finds the one log line about it.
    if (error.code === "INTERNAL_SERVER_ERROR") {
      const requestId = ctx?.requestId ?? null;
      const { stack: _stack, ...data } = shape.data;
      return {
        ...shape,
        message: `Something went wrong on our side.${requestId ? ` Request id: ${requestId}` : ""}`,
        data: { ...data, requestId, zodError: null },
      };
    }
    return {
      ...shape,
      data: {
        ...shape.data,
        requestId: ctx?.requestId ?? null,
        zodError: error.cause instanceof ZodError ? z.flattenError(error.cause) : null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Before any input schema: no string anywhere in the input (values or keys) may hold an
 * unpaired UTF-16 surrogate or NUL (server/domain/text). PostgreSQL cannot store NUL, and stores
 * a lone surrogate as U+FFFD, so a value checked here would not be the value stored.
 */
const wellFormedInput = t.middleware(async ({ getRawInput, next }) => {
  const unsafe = findUnsafeString(await getRawInput());
  if (unsafe) throw new TRPCError({ code: "BAD_REQUEST", message: `${unsafe.path}: ${unsafe.message}` });
  return next();
});

/** A refusal thrown by a data or domain function is an answer (its code and message), not a server error. */
const refusalsAnswered = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof Refused) {
    throw new TRPCError({ code: result.error.cause.code, message: result.error.cause.message, cause: result.error.cause });
  }
  return result;
});

export const publicProcedure = t.procedure.use(refusalsAnswered).use(wellFormedInput);

export const protectedProcedure = t.procedure
  .use(refusalsAnswered)
  .use(async ({ ctx, next }) => {
    if (!ctx.userId) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
    return next({ ctx: { ...ctx, userId: ctx.userId } });
  })
  .use(wellFormedInput);

export const orgInput = z.object({ orgId: z.string().uuid() });

/** Runs a console write in one transaction with its audit writer; after-commit work (server/db/after-commit.ts) runs once it committed. */
export type AuditedWork = <T>(work: (tx: Tx, audit: AuditWriter) => Promise<T>) => Promise<T>;

/** A procedure for one org that requires `permission`; see the table in server/domain/access/permissions.ts. */
export function orgProcedure(permission: Permission) {
  return protectedProcedure.input(orgInput).use(async ({ ctx, input, next }) => {
    const membership = await loadMembership(ctx.db, ctx.userId, { id: input.orgId });
    if (!membership) throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of this organisation." });
    const access = authorize(membership, permission);
    if (!access) throw new TRPCError({ code: "FORBIDDEN", message: `Your role (${membership.role}) may not do this.` });
    const actor = actorOf(access);

    const audited: AuditedWork = (work) =>
      transaction(ctx.db, async (tx) => {
        let entries = 0;
        const result = await work(tx, async (entry) => {
          await appendAudit(tx, access.orgId, actor, entry);
          entries += 1;
        });
        // Structural: a console mutation that changed something and wrote no entry is a bug.
        if (entries === 0) throw new Error("A console mutation finished without writing its audit entry");
        return result;
      });

    return next({ ctx: { ...ctx, access, audited } });
  });
}
