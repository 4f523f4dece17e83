// The real app as a child process, for tests that need what only a process has: its own pools
// and in-memory state, a port, a death by SIGKILL, a restart. It runs what `npm start` runs
// (`node --import tsx scripts/start.ts`, the production build in .next) with the project's Node
// (node_modules/.bin, as npm scripts get it), on a given PORT, with either a DATABASE_URL (the
// integration run's database: two apps on one database are two calls to startApps) or its own
// data folder with an embedded PostgreSQL.
//
// Inside Vitest every app a test file started is stopped after that file (afterAll); anything
// left when the worker exits is killed. Outside Vitest (bench/soak.ts) call stop() yourself.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { embeddedDatabaseUrl, freePort } from "../../../server/db/embedded";
import { processState, readPostmasterLock, releaseDataFolder } from "../../../server/db/postmaster-pid";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface AppProcessOptions {
  /** Where it listens (default: a free port, kept across restarts). */
  port?: number;
  /** The database to use. Omitted: an embedded PostgreSQL in the data folder. */
  databaseUrl?: string;
  /** The data folder (default: a fresh temporary one, deleted when the app is stopped). */
  dataDir?: string;
  /** AGENTRY_DEMO (default off). */
  demo?: boolean;
  /** AUTH_SECRET (default: one secret shared by every app this module starts, so sessions work on all of them). */
  authSecret?: string;
  /** More environment for the app; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Extra Node flags, before the script. */
  nodeArgs?: string[];
  /** How long start() waits for the app to answer (default 120 s). */
  readyTimeoutMs?: number;
  /** Receives what the app sends over an IPC channel (opened only when given). */
  onMessage?: (message: unknown) => void;
}

export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface DemoFile {
  url: string;
  databaseUrl: string;
  users: { email: string; password: string; role: string; teams: string[] }[];
  agentKeys: Record<string, string>;
  ingestKey: string | null;
}

const SHARED_AUTH_SECRET = randomBytes(32).toString("base64url");
const NODE = existsSync(join(REPO_ROOT, "node_modules", ".bin", "node")) ? join(REPO_ROOT, "node_modules", ".bin", "node") : process.execPath;
/** The path the app must answer before it counts as started: served by the agent API itself. */
const READY_PATH = "/api/v1/openapi.json";
const live = new Set<AppProcess>();

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export class AppProcess {
  readonly port: number;
  readonly url: string;
  readonly dataDir: string;
  private readonly ownsDataDir: boolean;
  private child: ChildProcess | null = null;
  private exit: Promise<AppExit> | null = null;
  private out = "";
  private err = "";
  /** Where the current run's output starts in stdout/stderr. */
  private runStart = { out: 0, err: 0 };

  constructor(
    private readonly options: AppProcessOptions,
    port: number,
  ) {
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.ownsDataDir = !options.dataDir;
    this.dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "agentry-app-"));
    // As root the embedded PostgreSQL runs as `postgres`, which must be able to enter the folder.
    if (this.ownsDataDir) chmodSync(this.dataDir, 0o755);
  }

  /** Everything the app wrote to stdout, over all its runs. */
  get stdout(): string {
    return this.out;
  }

  get stderr(): string {
    return this.err;
  }

  /** The current run's output, stdout then stderr. */
  get runOutput(): string {
    return `${this.out.slice(this.runStart.out)}${this.err.slice(this.runStart.err)}`;
  }

  /** The app's process id while it runs. */
  get pid(): number | null {
    return this.running ? (this.child?.pid ?? null) : null;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when the current run ends (at once when none runs). */
  exited(): Promise<AppExit> {
    return this.exit ?? Promise.resolve({ code: null, signal: null });
  }

  /** demo.json of its data folder (demo mode). */
  demoFile(): DemoFile {
    return JSON.parse(readFileSync(join(this.dataDir, "demo.json"), "utf8")) as DemoFile;
  }

  /** The embedded PostgreSQL's server process, from the lock it holds on the data folder. */
  databasePid(): number | null {
    const lock = readPostmasterLock(join(this.dataDir, "pg"));
    return lock && processState(lock.pid) === "running" ? lock.pid : null;
  }

  /**
   * The URL of the app's embedded database (no DATABASE_URL given), for a test's own checks:
   * the password from the data folder's secrets, the port from the server's lock file.
   */
  embeddedDatabaseUrl(): string {
    const lock = readPostmasterLock(join(this.dataDir, "pg"));
    if (!lock?.port) throw new Error(`No embedded PostgreSQL runs in ${this.dataDir}`);
    const secrets = JSON.parse(readFileSync(join(this.dataDir, "secrets.json"), "utf8")) as { postgresPassword: string };
    return embeddedDatabaseUrl(secrets.postgresPassword, lock.port);
  }

  /** Starts the app and resolves once it answers HTTP; rejects (with its output) if it exits or never answers. */
  async start(): Promise<this> {
    if (this.running) throw new Error(`the app on port ${this.port} is already running`);
    if (!existsSync(join(REPO_ROOT, ".next", "BUILD_ID"))) {
      throw new Error("The app-process harness runs the production build: run `npm run build` first (npm test builds before the integration tests).");
    }
    const env: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
    // Only what this app is told: not the test worker's own DATABASE_URL or data folder, and not
    // Vitest's markers (the app would believe it runs inside Vitest).
    delete env.DATABASE_URL;
    delete env.AGENTRY_DATA_DIR;
    for (const key of Object.keys(env)) if (key.startsWith("VITEST")) delete env[key];
    Object.assign(env, {
      PATH: `${join(REPO_ROOT, "node_modules", ".bin")}:${process.env.PATH ?? ""}`,
      PORT: String(this.port),
      AGENTRY_DATA_DIR: this.dataDir,
      AGENTRY_DEMO: this.options.demo ? "on" : "off",
      AUTH_SECRET: this.options.authSecret ?? SHARED_AUTH_SECRET,
      NEXT_TELEMETRY_DISABLED: "1",
      FORCE_COLOR: "0",
    });
    if (this.options.databaseUrl) env.DATABASE_URL = this.options.databaseUrl;
    for (const [key, value] of Object.entries(this.options.env ?? {})) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }

    this.runStart = { out: this.out.length, err: this.err.length };
    // As `npm start` runs it.
    const child: ChildProcess = spawn(NODE, [...(this.options.nodeArgs ?? []), "--import", "tsx", "scripts/start.ts"], {
      cwd: REPO_ROOT,
      env: env as NodeJS.ProcessEnv,
      stdio: this.options.onMessage ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    live.add(this);
    child.stdout?.on("data", (chunk: Buffer) => (this.out += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (this.err += chunk.toString()));
    if (this.options.onMessage) child.on("message", this.options.onMessage);
    this.exit = new Promise<AppExit>((resolve) => {
      child.once("exit", (code, signal) => resolve({ code, signal }));
      child.once("error", () => resolve({ code: null, signal: null }));
    });

    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 120_000);
    let exitedEarly: AppExit | null = null;
    void this.exit.then((exit) => (exitedEarly = exit));
    while (Date.now() < deadline) {
      if (exitedEarly) {
        const { code, signal } = exitedEarly as AppExit;
        throw new Error(`The app on port ${this.port} exited while starting (code ${code}, signal ${signal}):\n${this.runOutput.slice(-4000)}`);
      }
      if (await this.answers()) return this;
      await sleep(100);
    }
    await this.kill("SIGKILL");
    throw new Error(`The app on port ${this.port} did not answer within ${(this.options.readyTimeoutMs ?? 120_000) / 1000} s:\n${this.runOutput.slice(-4000)}`);
  }

  private async answers(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}${READY_PATH}`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  }

  /**
   * Sends `signal` and waits for the process to end. A SIGTERM/SIGINT that is not obeyed within
   * `graceMs` becomes a SIGKILL. SIGKILL leaves an embedded PostgreSQL running: an orphan, as after a crash.
   */
  async kill(signal: NodeJS.Signals = "SIGTERM", graceMs = 20_000): Promise<AppExit> {
    const child = this.child;
    if (!child || !this.running) return this.exited();
    child.kill(signal);
    const timer = signal === "SIGKILL" ? null : setTimeout(() => child.kill("SIGKILL"), graceMs);
    const exit = await this.exited();
    if (timer) clearTimeout(timer);
    return exit;
  }

  /** Stops the app (SIGTERM, or `signal`) if it runs, and starts it again on the same port and data folder. */
  async restart(signal: NodeJS.Signals = "SIGTERM"): Promise<this> {
    await this.kill(signal);
    return this.start();
  }

  /** Stops the app and any embedded PostgreSQL it left behind; deletes the data folder if this harness made it. */
  async stop(): Promise<void> {
    await this.kill("SIGTERM");
    live.delete(this);
    if (existsSync(join(this.dataDir, "pg"))) await releaseDataFolder(join(this.dataDir, "pg")).catch(() => {});
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Waits until the app's output (since it last started, or all of it) matches `pattern`. */
  async waitForOutput(pattern: RegExp, options: { timeoutMs?: number; allRuns?: boolean } = {}): Promise<RegExpMatchArray> {
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    for (;;) {
      const text = options.allRuns ? `${this.out}${this.err}` : this.runOutput;
      const match = text.match(pattern);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`The app's output did not match ${pattern} within ${(options.timeoutMs ?? 30_000) / 1000} s:\n${text.slice(-4000)}`);
      await sleep(50);
    }
  }
}

/** Starts one app and waits until it answers. */
export async function startApp(options: AppProcessOptions = {}): Promise<AppProcess> {
  const app = new AppProcess(options, options.port ?? (await freePort()));
  try {
    return await app.start();
  } catch (error) {
    await app.stop();
    throw error;
  }
}

/** Starts `count` apps at once on one database (each on its own port and data folder), e.g. for two-process tests. */
export async function startApps(count: number, options: AppProcessOptions & { databaseUrl: string }): Promise<AppProcess[]> {
  const shared = { ...options, port: undefined };
  const started = await Promise.allSettled(Array.from({ length: count }, () => startApp(shared)));
  const apps = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed) {
    await Promise.all(apps.map((app) => app.stop()));
    throw failed.reason;
  }
  return apps;
}

/** Stops every app this module started (Vitest calls it after each test file). */
export async function stopAllApps(): Promise<void> {
  await Promise.all([...live].map((app) => app.stop()));
}

// Last resort when the worker exits with apps still running: no waiting is possible here.
process.once("exit", () => {
  for (const app of live) {
    const pid = app.pid;
    if (pid) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    const database = app.databasePid();
    if (database) {
      try {
        process.kill(database, "SIGQUIT");
      } catch {
        // already gone
      }
    }
  }
});

if (process.env.VITEST) {
  const { afterAll } = await import("vitest");
  afterAll(stopAllApps);
}
