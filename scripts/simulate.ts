// `npm run simulate`: the demo org's fleet driving the real agent API through the SDK. Each
// registered agent reports with its own key (tasks, LLM and tool calls, errors) and heartbeats from
// 2–3 instances; unregistered agents report through the org ingest key and show up as discovered.
// A halted agent stops working until its directives say otherwise. Expensive agents are paced
// (each spends at most FleetMember.maxUsdPer5Min) so a sped-up normal day is not mistaken for a
// runaway; the spare rate goes to the cheap, busy agents. Loopback only, bounded in time.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AgentryApiError, AgentryClient } from "../sdk";
import { startEnv } from "../server/env";
import { assertLoopback, parseSimulateArgs, USAGE, type SimulateArgs } from "./simulate/args";
import { createRng } from "./simulate/prng";
import { getScenario, scenarioFleet } from "./simulate/scenarios";
import { eventCostUsd, nextTask, SpendPacer, type FleetMember } from "./simulate/traffic";

interface DemoFile {
  url: string;
  users: { email: string; password: string; role: string }[];
  agentKeys: Record<string, string>;
  ingestKey: string | null;
}

interface Runner {
  member: FleetMember;
  client: AgentryClient;
  tasks: number;
  heartbeats: { instanceId: string; dueAt: number }[];
}

const TICK_MS = 100;
const REPORT_EVERY_MS = 5000;

function loadDemo(): DemoFile {
  const dataDir = startEnv().AGENTRY_DATA_DIR;
  const file = join(dataDir, "demo.json");
  try {
    return JSON.parse(readFileSync(file, "utf8")) as DemoFile;
  } catch (error) {
    throw new Error(`Cannot read ${file} (${(error as Error).message}). Start the app in demo mode first: npm start`);
  }
}

function parse(): SimulateArgs {
  try {
    return parseSimulateArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

function setUp() {
  try {
    const demo = loadDemo();
    return { demo, baseUrl: assertLoopback(args.url ?? demo.url).origin, scenario: getScenario(args.scenario), fleet: scenarioFleet(args.scenario, args.agents) };
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}

const args = parse();
const { demo, baseUrl, scenario, fleet } = setUp();
const rng = createRng(args.seed);
const heartbeatMs = args.heartbeatSeconds * 1000;

let heartbeatsOk = 0;
let heartbeatsFailed = 0;
const errorCounts = new Map<string, number>();
function noteError(agent: string, error: unknown) {
  // An endpoint this server does not have yet (404) is one note for the fleet, not one per agent.
  const who = error instanceof AgentryApiError && error.status === 404 ? "all agents" : agent;
  const message = `${who}: ${(error as Error).message}`;
  const seen = errorCounts.get(message) ?? 0;
  errorCounts.set(message, seen + 1);
  if (seen === 0) console.error(`  ! ${message}`);
}

const started = Date.now();
const runners: Runner[] = fleet.map((member) => {
  const apiKey = member.via === "agent-key" ? demo.agentKeys[member.agent] : demo.ingestKey;
  if (!apiKey) throw new Error(`demo.json has no ${member.via === "agent-key" ? `key for agent "${member.agent}"` : "ingest key"}`);
  const client = new AgentryClient({
    baseUrl,
    apiKey,
    instanceId: member.instances[0],
    version: member.version,
    batchSize: 100,
    flushIntervalMs: 1000,
    onRejected: (rejections) => noteError(member.agent, new Error(`rejected: ${rejections.map((rejection) => rejection.message).join("; ")}`)),
    onError: (error) => noteError(member.agent, error),
  });
  client.onHalt((directives) => console.log(`  ⏸ ${member.agent} halted (${directives.reason ?? "no reason given"}): it stops working until resumed`));
  const heartbeats = member.via === "agent-key" ? member.instances.map((instanceId) => ({ instanceId, dueAt: started + rng.int(0, Math.min(2000, heartbeatMs)) })) : []; // heartbeats need an agent key: discovered agents only report events
  return { member, client, tasks: 0, heartbeats };
});

// Directive changes arrive over the stream where the server offers one; heartbeats carry them too.
const unsubscribes = runners
  .filter((runner) => runner.member.via === "agent-key")
  .map((runner) => {
    let wasHalted = false;
    return runner.client.subscribeDirectives((directives) => {
      if (wasHalted && !directives.halt) console.log(`  ▶ ${runner.member.agent} resumed`);
      wasHalted = directives.halt;
    });
  });

console.log(
  `Simulating scenario "${scenario.name}" (${scenario.description})\n` +
    `  ${runners.length} agents (${runners.filter((runner) => runner.member.via === "ingest-key").length} through the ingest key) → ${baseUrl}, ` +
    `${args.rate} events/s, ${args.duration === 0 ? "until Ctrl-C" : `${args.duration} s`}, seed ${args.seed}`,
);

function totals() {
  const sum = { tracked: 0, accepted: 0, duplicates: 0, rejected: 0, failed: 0, dropped: 0, retries: 0, queued: 0 };
  for (const { client } of runners) {
    sum.tracked += client.stats.tracked;
    sum.accepted += client.stats.accepted;
    sum.duplicates += client.stats.duplicates;
    sum.rejected += client.stats.rejected;
    sum.failed += client.stats.failed;
    sum.dropped += client.stats.dropped;
    sum.retries += client.stats.retries;
    sum.queued += client.queued;
  }
  return sum;
}

function report() {
  const t = totals();
  const elapsed = Math.round((Date.now() - started) / 1000);
  console.log(
    `[${String(elapsed).padStart(4)} s] sent ${t.tracked}  accepted ${t.accepted}  duplicates ${t.duplicates}  rejected ${t.rejected}` +
      `  failed ${t.failed}  dropped ${t.dropped}  queued ${t.queued}  heartbeats ${heartbeatsOk}${heartbeatsFailed ? ` (${heartbeatsFailed} failed)` : ""}`,
  );
}

const halted = (runner: Runner) => runner.client.directives?.halt === true;
const pacer = new SpendPacer();
const byMember = new Map(runners.map((runner) => [runner.member, runner]));
let credit = 0;
let stopping = false;
let lastReport = started;
let lastTick = started;

function tick() {
  const now = Date.now();
  // Credit for the time that really passed (timers drift on a busy machine), without catch-up bursts after a stall.
  credit = Math.min(credit + (args.rate * (now - lastTick)) / 1000, args.rate);
  lastTick = now;
  while (credit > 0) {
    const next = nextTask(rng, fleet, new Date(now), (member) => {
      const runner = byMember.get(member);
      return runner !== undefined && !halted(runner) && pacer.allows(member, now);
    });
    if (!next) {
      credit = 0;
      break;
    }
    const runner = byMember.get(next.member);
    if (!runner) break;
    let usd = 0;
    for (const event of next.events) {
      // Each instance reports the version Agentry directs it to run (the SDK knows it from its heartbeats).
      runner.client.track({ ...event, version: event.instanceId ? runner.client.runningVersion(event.instanceId) : event.version });
      usd += eventCostUsd(event);
    }
    pacer.record(next.member.agent, now, usd);
    runner.tasks++;
    credit -= next.events.length;
  }
  for (const runner of runners) {
    for (const beat of runner.heartbeats) {
      if (beat.dueAt > now) continue;
      beat.dueAt = now + heartbeatMs * (0.9 + 0.2 * rng.next());
      runner.client
        .heartbeat({ instanceId: beat.instanceId, status: halted(runner) ? "halted" : "ok" })
        .then(() => heartbeatsOk++)
        .catch((error: unknown) => {
          heartbeatsFailed++;
          noteError(runner.member.agent, error);
        });
    }
  }
  if (now - lastReport >= REPORT_EVERY_MS) {
    lastReport = now;
    report();
  }
}

async function stop(reason: string) {
  if (stopping) return;
  stopping = true;
  clearInterval(interval);
  clearTimeout(deadline);
  driving.abort();
  console.log(`\n${reason}: flushing…`);
  for (const unsubscribe of unsubscribes) unsubscribe();
  await Promise.all(runners.map((runner) => runner.client.close()));
  report();
  const elapsedS = (Date.now() - started) / 1000;
  const t = totals();
  console.log(`\nSummary after ${elapsedS.toFixed(1)} s (${(t.tracked / elapsedS).toFixed(1)} events/s):`);
  for (const runner of runners) {
    const stats = runner.client.stats;
    console.log(
      `  ${runner.member.agent.padEnd(22)} ${runner.member.via === "ingest-key" ? "ingest" : "agent "}  tasks ${String(runner.tasks).padStart(5)}  events ${String(stats.tracked).padStart(6)}` +
        `  accepted ${String(stats.accepted).padStart(6)}  rejected ${stats.rejected}  failed ${stats.failed}${halted(runner) ? "  (halted)" : ""}`,
    );
  }
  console.log(`  total: sent ${t.tracked}, accepted ${t.accepted}, duplicates ${t.duplicates}, rejected ${t.rejected}, failed ${t.failed}, dropped ${t.dropped}, retries ${t.retries}`);
  if (errorCounts.size > 0) {
    console.log("  errors:");
    for (const [message, count] of errorCounts) console.log(`    ${count} × ${message}`);
  }
  process.exit(t.tracked > 0 && t.accepted + t.duplicates === 0 ? 1 : 0);
}

const interval = setInterval(tick, TICK_MS);
// A scenario that acts runs beside the fleet; the run ends when it is done.
const driving = new AbortController();
if (scenario.drive) {
  scenario
    .drive({ baseUrl, agentKeys: demo.agentKeys, users: demo.users ?? [], log: (line) => console.log(line), signal: driving.signal })
    .then(() => void stop("Scenario finished"))
    .catch((error: unknown) => {
      console.error(`  ! scenario: ${(error as Error).message}`);
      void stop("Scenario failed");
    });
}
const deadline = args.duration > 0 ? setTimeout(() => void stop(`${args.duration} s elapsed`), args.duration * 1000) : setTimeout(() => {}, 0);
process.on("SIGINT", () => void stop("Interrupted"));
process.on("SIGTERM", () => void stop("Terminated"));
