// `npm run bench`: every benchmark, one after the other, then one table of their figures
// (benchmark, measure, figure, aim, met?). Each bench runs as its own process, as `npm run
// bench:<name>` would run it, with its output shown as it goes; it reports its figures as a JSON
// line in the file named by BENCH_RESULTS_FILE (bench/lib.ts, benchResult), which this runner
// reads. A bench that fails or reports nothing shows as such in the table; the run exits non-zero
// then. Aims that are not met are figures, not failures.
//
//   npm run bench                          every bench; the soak for 1 minute; the dashboard on 1,000,000 events
//   npm run bench -- --soak-minutes 10     a longer soak (--no-soak skips it)
//   npm run bench -- --full                the dashboard on its full 10,000,000 events (about 15 minutes to load)
//   npm run bench -- --only decide,policy  some of them (names as in the table)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { BenchResult } from "./lib";

const { values: args } = parseArgs({
  options: {
    "soak-minutes": { type: "string", default: "1" },
    "no-soak": { type: "boolean", default: false },
    full: { type: "boolean", default: false },
    only: { type: "string" },
  },
});

interface Bench {
  name: string;
  script: string;
  args: string[];
  /** Why it is run with these arguments (shown before it runs). */
  note: string;
}

const BENCHES: Bench[] = [
  { name: "decide", script: "bench/decide.ts", args: ["--seconds", "10", "--rate", "1000"], note: "10 s per phase; the open loop at 1,000 decisions/s, the rate its aim is stated for" },
  { name: "ingest", script: "bench/ingest.ts", args: ["--seconds", "10"], note: "10 s per phase" },
  { name: "kill", script: "bench/kill.ts", args: [], note: "500 streams, as the bench's defaults" },
  { name: "policy", script: "bench/policy-eval.ts", args: [], note: "200 policies, as the bench's defaults" },
  {
    name: "dashboard",
    script: "bench/dashboard.ts",
    args: args.full ? [] : ["--events", "1000000", "--runs", "10"],
    note: args.full ? "10,000,000 events, 30 runs (the bench's defaults)" : "1,000,000 events and 10 runs (--full: the bench's 10,000,000)",
  },
  { name: "org-keys", script: "bench/org-keys.ts", args: ["--rows", "50000", "--rounds", "3"], note: "50,000 rows per variant, 3 rounds" },
  { name: "soak", script: "bench/soak.ts", args: ["--minutes", String(Number(args["soak-minutes"]))], note: `${Number(args["soak-minutes"])} min of the demo fleet's traffic` },
];

const only = args.only ? new Set(args.only.split(",").map((name) => name.trim())) : null;
if (only) {
  const unknown = [...only].filter((name) => !BENCHES.some((bench) => bench.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark(s): ${unknown.join(", ")}; there are ${BENCHES.map((bench) => bench.name).join(", ")}.`);
    process.exit(2);
  }
}
const chosen = BENCHES.filter((bench) => (only ? only.has(bench.name) : !(bench.name === "soak" && args["no-soak"])));
if (!Number.isFinite(Number(args["soak-minutes"])) || Number(args["soak-minutes"]) <= 0) {
  console.error(`--soak-minutes must be a positive number, got "${args["soak-minutes"]}"`);
  process.exit(2);
}

const resultsDir = mkdtempSync(join(tmpdir(), "agentry-bench-"));
const resultsFile = join(resultsDir, "results.jsonl");

interface Outcome {
  bench: Bench;
  exitCode: number | null;
  seconds: number;
}
const outcomes: Outcome[] = [];
for (const bench of chosen) {
  console.log(`\n━━ ${bench.name}: ${bench.note} ━━`);
  const started = Date.now();
  const run = spawnSync(process.execPath, ["--import", "tsx", bench.script, ...bench.args], { stdio: "inherit", env: { ...process.env, BENCH_RESULTS_FILE: resultsFile } });
  outcomes.push({ bench, exitCode: run.status, seconds: (Date.now() - started) / 1000 });
}

let reported: BenchResult[] = [];
try {
  reported = readFileSync(resultsFile, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as BenchResult);
} catch {
  // No bench reported anything: every row below says so.
}
rmSync(resultsDir, { recursive: true, force: true });

// ---- the table --------------------------------------------------------------------------------

type Row = [benchmark: string, measure: string, figure: string, aim: string, met: string];
const rows: Row[] = [];
let broken = 0;
for (const { bench, exitCode, seconds } of outcomes) {
  const results = reported.filter((result) => result.bench === bench.name);
  for (const result of results) {
    for (const figure of result.figures) rows.push([bench.name, figure.measure, figure.figure, figure.aim ?? "—", figure.met === null ? "—" : figure.met ? "yes" : "NO"]);
  }
  if (results.length === 0) {
    broken += 1;
    rows.push([bench.name, "(no figures reported)", `exited with ${exitCode ?? "a signal"} after ${seconds.toFixed(0)} s`, "—", "—"]);
  } else if (exitCode !== 0) {
    broken += 1;
    rows.push([bench.name, "the bench's own checks", `failed (exit code ${exitCode ?? "signal"})`, "exit code 0", "NO"]);
  }
}

const header: Row = ["benchmark", "measure", "figure", "aim", "met?"];
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
const line = (row: Row) => `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
const cpus = os.cpus();
console.log(`\n━━ results ━━`);
console.log(
  `machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}; load average at the end ${os
    .loadavg()
    .map((load) => load.toFixed(1))
    .join(" ")}`,
);
console.log(`ran: ${outcomes.map(({ bench, seconds }) => `${bench.name} ${seconds.toFixed(0)} s`).join(", ")}\n`);
console.log(line(header));
console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
for (const row of rows) console.log(line(row));
if (broken > 0) {
  console.log(`\n${broken} benchmark(s) did not complete cleanly: see their output above.`);
  process.exitCode = 1;
}
