// The migrations in prisma/migrations build exactly the schema in prisma/schema.prisma: a model
// changed without a migration (or the reverse) fails here, not in production.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { expect, test } from "vitest";
import { Prisma } from "../../server/generated/prisma/client";
import { applyMigrations } from "../../server/db/migrate";
import { diffDatabaseToSchema } from "../../server/db/schema-diff";
import { assertLocalDatabase } from "./global-setup";
import { databaseUrl, testDb } from "./helpers";

test("the migrated database matches prisma/schema.prisma", async () => {
  expect(await diffDatabaseToSchema(databaseUrl)).toBe("");
});

test("a database that drifted from the schema is reported", async () => {
  // A scratch database on the same server, so the shared one stays as migrated.
  const name = `drift_${randomUUID().replaceAll("-", "")}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    await applyMigrations(url.toString());
    const scratch = new pg.Client({ connectionString: url.toString() });
    await scratch.connect();
    await scratch.query("ALTER TABLE teams DROP COLUMN created_at");
    await scratch.end();
    expect(await diffDatabaseToSchema(url.toString())).toMatch(/ALTER TABLE "teams" ADD COLUMN\s+"created_at"/);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
});

test("every Prisma model can be read from the migrated database", async () => {
  const models = Object.values(Prisma.ModelName);
  expect(models.length).toBeGreaterThan(0);
  const delegates = testDb() as unknown as Record<string, { findFirst: () => Promise<unknown> } | undefined>;
  for (const model of models) {
    const delegate = delegates[model.charAt(0).toLowerCase() + model.slice(1)];
    if (!delegate) throw new Error(`the client has no delegate for ${model}`);
    // Fails when a column or table the client expects is missing from the migrated database.
    await delegate.findFirst().catch((error: unknown) => {
      throw new Error(`${model}: ${String(error)}`, { cause: error });
    });
  }
});

test("integration tests refuse a DATABASE_URL that is not on this machine", () => {
  expect(() => assertLocalDatabase("postgresql://u:p@db.example.com:5432/prod")).toThrow(/localhost/);
  expect(() => assertLocalDatabase("postgresql://u:p@10.0.0.5/agentry")).toThrow(/localhost/);
  expect(() => assertLocalDatabase("not a url")).toThrow(/valid URL/);
  expect(() => assertLocalDatabase("postgresql://u:p@localhost:5432/agentry")).not.toThrow();
  expect(() => assertLocalDatabase("postgresql://u:p@127.0.0.1:5432/agentry")).not.toThrow();
});
