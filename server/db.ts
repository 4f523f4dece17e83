// One Prisma client per process (kept on globalThis so dev reloads do not open new pools).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { env } from "./env";

export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export function createDb(databaseUrl: string, poolSize = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolSize }) });
}

const globalForDb = globalThis as unknown as { agentryDb?: PrismaClient };

/** The process's client, created on first use (never at import: builds run without a database). */
export function getDb(): PrismaClient {
  globalForDb.agentryDb ??= createDb(env().DATABASE_URL, env().DATABASE_POOL_SIZE);
  return globalForDb.agentryDb;
}
