// Shared by the benchmarks: start the built app on a fresh data folder, describe the machine,
// and summarise latencies. Benchmarks are run by hand (`npm run bench:*`), never by `npm test`.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, createWriteStream, readdirSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import { join } from "node:path";
import pg from "pg";

export interface DemoFile {
  url: string;
  databaseUrl: string;
  agentKeys: Record<string, string>;
  ingestKey: string;
}

export interface RunningApp {
  url: string;
  demo: DemoFile;
  /** The app process and its data folder (for CPU time). */
  pid: number;
  dataDir: string;
  stop: () => Promise<void>;
}

/** `npm start`'s server (the production build) on a fresh embedded database with the demo org. */
export async function startApp(port: number, dataDir = ".data-bench"): Promise<RunningApp> {
  rmSync(dataDir, { recursive: true, force: true });
  const child: ChildProcess = spawn(process.execPath, ["scripts/ensure-build.mjs"], { stdio: "inherit" });
  await new Promise<void>((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`build failed (${code})`)))));
  // BENCH_NODE_ARGS: extra flags for the server's Node (e.g. V8 flags while investigating).
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const server = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "scripts/start.ts"], {
    // No per-key rate limit: the benchmark is the load, on purpose.
    env: { ...process.env, PORT: String(port), AGENTRY_DATA_DIR: dataDir, AGENTRY_DEMO: "on", NEXT_TELEMETRY_DISABLED: "1", AGENTRY_RATE_LIMIT_RPS: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the app did not start within 180 s")), 180_000);
    const logFile = process.env.BENCH_SERVER_LOG ? createWriteStream(process.env.BENCH_SERVER_LOG) : null;
    server.stdout?.on("data", (chunk: Buffer) => {
      logFile?.write(chunk);
      if (chunk.toString().includes("is listening on")) {
        clearTimeout(timer);
        resolve();
      }
    });
    server.on("exit", (code) => reject(new Error(`the app exited (${code})`)));
  });
  const demo = JSON.parse(readFileSync(join(dataDir, "demo.json"), "utf8")) as DemoFile;
  return {
    url: `http://localhost:${port}`,
    demo,
    pid: server.pid ?? 0,
    dataDir,
    stop: () =>
      new Promise<void>((resolve) => {
        server.once("exit", () => resolve());
        server.kill("SIGTERM");
      }),
  };
}

export async function describeMachine(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const version = (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]?.server_version ?? "?";
  await client.end();
  const cpus = os.cpus();
  return [
    `machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}`,
    `runtime: Node ${process.version}, PostgreSQL ${version} (embedded, same machine), app and load generator on the same cores`,
  ].join("\n");
}

/**
 * Settles the database before a measured phase, as pgbench vacuums before its run: a phase right
 * after a burst would otherwise pay, inside its own window, for the autovacuum and checkpoint the
 * burst made due (dead and unanalysed rows, dirty pages).
 */
export async function settleDatabase(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("VACUUM (ANALYZE)");
    await client.query("CHECKPOINT");
  } finally {
    await client.end();
  }
  // Its backend has exited and been reaped by the time the phase reads PostgreSQL's CPU time, so
  // the vacuum's cost is not counted against the phase.
  await sleep(1000);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function latencySummary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (value: number) => `${value.toFixed(1)} ms`;
  return `p50 ${f(percentile(sorted, 50))}, p95 ${f(percentile(sorted, 95))}, p99 ${f(percentile(sorted, 99))}, max ${f(sorted[sorted.length - 1] ?? Number.NaN)}`;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// --- a load generator on node:http ------------------------------------------------------------

export interface HttpAnswer {
  status: number;
  body: string;
  ms: number;
}

/**
 * A small keep-alive HTTP client: much cheaper per request than fetch, so the load generator
 * leaves the shared cores to the app and PostgreSQL. At most `connections` sockets at once.
 */
export function loadClient(baseUrl: string, connections: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const { hostname, port } = new URL(baseUrl);
  return {
    post(path: string, key: string, body: string): Promise<HttpAnswer> {
      const started = performance.now();
      return new Promise((resolve, reject) => {
        const request = http.request(
          { agent, hostname, port, path, method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - started }));
            response.on("error", reject);
          },
        );
        request.on("error", reject);
        request.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

// --- CPU time, from /proc ---------------------------------------------------------------------

const TICKS_PER_SECOND = 100;

/** CPU time of a process; with `reapedChildren`, also of its children that ended (their time stays counted). */
function processCpuMs(pid: number, reapedChildren = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after "(comm) ": state is [0]; utime [11], stime [12], cutime [13], cstime [14].
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const own = Number(fields[11]) + Number(fields[12]);
    const reaped = reapedChildren ? Number(fields[13]) + Number(fields[14]) : 0;
    return ((own + reaped) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return 0;
  }
}

/** The bench's own PostgreSQL: its postmaster (from the data folder) and every backend it forked. */
function postgresCpuMs(dataDir: string): number {
  let postmaster: number;
  try {
    postmaster = Number(readFileSync(join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    return 0;
  }
  // Backends come and go (a pool reconnecting, autovacuum workers): the ended ones count through the postmaster.
  let total = processCpuMs(postmaster, true);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    if (parentOf(Number(entry)) === postmaster) total += processCpuMs(Number(entry));
  }
  return total;
}

/** CPU time used so far by the app, by its PostgreSQL and by this load generator (ms). */
export function cpuSnapshot(app: Pick<RunningApp, "pid" | "dataDir">): { app: number; postgres: number; load: number } {
  return { app: processCpuMs(app.pid), postgres: postgresCpuMs(app.dataDir), load: processCpuMs(process.pid) };
}

/** CPU per unit of work between two snapshots: what the work costs, whatever else shares the cores. */
export function cpuPer(before: ReturnType<typeof cpuSnapshot>, after: ReturnType<typeof cpuSnapshot>, units: number, unit: string): string {
  const per = (ms: number) => ((ms / Math.max(1, units)) * 1000).toFixed(0);
  return `CPU per ${unit}: app ${per(after.app - before.app)} µs, PostgreSQL ${per(after.postgres - before.postgres)} µs, load generator ${per(after.load - before.load)} µs`;
}

// --- decisions as load -------------------------------------------------------------------------

/** Demo agents and a tool each is registered with (allowed by the seed's "registered tools" policy). */
export const DECIDE_CALLERS: [agent: string, tool: string][] = [
  ["ticket-router", "ticket_assign"],
  ["content-writer", "web_search"],
  ["reconciliation-agent", "ledger_query"],
  ["financial-analyst", "erp_query"],
  ["seo-optimizer", "crawl_site"],
  ["kb-summarizer", "kb_search"],
  ["access-reviewer", "idp_list_groups"],
  ["invoice-extractor", "ocr_document"],
];

let decideSequence = 0;

/**
 * A tool decision reserving $0.0005. Real agents call a tool with different arguments each time;
 * the same call over and over is what loop detection (rightly) stops.
 */
export function decideBody(tool: string): string {
  return JSON.stringify({ action: { type: "tool", name: tool, arguments: { query: `status of order ${++decideSequence}` } }, estimatedCostUsd: "0.0005" });
}

export interface DecideTally {
  /** Latencies of allowed answers: the answers measured. */
  allowed: number[];
  others: Record<string, number>;
  failures: number;
}

export async function decideOnce(client: ReturnType<typeof loadClient>, key: string, tool: string, tally: DecideTally): Promise<void> {
  try {
    const answer = await client.post("/api/v1/decide", key, decideBody(tool));
    const decision = answer.status === 200 ? (JSON.parse(answer.body) as { decision?: string }).decision : undefined;
    if (decision === "allow") tally.allowed.push(answer.ms);
    else if (decision) tally.others[decision] = (tally.others[decision] ?? 0) + 1;
    else tally.failures += 1;
  } catch {
    tally.failures += 1;
  }
}

/** Decisions at `rate` per second (open loop) from the demo agents, until stopped. */
export function backgroundDecisions(baseUrl: string, demo: DemoFile, rate: number): { stop: () => Promise<DecideTally & { seconds: number }> } {
  const tally: DecideTally = { allowed: [], others: {}, failures: 0 };
  const client = loadClient(baseUrl, 256);
  const interval = 1000 / rate;
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  const started = performance.now();
  const running = (async () => {
    for (let i = 0; !stopped; i += 1) {
      const wait = started + i * interval - performance.now();
      if (wait > 1) await sleep(wait);
      const [agent, tool] = DECIDE_CALLERS[i % DECIDE_CALLERS.length] ?? ["", ""];
      const call = decideOnce(client, demo.agentKeys[agent] ?? "", tool, tally);
      inFlight.add(call);
      void call.finally(() => inFlight.delete(call));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await running;
      await Promise.all(inFlight);
      client.close();
      return { ...tally, seconds: (performance.now() - started) / 1000 };
    },
  };
}

// --- machine-readable results (for `npm run bench`, bench/run.ts) ------------------------------

export interface BenchFigure {
  /** What was measured, e.g. "closed loop, batches of 1000: accepted". */
  measure: string;
  /** The figure with its unit, e.g. "26,917 events/s". */
  figure: string;
  /** The aim it is held against, with its unit, or null when there is none. */
  aim: string | null;
  /** Whether the aim was met (null: no aim, or it could not be judged). */
  met: boolean | null;
}

export interface BenchResult {
  bench: string;
  figures: BenchFigure[];
}

/**
 * A benchmark's figures, for machines: one line `RESULT {json}` on stdout, and the same JSON
 * appended as a line to the file named by BENCH_RESULTS_FILE when it is set (bench/run.ts sets it).
 */
export function benchResult(bench: string, figures: BenchFigure[]): void {
  const line = JSON.stringify({ bench, figures } satisfies BenchResult);
  console.log(`RESULT ${line}`);
  if (process.env.BENCH_RESULTS_FILE) appendFileSync(process.env.BENCH_RESULTS_FILE, `${line}\n`);
}
