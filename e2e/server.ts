// The server the end-to-end tests run against: the built app on a fresh embedded database with
// the demo org. Refuses to touch any database that is not on this machine.
import { rmSync } from "node:fs";

const dataDir = process.env.AGENTRY_DATA_DIR ?? ".data-e2e";
if (!dataDir.includes("e2e")) throw new Error(`Refusing to wipe ${dataDir}: e2e data folders have "e2e" in their name`);
if (process.env.DATABASE_URL) {
  const host = new URL(process.env.DATABASE_URL).hostname;
  if (!["localhost", "127.0.0.1", "::1"].includes(host)) {
    throw new Error(`Refusing to run end-to-end tests against a non-local database (${host})`);
  }
}
rmSync(dataDir, { recursive: true, force: true });
await import("../scripts/start");
