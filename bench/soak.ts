// bench/soak: the app under the simulator's kind of traffic at a steady rate for N minutes,
// with its memory sampled. `npm run bench:soak -- --minutes 10` starts the built app on a fresh
// data folder with the demo org; the demo fleet reports events through the SDK (agent keys and
// the org ingest key, paced as `npm run simulate` paces them), heartbeats from every instance,
// follows its directives over Server-Sent Events, and asks `decide` at a steady rate. The app
// sends its RSS and heap (after a forced GC) every few seconds. Prints the machine, the rates,
// error counts and memory min/max/growth/slope; exits non-zero if any request failed or was
// retried, or if memory grew beyond the bounds (printed with the figures).
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { AgentryClient } from "../sdk";
import { createRng } from "../scripts/simulate/prng";
import { scenarioFleet } from "../scripts/simulate/scenarios";
import { eventCostUsd, nextTask, SpendPacer, type FleetMember } from "../scripts/simulate/traffic";
import { startApp } from "../test/integration/harness/app-process";
import { benchResult, describeMachine, sleep } from "./lib";

const { values: args } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    rate: { type: "string", default: "100" },
    "decide-rate": { type: "string", default: "5" },
    "sample-seconds": { type: "string", default: "5" },
    "warmup-minutes": { type: "string" },
    "max-heap-growth-mb": { type: "string", default: "16" },
    "max-rss-growth-mb": { type: "string", default: "64" },
    seed: { type: "string", default: "20261204" },
  },
});

function positive(name: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    console.error(`--${name} must be a positive number, got "${value}"`);
    process.exit(2);
  }
  return number;
}

const minutes = positive("minutes", args.minutes);
const eventRate = positive("rate", args.rate);
const decideRate = positive("decide-rate", args["decide-rate"]);
const sampleMs = positive("sample-seconds", args["sample-seconds"]) * 1000;
// Caches, JIT and pools fill up first: growth is judged after the warm-up.
const warmupMs = (args["warmup-minutes"] === undefined ? Math.min(2, minutes / 5) : Number(args["warmup-minutes"])) * 60_000;
const maxHeapGrowthMb = positive("max-heap-growth-mb", args["max-heap-growth-mb"]);
const maxRssGrowthMb = positive("max-rss-growth-mb", args["max-rss-growth-mb"]);
const TICK_MS = 100;
const HEARTBEAT_MS = 10_000;
const MB = 2 ** 20;

interface MemorySample {
  at: number;
  rss: number;
  heapUsed: number;
}

interface Trend {
  min: number;
  max: number;
  /** Mean of the last samples minus mean of the first ones after the warm-up. */
  growth: number;
  /** Least-squares slope, per minute. */
  slopePerMinute: number;
}

/** Min, max, growth and slope of one measure over the samples after the warm-up. */
function trend(samples: readonly MemorySample[], pick: (sample: MemorySample) => number): Trend {
  const values = samples.map(pick);
  const edge = Math.max(1, Math.min(6, Math.floor(samples.length / 5)));
  const mean = (list: number[]) => list.reduce((sum, value) => sum + value, 0) / list.length;
  const t0 = samples[0]?.at ?? 0;
  const xs = samples.map((sample) => (sample.at - t0) / 60_000);
  const meanX = mean(xs);
  const meanY = mean(values);
  let covariance = 0;
  let variance = 0;
  for (let index = 0; index < values.length; index += 1) {
    covariance += ((xs[index] ?? 0) - meanX) * ((values[index] ?? 0) - meanY);
    variance += ((xs[index] ?? 0) - meanX) ** 2;
  }
  return {
    min: Math.min(...values),
    max: Math.max(...values),
    growth: mean(values.slice(-edge)) - mean(values.slice(0, edge)),
    slopePerMinute: variance > 0 ? covariance / variance : 0,
  };
}

// ---- the app ---------------------------------------------------------------------------------

const build = spawnSync(process.execPath, ["scripts/ensure-build.mjs"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const samples: MemorySample[] = [];
const app = await startApp({
  demo: true,
  nodeArgs: ["--expose-gc", "--import", "./bench/soak-probe.mjs"],
  env: { SOAK_SAMPLE_MS: String(sampleMs) },
  readyTimeoutMs: 300_000,
  onMessage: (message) => {
    const sample = message as { type?: string; at: number; rss: number; heapUsed: number };
    if (sample.type === "memory") samples.push({ at: sample.at, rss: sample.rss, heapUsed: sample.heapUsed });
  },
});
const demo = app.demoFile();
if (!demo.ingestKey) throw new Error("demo.json has no ingest key");
console.log(await describeMachine(demo.databaseUrl));

// ---- the traffic (as `npm run simulate` makes it) --------------------------------------------

const rng = createRng(Number(args.seed));
const fleet = scenarioFleet("normal");
const errors = new Map<string, number>();
function noteError(where: string, error: unknown) {
  const message = `${where}: ${error instanceof Error ? error.message : String(error)}`;
  const seen = errors.get(message) ?? 0;
  errors.set(message, seen + 1);
  if (seen === 0) console.error(`  ! ${message}`);
}

interface Runner {
  member: FleetMember;
  client: AgentryClient;
  heartbeats: { instanceId: string; dueAt: number }[];
}

const started = Date.now();
const runners: Runner[] = fleet.map((member) => {
  const apiKey = member.via === "agent-key" ? demo.agentKeys[member.agent] : demo.ingestKey;
  if (!apiKey) throw new Error(`demo.json has no key for ${member.agent}`);
  const client = new AgentryClient({
    baseUrl: app.url,
    apiKey,
    instanceId: member.instances[0],
    version: member.version,
    batchSize: 100,
    flushIntervalMs: 1000,
    onRejected: (rejections) => noteError(member.agent, new Error(`rejected: ${rejections.map((rejection) => rejection.message).join("; ")}`)),
    onError: (error) => noteError(member.agent, error),
  });
  const heartbeats = member.via === "agent-key" ? member.instances.map((instanceId) => ({ instanceId, dueAt: started + rng.int(0, 2000) })) : [];
  return { member, client, heartbeats };
});
const byMember = new Map(runners.map((runner) => [runner.member, runner]));
const withKeys = runners.filter((runner) => runner.member.via === "agent-key");
const unsubscribes = withKeys.map((runner) => runner.client.subscribeDirectives(() => {}));
const halted = (runner: Runner) => runner.client.directives?.halt === true;

const counts = { heartbeats: 0, decisions: 0, verdicts: new Map<string, number>() };
const pacer = new SpendPacer();
let eventCredit = 0;
let decideCredit = 0;
let lastTick = started;
let decideSequence = 0;
const TASK_TYPES = ["classification", "analysis", "generation"] as const;
// Tools that would park requests in the approval queue or are denied by the demo policies.
const AVOIDED_TOOLS = new Set(["issue_refund", "delete_records"]);

function decide(runner: Runner) {
  decideSequence += 1;
  const tools = runner.member.profile.tools.filter((tool) => !AVOIDED_TOOLS.has(tool));
  const tool = tools.length > 0 && decideSequence % 2 === 0 ? tools[decideSequence % tools.length] : undefined;
  // Varied arguments: the same call repeated is, rightly, a loop.
  const request = tool
    ? { action: { type: "tool" as const, name: tool, arguments: { query: `soak-${decideSequence}` } } }
    : { action: { type: "model" as const, name: "auto" }, taskType: TASK_TYPES[decideSequence % TASK_TYPES.length] };
  runner.client
    .decide(request)
    .then((answer) => {
      counts.decisions += 1;
      counts.verdicts.set(answer.decision, (counts.verdicts.get(answer.decision) ?? 0) + 1);
    })
    .catch((error: unknown) => noteError(`${runner.member.agent} decide`, error));
}

function tick() {
  const now = Date.now();
  const elapsed = now - lastTick;
  lastTick = now;
  // Credit for the time that really passed, without catch-up bursts after a stall.
  eventCredit = Math.min(eventCredit + (eventRate * elapsed) / 1000, eventRate);
  decideCredit = Math.min(decideCredit + (decideRate * elapsed) / 1000, decideRate);
  while (eventCredit > 0) {
    const next = nextTask(rng, fleet, new Date(now), (member) => {
      const runner = byMember.get(member);
      return runner !== undefined && !halted(runner) && pacer.allows(member, now);
    });
    if (!next) {
      eventCredit = 0;
      break;
    }
    const runner = byMember.get(next.member);
    if (!runner) break;
    let usd = 0;
    for (const event of next.events) {
      runner.client.track(event);
      usd += eventCostUsd(event);
    }
    pacer.record(next.member.agent, now, usd);
    eventCredit -= next.events.length;
  }
  const active = withKeys.filter((runner) => !halted(runner));
  while (decideCredit >= 1 && active.length > 0) {
    decideCredit -= 1;
    decide(active[rng.int(0, active.length - 1)] as Runner);
  }
  for (const runner of withKeys) {
    for (const beat of runner.heartbeats) {
      if (beat.dueAt > now) continue;
      beat.dueAt = now + HEARTBEAT_MS * (0.9 + 0.2 * rng.next());
      runner.client
        .heartbeat({ instanceId: beat.instanceId, status: halted(runner) ? "halted" : "ok" })
        .then(() => (counts.heartbeats += 1))
        .catch((error: unknown) => noteError(`${runner.member.agent} heartbeat`, error));
    }
  }
}

function totals() {
  const sum = { tracked: 0, accepted: 0, duplicates: 0, rejected: 0, failed: 0, dropped: 0, retries: 0 };
  for (const { client } of runners) {
    for (const key of Object.keys(sum) as (keyof typeof sum)[]) sum[key] += client.stats[key];
  }
  return sum;
}

console.log(
  `load: the demo fleet (${runners.length} agents, ${runners.length - withKeys.length} through the ingest key), ${eventRate} events/s, ` +
    `${decideRate} decisions/s, heartbeats every ${HEARTBEAT_MS / 1000} s per instance, ${withKeys.length} directive streams; ${minutes} min; ` +
    `memory sampled every ${sampleMs / 1000} s (after a forced GC)\n`,
);
const interval = setInterval(tick, TICK_MS);
const reporter = setInterval(() => {
  const t = totals();
  const last = samples.at(-1);
  console.log(
    `[${String(Math.round((Date.now() - started) / 1000)).padStart(5)} s] events ${t.tracked}  accepted ${t.accepted}  decisions ${counts.decisions}  heartbeats ${counts.heartbeats}` +
      `  errors ${[...errors.values()].reduce((a, b) => a + b, 0)}${last ? `  rss ${(last.rss / MB).toFixed(0)} MB  heap ${(last.heapUsed / MB).toFixed(1)} MB` : ""}`,
  );
}, 30_000);
await sleep(minutes * 60_000);
clearInterval(interval);
clearInterval(reporter);
for (const unsubscribe of unsubscribes) unsubscribe();
await Promise.all(runners.map((runner) => runner.client.close()));
const elapsedS = (Date.now() - started) / 1000;
await sleep(sampleMs + 500); // one more sample, after the last request
const appExit = app.running ? null : await app.exited();
await app.stop();

// ---- the figures ------------------------------------------------------------------------------

const t = totals();
const haltedAgents = runners.filter(halted).map((runner) => runner.member.agent);
const requestErrors = [...errors.values()].reduce((a, b) => a + b, 0);
const afterWarmup = samples.filter((sample) => sample.at >= started + warmupMs);
const heap = trend(afterWarmup, (sample) => sample.heapUsed / MB);
const rss = trend(afterWarmup, (sample) => sample.rss / MB);
const allHeap = trend(samples, (sample) => sample.heapUsed / MB);
const allRss = trend(samples, (sample) => sample.rss / MB);
const mb = (value: number) => `${value.toFixed(1)} MB`;
const slope = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(2)} MB/min`;

console.log(`\nran ${(elapsedS / 60).toFixed(1)} min`);
console.log(
  `events: ${t.tracked} tracked (${(t.tracked / elapsedS).toFixed(1)}/s), ${t.accepted} accepted, ${t.duplicates} duplicates, ${t.rejected} rejected, ${t.failed} failed, ${t.dropped} dropped, ${t.retries} retried requests`,
);
console.log(`decisions: ${counts.decisions} (${(counts.decisions / elapsedS).toFixed(1)}/s): ${[...counts.verdicts].map(([verdict, n]) => `${verdict} ${n}`).join(", ")}`);
console.log(`heartbeats: ${counts.heartbeats}; agents halted at the end: ${haltedAgents.length > 0 ? haltedAgents.join(", ") : "none"}`);
console.log(`request errors: ${requestErrors}`);
for (const [message, n] of errors) console.log(`  ${n} × ${message}`);
console.log(`\nmemory of the app process (${samples.length} samples; after the ${(warmupMs / 60_000).toFixed(1)} min warm-up: ${afterWarmup.length}):`);
console.log("| measure | min | max | growth after warm-up | slope after warm-up | whole run: min → max |");
console.log("| --- | --- | --- | --- | --- | --- |");
console.log(`| RSS | ${mb(rss.min)} | ${mb(rss.max)} | ${mb(rss.growth)} | ${slope(rss.slopePerMinute)} | ${mb(allRss.min)} → ${mb(allRss.max)} |`);
console.log(`| heap used (after GC) | ${mb(heap.min)} | ${mb(heap.max)} | ${mb(heap.growth)} | ${slope(heap.slopePerMinute)} | ${mb(allHeap.min)} → ${mb(allHeap.max)} |`);

const failures: string[] = [];
if (appExit) failures.push(`the app exited during the run (code ${appExit.code}, signal ${appExit.signal})`);
if (requestErrors > 0 || t.failed > 0 || t.rejected > 0 || t.dropped > 0) failures.push("requests failed");
if (t.retries > 0) failures.push(`${t.retries} requests needed a retry`);
if (afterWarmup.length < 3) failures.push("too few memory samples after the warm-up to judge");
if (heap.growth > maxHeapGrowthMb) failures.push(`heap grew ${mb(heap.growth)} after the warm-up (bound ${maxHeapGrowthMb} MB)`);
if (rss.growth > maxRssGrowthMb) failures.push(`RSS grew ${mb(rss.growth)} after the warm-up (bound ${maxRssGrowthMb} MB)`);
console.log(`\nbounds: no failed or retried request; after the warm-up, heap growth ≤ ${maxHeapGrowthMb} MB and RSS growth ≤ ${maxRssGrowthMb} MB`);
console.log(failures.length === 0 ? "verdict: PASS" : `verdict: FAIL (${failures.join("; ")})`);
benchResult("soak", [
  {
    measure: `traffic over ${(elapsedS / 60).toFixed(1)} min: events, decisions`,
    figure: `${(t.tracked / elapsedS).toFixed(1)} events/s, ${(counts.decisions / elapsedS).toFixed(1)} decisions/s`,
    aim: `${eventRate} events/s, ${decideRate} decisions/s`,
    met: null,
  },
  {
    measure: "failed, rejected, dropped or retried requests",
    figure: String(requestErrors + t.failed + t.rejected + t.dropped + t.retries),
    aim: "0",
    met: requestErrors + t.failed + t.rejected + t.dropped + t.retries === 0 && !appExit,
  },
  { measure: "heap used (after GC), growth after the warm-up", figure: mb(heap.growth), aim: `≤ ${maxHeapGrowthMb} MB`, met: afterWarmup.length >= 3 ? heap.growth <= maxHeapGrowthMb : null },
  { measure: "RSS, growth after the warm-up", figure: mb(rss.growth), aim: `≤ ${maxRssGrowthMb} MB`, met: afterWarmup.length >= 3 ? rss.growth <= maxRssGrowthMb : null },
]);
process.exit(failures.length === 0 ? 0 : 1);
