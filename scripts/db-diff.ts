// `npm run db:diff -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the
// SQL that takes the existing migrations to prisma/schema.prisma. Works offline: it replays the
// migrations into a scratch embedded PostgreSQL and diffs with Prisma's wasm schema engine.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedPostgres } from "../server/db/embedded";
import { applyMigrations } from "../server/db/migrate";
import { diffDatabaseToSchema } from "../server/db/schema-diff";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_").toLowerCase();
if (!name) {
  console.error("Usage: npm run db:diff -- <migration_name>");
  process.exit(2);
}
const scratch = mkdtempSync(join(tmpdir(), "agentry-diff-"));
chmodSync(scratch, 0o755); // as root, PostgreSQL runs as the `postgres` user and must reach it
const db = await startEmbeddedPostgres({ dir: join(scratch, "pg"), password: "scratch" });
try {
  await applyMigrations(db.url, { jobQueue: false });
  const sql = await diffDatabaseToSchema(db.url);
  if (!sql) {
    console.log("The migrations already match prisma/schema.prisma; nothing written.");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = join("prisma", "migrations", `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "migration.sql"), `${sql}\n`);
    console.log(`Wrote ${join(dir, "migration.sql")}; review it and add what Prisma cannot express (triggers).`);
  }
} finally {
  await db.stop();
  rmSync(scratch, { recursive: true, force: true });
}
