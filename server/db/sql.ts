// One parameterised statement on whichever client a caller holds: a node-postgres client (the agent
// API, jobs) or a Prisma transaction (console mutations), so a data function can join either's
// transaction.
import type pg from "pg";
import type { Tx } from "../db";

export type SqlClient = pg.Pool | pg.PoolClient | pg.Client | Tx;

/** A Prisma transaction client, as opposed to a node-postgres one. */
export function isPrismaTx(client: SqlClient): client is Tx {
  return typeof (client as { $queryRawUnsafe?: unknown }).$queryRawUnsafe === "function";
}

export async function sqlRows<T>(client: SqlClient, text: string, params: readonly unknown[]): Promise<T[]> {
  if (isPrismaTx(client)) return client.$queryRawUnsafe<T[]>(text, ...params);
  const result = await client.query(text, [...params]);
  return result.rows as T[];
}

/** Runs the thunks one after another (a pg client queues, but warns, on concurrent queries). */
export async function inOrder<T extends readonly unknown[]>(thunks: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  const results: unknown[] = [];
  for (const thunk of thunks as readonly (() => Promise<unknown>)[]) results.push(await thunk());
  return results as unknown as T;
}
