// Starts one fresh embedded PostgreSQL for the integration run (or uses DATABASE_URL, local only),
// applies the migrations, and hands its URL to the test files through `inject("databaseUrl")`.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../server/db/embedded";
import { applyMigrations } from "../../server/db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Tests create orgs and users freely: never point them at a database that is not on this machine. */
export function assertLocalDatabase(url: string): void {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new Error("DATABASE_URL is not a valid URL");
  }
  if (!LOCAL_HOSTS.has(host)) {
    throw new Error(`Refusing to run integration tests against ${host}: DATABASE_URL must point at localhost or 127.0.0.1.`);
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const given = process.env.DATABASE_URL;
  let url: string;
  let teardown = async () => {};

  if (given) {
    assertLocalDatabase(given);
    url = given;
  } else {
    const dir = mkdtempSync(join(tmpdir(), "agentry-test-pg-"));
    // As root the server runs as the `postgres` user, which must be able to enter the folder.
    chmodSync(dir, 0o755);
    const database = await startEmbeddedPostgres({ dir: join(dir, "pg"), password: randomBytes(18).toString("base64url") });
    url = database.url;
    teardown = async () => {
      await database.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }

  try {
    await applyMigrations(url);
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide("databaseUrl", url);
  if (process.env.AGENTRY_TEST_TIMING) console.log(`integration database ready in ${Date.now() - started} ms`);
  return teardown;
}
