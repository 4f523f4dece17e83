// A PostgreSQL of a test's own, on a free port, that the test stops and starts again with the same
// data folder, port and password, so its URL stays the same across the outage.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from "../../../server/db/embedded";

export class ScratchDatabase {
  private constructor(
    private readonly root: string,
    private readonly options: { dir: string; password: string; port: number },
    private database: EmbeddedDatabase,
  ) {}

  /** A new cluster in a temporary folder named after `prefix`. */
  static async create(prefix: string): Promise<ScratchDatabase> {
    const root = mkdtempSync(join(tmpdir(), prefix));
    chmodSync(root, 0o755);
    const options = { dir: join(root, "pg"), password: randomBytes(18).toString("base64url"), port: await freePort() };
    return new ScratchDatabase(root, options, await startEmbeddedPostgres(options));
  }

  get url(): string {
    return this.database.url;
  }

  async stop(): Promise<void> {
    await this.database.stop();
  }

  /** Starts it again after `stop`, on the same folder and port. */
  async start(): Promise<void> {
    this.database = await startEmbeddedPostgres(this.options);
  }

  /** Stops it and deletes its folder. */
  async remove(): Promise<void> {
    await this.database.stop();
    rmSync(this.root, { recursive: true, force: true });
  }
}
