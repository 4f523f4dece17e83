// What `npm start` does before it serves: resolve configuration (docs/configuration.md), start
// the embedded PostgreSQL when no DATABASE_URL is given, apply migrations, seed the demo org on
// an empty database in demo mode, and write <data dir>/demo.json. The embedded PostgreSQL is
// supervised: restarted when it dies, and `onDatabaseLost` told when it cannot be brought back.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { getDb } from "../db";
import { startEmbeddedPostgres } from "../db/embedded";
import { describeError } from "../db/postgres-log";
import { applyMigrations } from "../db/migrate";
import { provideResolvedEnv } from "../env";
import { DEMO_ORG, isDatabaseEmpty, seedDemoOrg } from "../../prisma/seed/demo";
import { seedDemoHistoryAt } from "../../prisma/seed/history";
import { seedDemoComplianceAt } from "../../prisma/seed/compliance";

export interface BootOptions {
  dataDir: string;
  databaseUrl?: string;
  demo?: boolean;
  publicUrl: string;
  log: (line: string) => void;
  /**
   * The embedded PostgreSQL died and could not be started again: the app cannot serve and should
   * exit non-zero so that a process manager restarts it. Not called for an external DATABASE_URL.
   */
  onDatabaseLost: (error: Error) => void;
}

export interface Booted {
  databaseUrl: string;
  embedded: boolean;
  authSecret: string;
  demo: DemoFile | null;
  stop: () => Promise<void>;
}

const demoFileSchema = z.object({
  url: z.string(),
  databaseUrl: z.string(),
  users: z.array(z.object({ email: z.string(), password: z.string(), role: z.string(), teams: z.array(z.string()) })),
  agentKeys: z.record(z.string(), z.string()),
  ingestKey: z.string().nullable(),
});
export type DemoFile = z.infer<typeof demoFileSchema>;

const secretsSchema = z.object({ authSecret: z.string().min(32), postgresPassword: z.string().min(16) });

/** Secrets generated once per data folder, readable only by their owner. */
function loadOrCreateSecrets(dataDir: string): z.infer<typeof secretsSchema> {
  const file = join(dataDir, "secrets.json");
  if (existsSync(file)) return secretsSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  const secrets = { authSecret: randomBytes(32).toString("base64url"), postgresPassword: randomBytes(18).toString("base64url") };
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

export async function boot(options: BootOptions): Promise<Booted> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // As root, the embedded PostgreSQL runs as the `postgres` user and must reach its folder.
  chmodSync(dataDir, 0o755);
  const secrets = loadOrCreateSecrets(dataDir);

  let databaseUrl = options.databaseUrl;
  let stopDatabase = async () => {};
  const embedded = !databaseUrl;
  if (!databaseUrl) {
    options.log(`Starting the embedded PostgreSQL in ${join(dataDir, "pg")}`);
    const database = await startEmbeddedPostgres({
      dir: join(dataDir, "pg"),
      password: secrets.postgresPassword,
      log: options.log,
      supervise: { onGiveUp: options.onDatabaseLost },
    });
    databaseUrl = database.url;
    stopDatabase = database.stop;
  }

  // From here on the process's configuration is complete: its one pool (server/db/pool.ts) is made
  // from it on first use, and the seed below already goes through it.
  provideResolvedEnv({ DATABASE_URL: databaseUrl, AUTH_SECRET: secrets.authSecret });

  try {
    const applied = await applyMigrations(databaseUrl, { log: options.log });
    options.log(applied.length > 0 ? `Applied ${applied.length} migration(s).` : "Database schema is up to date.");

    const demoMode = options.demo ?? embedded;
    const demoPath = join(dataDir, "demo.json");
    let demo: DemoFile | null = null;
    if (demoMode) {
      const db = getDb();
      let seed: Pick<DemoFile, "users" | "agentKeys" | "ingestKey"> | null = null;
      if (await isDatabaseEmpty(db)) {
        options.log("Seeding the demo organisation (Acme Corp)…");
        seed = await seedDemoOrg(db);
        // Weeks of telemetry for the dashboards; a failure here must not cost the demo its logins.
        await seedDemoHistoryAt(DEMO_ORG.slug, { log: options.log }).catch((error: unknown) => options.log(`Demo history was not seeded: ${(error as Error).message}`));
        await seedDemoComplianceAt(DEMO_ORG.slug, { log: options.log }).catch((error: unknown) => options.log(`Demo compliance facts were not seeded: ${(error as Error).message}`));
      } else if (existsSync(demoPath)) {
        // The logins and keys of an earlier seed: the database holds only their hashes.
        seed = demoFileSchema.parse(JSON.parse(readFileSync(demoPath, "utf8")));
      }
      if (seed) {
        demo = { url: options.publicUrl, databaseUrl, users: seed.users, agentKeys: seed.agentKeys, ingestKey: seed.ingestKey };
        writeFileSync(demoPath, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
      }
    }
    return { databaseUrl, embedded, authSecret: secrets.authSecret, demo, stop: stopDatabase };
  } catch (error) {
    await stopDatabase();
    throw error;
  }
}

/** What `npm start` prints when start-up failed: the reason (never "undefined") and, for the embedded database, PostgreSQL's own lines. */
export function startFailureMessage(error: unknown): string {
  return `Agentry could not start. ${describeError(error)}`;
}
