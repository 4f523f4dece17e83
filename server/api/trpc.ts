// tRPC: context, and the procedure chain every router uses. Role checks live here, once:
// `orgProcedure(permission)` takes `{ orgId }` in its input, reads the caller's membership from
// the database, and refuses with FORBIDDEN unless the role grants the permission. Mutations
// change data only through `ctx.audited`, which writes the audit entry in the same transaction.
import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import { authorize, loadMembership, type AuthorizedOrg } from "../auth/access";
import type { Db, Tx } from "../db";
import { appendAudit, type AuditActor, type NewAuditEntry } from "../data/audit";
import { reachIncludesTeam, type Permission } from "../domain/access/permissions";
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

export const publicProcedure = t.procedure.use(wellFormedInput);

export const protectedProcedure = t.procedure
  .use(async ({ ctx, next }) => {
    if (!ctx.userId) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
    return next({ ctx: { ...ctx, userId: ctx.userId } });
  })
  .use(wellFormedInput);

export const orgInput = z.object({ orgId: z.string().uuid() });

export type AuditedWork = <T>(work: (tx: Tx, audit: (entry: NewAuditEntry) => Promise<void>) => Promise<T>) => Promise<T>;

/** A procedure for one org that requires `permission`; see the table in server/domain/access/permissions.ts. */
export function orgProcedure(permission: Permission) {
  return protectedProcedure.input(orgInput).use(async ({ ctx, input, next }) => {
    const membership = await loadMembership(ctx.db, ctx.userId, { id: input.orgId });
    if (!membership) throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of this organisation." });
    const access = authorize(membership, permission);
    if (!access) throw new TRPCError({ code: "FORBIDDEN", message: `Your role (${membership.role}) may not do this.` });
    const actor: AuditActor = { type: "user", id: membership.userId, label: membership.userEmail };

    const audited: AuditedWork = (work) =>
      ctx.db.$transaction(async (tx) => {
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

/** FORBIDDEN unless the caller's reach covers `teamId` (team leads: only their own teams). */
export function assertTeamInReach(access: AuthorizedOrg, teamId: string | null): void {
  if (!reachIncludesTeam(access.reach, teamId)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "That belongs to a team outside your scope." });
  }
}
