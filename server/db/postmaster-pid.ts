// The lock a PostgreSQL server holds on its data folder (`postmaster.pid`), read so that start-up
// can tell an orphan (a server left running when the app that started it was killed) from a
// stale file, and stop the orphan cleanly instead of failing on the lock.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readlinkSync, realpathSync, rmSync } from "node:fs";
import { basename, join, resolve } from "node:path";

export interface PostmasterLock {
  pid: number;
  /** The data folder as the server saw it. */
  dataDir: string | null;
  port: number | null;
}

/** postmaster.pid: line 1 the pid, line 2 the data folder, line 4 the port (PostgreSQL's pidfile.h). */
export function parsePostmasterPid(text: string): PostmasterLock | null {
  const lines = text.split("\n");
  const pid = Number(lines[0]?.trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const port = Number(lines[3]?.trim());
  return { pid, dataDir: lines[1]?.trim() || null, port: Number.isInteger(port) && port > 0 ? port : null };
}

export function readPostmasterLock(dir: string): PostmasterLock | null {
  const file = join(dir, "postmaster.pid");
  if (!existsSync(file)) return null;
  try {
    return parsePostmasterPid(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

export type ProcessState = "running" | "zombie" | "gone";

/** Whether `pid` runs. A zombie (dead, not yet reaped) is not running, though signals still "reach" it. */
export function processState(pid: number): ProcessState {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "<pid> (<comm>) <state> …": the command may hold spaces and parentheses, the state follows the last ")".
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state === "Z" || state === "X" ? "zombie" : "running";
  } catch {
    // No /proc (macOS) or no such process: ask the kernel.
    try {
      process.kill(pid, 0);
      return "running";
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "EPERM" ? "running" : "gone";
    }
  }
}

/** The process's arguments and working folder, or null when they cannot be read. */
function processCommand(pid: number): { argv: string[]; cwd: string | null } | null {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    let cwd: string | null = null;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      cwd = null;
    }
    return { argv, cwd };
  } catch {
    try {
      const command = execFileSync("ps", ["-o", "command=", "-p", String(pid)], { encoding: "utf8" }).trim();
      return command ? { argv: command.split(/\s+/), cwd: null } : null;
    } catch {
      return null;
    }
  }
}

function samePath(a: string, b: string): boolean {
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  return real(a) === real(b);
}

/** True when `pid` is a PostgreSQL server (postmaster) started on data folder `dir`. */
export function isPostmasterOf(pid: number, dir: string): boolean {
  const command = processCommand(pid);
  if (!command || command.argv.length === 0) return false;
  if (basename(command.argv[0] ?? "") !== "postgres") return false;
  const flag = command.argv.indexOf("-D");
  const dataDir = flag >= 0 ? command.argv[flag + 1] : undefined;
  // Without -D the server took PGDATA, which we cannot see: the lock file naming it is enough.
  if (!dataDir) return true;
  return samePath(resolve(command.cwd ?? process.cwd(), dataDir), dir);
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (processState(pid) !== "running") return true;
    await sleep(50);
  }
  return processState(pid) !== "running";
}

/**
 * Stops a PostgreSQL server that is not our child: fast shutdown (SIGINT: open transactions roll
 * back, a checkpoint is written), then immediate shutdown (SIGQUIT: crash recovery on the next
 * start), then SIGKILL. Returns the signal that ended it.
 */
export async function stopPostmaster(pid: number, options: { fastMs?: number; immediateMs?: number } = {}): Promise<NodeJS.Signals> {
  const steps: [NodeJS.Signals, number][] = [
    ["SIGINT", options.fastMs ?? 15_000],
    ["SIGQUIT", options.immediateMs ?? 5_000],
    ["SIGKILL", 5_000],
  ];
  for (const [signal, waitMs] of steps) {
    try {
      process.kill(pid, signal);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ESRCH") return signal;
      if (code === "EPERM") throw new Error(`PostgreSQL pid ${pid} belongs to another user; this user cannot stop it`);
      throw error;
    }
    if (await waitUntilGone(pid, waitMs)) return signal;
  }
  throw new Error(`PostgreSQL pid ${pid} did not stop, even after SIGKILL`);
}

export type FolderRelease =
  | { state: "free" }
  /** postmaster.pid named a process that is gone: PostgreSQL replaces such a file itself. */
  | { state: "stale"; pid: number; removed: boolean }
  | { state: "stopped_orphan"; pid: number; port: number | null; signal: NodeJS.Signals; ms: number };

/**
 * Makes the data folder `dir` free for a new server: an orphaned server of this folder is
 * stopped; a lock file whose pid now belongs to a zombie or to some other program is removed
 * (PostgreSQL would refuse to start, taking that process for a server).
 */
export async function releaseDataFolder(dir: string): Promise<FolderRelease> {
  const lock = readPostmasterLock(dir);
  if (!lock) return { state: "free" };
  const state = processState(lock.pid);
  if (state === "gone") return { state: "stale", pid: lock.pid, removed: false };
  if (state === "running" && isPostmasterOf(lock.pid, dir)) {
    const started = Date.now();
    const signal = await stopPostmaster(lock.pid);
    return { state: "stopped_orphan", pid: lock.pid, port: lock.port, signal, ms: Date.now() - started };
  }
  rmSync(join(dir, "postmaster.pid"), { force: true });
  return { state: "stale", pid: lock.pid, removed: true };
}

/** One line for the start-up log about what `releaseDataFolder` did, or null when there was nothing to do. */
export function describeRelease(release: FolderRelease, dir: string): string | null {
  switch (release.state) {
    case "free":
      return null;
    case "stale":
      return release.removed
        ? `Removed a stale postmaster.pid in ${dir} (pid ${release.pid} is not a PostgreSQL server).`
        : `Found a stale postmaster.pid in ${dir} (pid ${release.pid} is not running); PostgreSQL replaces it.`;
    case "stopped_orphan": {
      const how = release.signal === "SIGINT" ? "fast shutdown" : release.signal === "SIGQUIT" ? "immediate shutdown" : "killed";
      return `Stopped PostgreSQL pid ${release.pid}${release.port ? ` (port ${release.port})` : ""}, left running in ${dir} by an earlier run (${how}, ${(release.ms / 1000).toFixed(1)} s).`;
    }
  }
}
