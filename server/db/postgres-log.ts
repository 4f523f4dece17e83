// PostgreSQL's own messages from the embedded server: kept in a ring so that a failed start or a
// crash can say why, and read for the known causes of a failed start (port taken, data folder
// locked, permissions, disk full) so the message names the cause and what to do about it.

/** The last `capacity` lines written by PostgreSQL (and initdb), oldest first. */
export class LogRing {
  private readonly lines: string[] = [];
  private partial = "";
  /** Lines ever completed; `since(mark)` uses it to find the lines of one attempt. */
  private written = 0;

  constructor(readonly capacity = 200) {}

  /** Adds a chunk of output, which may hold several lines or end in the middle of one. */
  push(chunk: string): void {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? "";
    for (const line of parts) {
      if (line.trim() === "") continue;
      this.lines.push(line);
      this.written += 1;
      if (this.lines.length > this.capacity) this.lines.shift();
    }
  }

  /** A position to pass to `since`. */
  mark(): number {
    return this.written;
  }

  /** Lines completed after `mark` (as many as the ring still holds), with any unfinished line. */
  since(mark: number): string[] {
    const count = Math.max(0, this.written - mark);
    const kept = count === 0 ? [] : this.lines.slice(-Math.min(count, this.lines.length));
    return this.partial.trim() ? [...kept, this.partial] : kept;
  }

  /** The last `count` lines, with any unfinished line. */
  tail(count = 20): string[] {
    const all = this.partial.trim() ? [...this.lines, this.partial] : this.lines;
    return all.slice(-count);
  }
}

export interface StartDiagnosis {
  /** What went wrong, in a few words: "port 5432 is already in use". */
  cause: string;
  /** What to do about it. */
  hint: string;
  /** True when the cause may clear by itself in a moment (an old server still shutting down). */
  transient: boolean;
}

interface Rule {
  pattern: RegExp;
  diagnose: (match: RegExpMatchArray, context: { port: number; dir: string }) => StartDiagnosis;
}

// Most specific first: PostgreSQL often follows its real reason with a generic line.
const RULES: Rule[] = [
  {
    pattern: /Is another postmaster \(PID (\d+)\) running in data directory/,
    diagnose: (match, { dir }) => ({
      cause: `the data folder is locked by PostgreSQL pid ${match[1]}`,
      hint: `Another PostgreSQL (pid ${match[1]}) runs in ${dir}: stop it (kill -INT ${match[1]}) or give Agentry another AGENTRY_DATA_DIR.`,
      transient: true,
    }),
  },
  {
    pattern: /lock file "postmaster\.pid" already exists/,
    diagnose: (_match, { dir }) => ({
      cause: "the data folder is locked by another PostgreSQL",
      hint: `Stop the PostgreSQL that runs in ${dir}, or give Agentry another AGENTRY_DATA_DIR.`,
      transient: true,
    }),
  },
  {
    pattern: /pre-existing shared memory block .* is still in use/,
    diagnose: (_match, { dir }) => ({
      cause: "processes of an earlier PostgreSQL still hold its shared memory",
      hint: `Wait a moment, or end the old "postgres" processes of ${dir}.`,
      transient: true,
    }),
  },
  {
    pattern: /could not bind .* address .*: Address already in use/,
    diagnose: (_match, { port }) => ({
      cause: `port ${port} is already in use`,
      hint: `Another program listens on 127.0.0.1:${port}; stop it, or let Agentry choose a free port.`,
      transient: true,
    }),
  },
  {
    pattern: /No space left on device/,
    diagnose: (_match, { dir }) => ({
      cause: "the disk is full",
      hint: `Free space on the disk that holds ${dir}.`,
      transient: false,
    }),
  },
  {
    pattern: /data directory ".*" has invalid permissions/,
    diagnose: (_match, { dir }) => ({
      cause: "the data folder has the wrong permissions",
      hint: `PostgreSQL needs ${dir} to be readable only by its owner: chmod 700 ${dir}.`,
      transient: false,
    }),
  },
  {
    pattern: /data directory ".*" has wrong ownership/,
    diagnose: (_match, { dir }) => ({
      cause: "the data folder belongs to another user",
      hint: `${dir} must belong to the user PostgreSQL runs as (as root: "postgres"); chown -R it, or use another AGENTRY_DATA_DIR.`,
      transient: false,
    }),
  },
  {
    pattern: /Permission denied/,
    diagnose: (_match, { dir }) => ({
      cause: "permission denied",
      hint: `The user PostgreSQL runs as (as root: "postgres") must be able to read and write ${dir}; check its owner and mode and those of the folders above it.`,
      transient: false,
    }),
  },
  {
    pattern: /database files are incompatible with server/,
    diagnose: (_match, { dir }) => ({
      cause: "the data folder was made by another PostgreSQL major version",
      hint: `Dump and restore it with the PostgreSQL that made it, or move ${dir} aside to start afresh.`,
      transient: false,
    }),
  },
  {
    pattern: /could not (?:create shared memory segment|map anonymous shared memory)|out of memory/i,
    diagnose: () => ({
      cause: "not enough memory for PostgreSQL",
      hint: "Free memory on this machine, or lower max_connections.",
      transient: false,
    }),
  },
];

/** The known reason in PostgreSQL's own lines for a start that failed, or null when none matches. */
export function diagnoseStartFailure(lines: readonly string[], context: { port: number; dir: string }): StartDiagnosis | null {
  for (const rule of RULES) {
    for (const line of lines) {
      const match = line.match(rule.pattern);
      if (match) return rule.diagnose(match, context);
    }
  }
  return null;
}

/** PostgreSQL's last FATAL or PANIC line, or null. */
export function lastFatal(lines: readonly string[]): string | null {
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const line = lines[index] ?? "";
    if (/\b(FATAL|PANIC):/.test(line)) return line.trim();
  }
  return null;
}

/** The most telling line of PostgreSQL's output: its last FATAL or PANIC, else its last line. */
export function lastComplaint(lines: readonly string[]): string | null {
  return lastFatal(lines) ?? lines.at(-1)?.trim() ?? null;
}

/** A thrown value as a sentence: never "undefined". */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (error === undefined || error === null) return "no reason given";
  if (typeof error === "string") return error || "no reason given";
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
