// The org id data functions trust: a string branded so that only the auth layer makes one.
//
// Three places mint it, each after the check that makes it true:
//   - a console request: `authorize` (server/auth/access.ts), from the caller's membership read
//     fresh from the database by `orgProcedure` (server/api/trpc.ts);
//   - an agent API request: `authenticate` (server/agent-api/auth.ts), the org of the bearer key;
//   - work the system does by itself (jobs, boot, the demo seed): `orgIdForSystemWork` below.
// Anywhere else, `as AuthorizedOrgId` is refused by the linter (eslint.config.mjs), so an id read
// from a request's input cannot reach a data function by accident: a plain string does not type.
import "server-only";

declare const authorizedOrgId: unique symbol;

/** An org id the auth layer vouches for (see above). Data functions the console and the agent API call take it. */
export type AuthorizedOrgId = string & { readonly [authorizedOrgId]: true };

/**
 * For work the system starts by itself, never for an id that came with a request: a job's payload
 * (written by code that held an authorised id when it queued the job), boot, the demo seed, tests.
 */
export function orgIdForSystemWork(orgId: string): AuthorizedOrgId {
  return orgId as AuthorizedOrgId;
}
