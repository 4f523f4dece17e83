// The org's directive revision: one number that moves whenever what its agents must obey changes
// (a kill switch engaged or released, a version's lifecycle), so every instance can tell whether
// it has heard the latest directives, and acknowledgements can be counted against it.
import { sqlRows, type SqlClient } from "../db/sql";

/** Bumps the org's directive revision (taking its row lock until commit) and returns the new one. */
export async function bumpDirectiveRevision(client: SqlClient, orgId: string): Promise<number> {
  const rows = await sqlRows<{ revision: number }>(
    client,
    `INSERT INTO directive_revisions (org_id, revision, updated_at) VALUES ($1::uuid, 1, now())
     ON CONFLICT (org_id) DO UPDATE SET revision = directive_revisions.revision + 1, updated_at = now()
     RETURNING revision`,
    [orgId],
  );
  const revision = rows[0]?.revision;
  if (revision === undefined) throw new Error("bumpDirectiveRevision: no revision returned");
  return revision;
}
