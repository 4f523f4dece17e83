// The embedded PostgreSQL recovers without a person: a server that dies is started again and
// queries succeed again; a server orphaned by a killed app is stopped so the data folder starts
// again; a start that cannot succeed says why, in PostgreSQL's own words and ours.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EmbeddedPostgresStartError, freePort, startEmbeddedPostgres, type EmbeddedDatabase } from "../../server/db/embedded";
import { processState } from "../../server/db/postmaster-pid";
import { REPO_ROOT } from "./harness/app-process";

const root = mkdtempSync(join(tmpdir(), "agentry-supervision-"));
chmodSync(root, 0o755);
const dir = join(root, "pg");
const password = randomBytes(18).toString("base64url");
const started: EmbeddedDatabase[] = [];

async function start(options: { port?: number; log?: (line: string) => void; supervise?: Parameters<typeof startEmbeddedPostgres>[0]["supervise"] } = {}) {
  const database = await startEmbeddedPostgres({ dir, password, ...options });
  started.push(database);
  return database;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on("error", () => {});
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

beforeAll(async () => {
  // One cluster for the file (initdb once); every test leaves it stopped.
  const database = await start();
  await query(database.url, "CREATE TABLE survivors (id int PRIMARY KEY, note text)");
  await database.stop();
});

afterAll(async () => {
  for (const database of started) await database.stop().catch(() => {});
  rmSync(root, { recursive: true, force: true });
});

describe("supervision", () => {
  test("a server killed with SIGKILL is started again on its port; new connections work within 15 s and committed rows survive", async () => {
    const lines: string[] = [];
    const database = await start({ log: (line) => lines.push(line), supervise: { onGiveUp: (error) => lines.push(`GAVE UP ${error.message}`) } });
    await query(database.url, "INSERT INTO survivors VALUES (1, 'committed before the crash')");
    const killed = database.pid();
    expect(killed).not.toBeNull();

    process.kill(killed ?? 0, "SIGKILL");
    const killedAt = Date.now();
    // A fresh connection each time: a backend of the dead server may linger for a moment.
    let recovered: { id: number; note: string }[] | null = null;
    while (!recovered && Date.now() - killedAt < 15_000) {
      try {
        const [fresh] = await query<{ started: Date }>(database.url, "SELECT pg_postmaster_start_time() AS started");
        if (fresh && fresh.started.getTime() >= killedAt - 1_000) recovered = await query(database.url, "SELECT id, note FROM survivors");
      } catch {
        await sleep(100);
      }
    }
    const seconds = (Date.now() - killedAt) / 1000;
    expect(recovered, `not back after ${seconds} s; log:\n${lines.join("\n")}`).toEqual([{ id: 1, note: "committed before the crash" }]);
    expect(database.pid()).not.toBe(killed);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`PostgreSQL \\(pid ${killed}\\) stopped unexpectedly \\(killed by SIGKILL\\); restarting it`)));
    expect(lines).toContainEqual(expect.stringMatching(/is running again \(pid \d+, [\d.]+ s after it stopped\)/));
    expect(lines.some((line) => line.startsWith("GAVE UP"))).toBe(false);

    await database.stop();
    expect(processState(killed ?? 0)).not.toBe("running");
  });

  test("a server stopped from outside (a fast shutdown, as pg_ctl stop does) is started again too", async () => {
    const lines: string[] = [];
    const database = await start({ log: (line) => lines.push(line), supervise: { onGiveUp: (error) => lines.push(`GAVE UP ${error.message}`) } });
    const stopped = database.pid() ?? 0;
    process.kill(stopped, "SIGINT");
    const deadline = Date.now() + 15_000;
    while (!lines.some((line) => line.includes("is running again")) && Date.now() < deadline) await sleep(50);
    expect(lines[0]).toBe(`The embedded PostgreSQL (pid ${stopped}) stopped unexpectedly (exit code 0); restarting it.`);
    expect(await query(database.url, "SELECT count(*)::int AS n FROM survivors")).toEqual([{ n: 1 }]);
    await database.stop();
  });

  test("a server that cannot be started again: a bounded number of attempts, then onGiveUp with the reason", async () => {
    const lines: string[] = [];
    let gaveUp: Error | null = null;
    const database = await start({
      log: (line) => lines.push(line),
      supervise: { onGiveUp: (error) => (gaveUp = error), policy: { maxAttempts: 2, baseDelayMs: 500, maxDelayMs: 500 } },
    });
    const killed = database.pid() ?? 0;
    process.kill(killed, "SIGKILL");
    // Take its port before the first restart (500 ms later), so every restart fails.
    let blocker: Server | null = null;
    for (let tries = 0; !blocker && tries < 40; tries += 1) {
      blocker = await listen(database.port).catch(() => null);
      if (!blocker) await sleep(10);
    }
    expect(blocker).not.toBeNull();
    try {
      const deadline = Date.now() + 15_000;
      while (!gaveUp && Date.now() < deadline) await sleep(50);
      expect(gaveUp, lines.join("\n")).not.toBeNull();
      const error = gaveUp as unknown as Error;
      expect(error.message).toContain("could not be started again (2 attempts");
      expect(error.message).toContain(`port ${database.port} is already in use`);
      expect(lines.filter((line) => line.startsWith("Restart attempt"))).toEqual([
        `Restart attempt 1 of the embedded PostgreSQL failed: port ${database.port} is already in use.`,
        `Restart attempt 2 of the embedded PostgreSQL failed: port ${database.port} is already in use.`,
      ]);
      expect(database.pid()).toBeNull();
    } finally {
      blocker?.close();
      await database.stop();
    }
  });
});

describe("start-up", () => {
  test("a server orphaned by a killed process is stopped, and the same data folder starts again with its data", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/integration/harness/embedded-child.ts", dir, password], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 30_000;
    while (!output.includes("READY") && Date.now() < deadline) await sleep(50);
    const ready = JSON.parse(output.slice(output.indexOf("READY") + 6).split("\n")[0] ?? "{}") as { url: string; pid: number };
    await query(ready.url, "INSERT INTO survivors VALUES (2, 'written through the orphan')");

    child.kill("SIGKILL");
    await new Promise((done) => child.once("exit", done));
    expect(processState(ready.pid)).toBe("running"); // the orphan, holding the data folder

    const lines: string[] = [];
    const database = await start({ log: (line) => lines.push(line) });
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^Stopped PostgreSQL pid ${ready.pid} \\(port \\d+\\), left running in .* by an earlier run \\(fast shutdown, [\\d.]+ s\\)\\.$`)));
    expect(processState(ready.pid)).not.toBe("running");
    expect(await query(database.url, "SELECT id FROM survivors WHERE id = 2")).toEqual([{ id: 2 }]);
    await database.stop();
  });

  test("a stale postmaster.pid naming a live process that is not PostgreSQL does not block the start", async () => {
    const other = spawn("sleep", ["60"]);
    try {
      writeFileSync(join(dir, "postmaster.pid"), `${other.pid}\n${dir}\n1796425738\n5432\n/tmp\n127.0.0.1\n  2162872        39\nready   \n`);
      const lines: string[] = [];
      const database = await start({ log: (line) => lines.push(line) });
      expect(lines).toContainEqual(`Removed a stale postmaster.pid in ${dir} (pid ${other.pid} is not a PostgreSQL server).`);
      expect(await query(database.url, "SELECT count(*)::int AS n FROM survivors")).toEqual([{ n: 2 }]);
      await database.stop();
      expect(processState(other.pid ?? 0)).toBe("running");
    } finally {
      other.kill("SIGKILL");
    }
  });

  test("a port that is taken: the error names the port, with PostgreSQL's own line and a hint", async () => {
    const port = await freePort();
    const blocker = await listen(port);
    try {
      const failure = await start({ port }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(EmbeddedPostgresStartError);
      const message = (failure as Error).message;
      expect(message).toContain(`did not start: port ${port} is already in use.`);
      expect(message).toMatch(/could not bind IPv4 address "127\.0\.0\.1": Address already in use/);
      expect(message).toContain(`Hint: Another program listens on 127.0.0.1:${port}`);
    } finally {
      blocker.close();
    }
  });

  test("a data folder with the wrong permissions: the error says so and how to fix it", async () => {
    chmodSync(dir, 0o777);
    try {
      const failure = await start().then(
        () => null,
        (error: unknown) => error,
      );
      const message = (failure as Error).message;
      expect(message).toContain("did not start: the data folder has the wrong permissions.");
      expect(message).toContain(`data directory "${dir}" has invalid permissions`);
      expect(message).toContain(`chmod 700 ${dir}`);
    } finally {
      chmodSync(dir, 0o700);
    }
  });
});
