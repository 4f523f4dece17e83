// One Prisma client per process, on the process's one pg pool (server/db/pool.ts), kept on
// globalThis so dev reloads and separately bundled modules share it.
import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { PrismaClient } from "./generated/prisma/client";
import { createPool, getPool } from "./db/pool";

export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

/** A Prisma client on `pool` (Prisma never opens connections of its own); `owned`: $disconnect ends the pool too. */
export function prismaOn(pool: pg.Pool, owned = false): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: owned }) });
}

/** A client with a pool of its own, for scripts and tests that run outside the app process. */
export function createDb(databaseUrl: string, poolSize = 10): PrismaClient {
  return prismaOn(createPool(databaseUrl, poolSize), true);
}

const globalForDb = globalThis as unknown as { agentryDb?: PrismaClient };

/** The process's client, created on first use (never at import: builds run without a database). */
export function getDb(): PrismaClient {
  globalForDb.agentryDb ??= prismaOn(getPool());
  return globalForDb.agentryDb;
}
