// Shared by the benchmarks: start the built app on a fresh data folder, describe the machine,
// and summarise latencies. Benchmarks are run by hand (`npm run bench:*`), never by `npm test`.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync, rmSync } from "node:fs";
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
  stop: () => Promise<void>;
}

/** `npm start`'s server (the production build) on a fresh embedded database with the demo org. */
export async function startApp(port: number, dataDir = ".data-bench"): Promise<RunningApp> {
  rmSync(dataDir, { recursive: true, force: true });
  const child: ChildProcess = spawn(process.execPath, ["scripts/ensure-build.mjs"], { stdio: "inherit" });
  await new Promise<void>((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`build failed (${code})`)))));
  // BENCH_NODE_ARGS: extra flags for the server's Node (e.g. V8 flags while investigating).
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  // --no-turbo-inlining, as `npm start` runs the app: without it Node 20's V8 crashed under decide load (README, "Running in production").
  // BENCH_TURBO_INLINING=on measures without the flag (to see what it costs).
  const v8Flags = process.env.BENCH_TURBO_INLINING === "on" ? [] : ["--no-turbo-inlining"];
  const server = spawn(process.execPath, [...v8Flags, ...nodeArgs, "--import", "tsx", "scripts/start.ts"], {
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
