// bench/ingest: events per second into PostgreSQL through POST /api/v1/events, and batch
// latency at a fixed rate. `npm run bench:ingest`. Prints the machine, the figures with the CPU
// time an event costs the app, PostgreSQL and the load generator, and the events counted in the
// database afterwards, which must equal the events the server accepted.
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";
import { benchResult, cpuPer, cpuSnapshot, describeMachine, latencySummary, loadClient, percentile, settleDatabase, sleep, startApp, type DemoFile, type RunningApp } from "./lib";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "3200" },
    seconds: { type: "string", default: "20" },
    clients: { type: "string", default: "8" },
    // Seconds of batches of 1000 before the phases, not counted; 0 measures a cold process and cluster.
    warmup: { type: "string", default: "5" },
  },
});
const seconds = Number(args.seconds);
const clients = Number(args.clients);

const MODELS = ["gpt-5-mini", "claude-sonnet-4-5", "gemini-2.5-flash", "gpt-4.1-mini"];

/** A realistic event: an LLM call with tokens and a few attributes (priced from the registry). */
function makeBatch(size: number, runId: string, sequence: { next: number }): string {
  const now = new Date().toISOString();
  const events = [];
  for (let i = 0; i < size; i += 1) {
    const n = sequence.next++;
    events.push({
      id: `${runId}-${n}`,
      type: n % 5 === 0 ? "tool_call" : "llm_call",
      timestamp: now,
      taskId: `task-${runId}-${Math.floor(n / 10)}`,
      instanceId: "bench-1",
      model: MODELS[n % MODELS.length],
      inputTokens: 800 + (n % 1200),
      outputTokens: 120 + (n % 400),
      latencyMs: 300 + (n % 900),
      ...(n % 5 === 0 ? { tool: "kb_search" } : {}),
      // A tool call's arguments vary, as a working agent's do, so loop detection rightly does not fire.
      attributes: { prompt_id: `p-${n % 50}`, customer: "jane.doe@example.com", region: "eu-west-1", ...(n % 5 === 0 ? { arguments: { query: `kb-${n}` } } : {}) },
    });
  }
  return JSON.stringify({ events });
}

interface PhaseResult {
  name: string;
  sentEvents: number;
  acceptedEvents: number;
  elapsedS: number;
  latencies: number[];
  errors: number;
  cpu: string;
}

type Client = ReturnType<typeof loadClient>;

async function post(client: Client, key: string, body: string): Promise<{ ok: boolean; accepted: number; ms: number }> {
  try {
    const answer = await client.post("/api/v1/events", key, body);
    const json = (answer.status === 200 || answer.status === 207 ? JSON.parse(answer.body) : {}) as { accepted?: number };
    return { ok: answer.status === 200, accepted: json.accepted ?? 0, ms: answer.ms };
  } catch {
    return { ok: false, accepted: 0, ms: 0 };
  }
}

/** Closed loop: each client sends its next batch as soon as the last one is answered. */
async function maxThroughput(app: RunningApp, keys: string[], batchSize: number, name: string, durationS = seconds): Promise<PhaseResult> {
  const runId = randomUUID().slice(0, 8);
  const result: PhaseResult = { name, sentEvents: 0, acceptedEvents: 0, elapsedS: 0, latencies: [], errors: 0, cpu: "" };
  const client = loadClient(app.url, clients);
  const deadline = performance.now() + durationS * 1000;
  const before = cpuSnapshot(app);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, index) => {
      const key = keys[index % keys.length] ?? "";
      const sequence = { next: index * 1e9 };
      while (performance.now() < deadline) {
        const body = makeBatch(batchSize, runId, sequence);
        const answer = await post(client, key, body);
        result.sentEvents += batchSize;
        result.acceptedEvents += answer.accepted;
        if (!answer.ok) result.errors += 1;
        result.latencies.push(answer.ms);
      }
    }),
  );
  result.elapsedS = (performance.now() - started) / 1000;
  result.cpu = cpuPer(before, cpuSnapshot(app), result.acceptedEvents, "event");
  client.close();
  return result;
}

/** Open loop: batches leave on a fixed schedule whatever the answers, so latency is honest under load. */
async function fixedRate(app: RunningApp, keys: string[], batchSize: number, eventsPerSecond: number): Promise<PhaseResult> {
  const runId = randomUUID().slice(0, 8);
  const result: PhaseResult = { name: `open loop at ${eventsPerSecond} events/s, batches of ${batchSize}`, sentEvents: 0, acceptedEvents: 0, elapsedS: 0, latencies: [], errors: 0, cpu: "" };
  const client = loadClient(app.url, 256);
  const before = cpuSnapshot(app);
  const intervalMs = (1000 * batchSize) / eventsPerSecond;
  const total = Math.floor((seconds * 1000) / intervalMs);
  const sequence = { next: 0 };
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = started + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const body = makeBatch(batchSize, runId, sequence);
    inFlight.push(
      post(client, keys[i % keys.length] ?? "", body).then((answer) => {
        result.sentEvents += batchSize;
        result.acceptedEvents += answer.accepted;
        if (!answer.ok) result.errors += 1;
        result.latencies.push(answer.ms);
      }),
    );
  }
  await Promise.all(inFlight);
  result.elapsedS = (performance.now() - started) / 1000;
  result.cpu = cpuPer(before, cpuSnapshot(app), result.acceptedEvents, "event");
  client.close();
  return result;
}

function report(phase: PhaseResult): string {
  return [
    `${phase.name}:`,
    `  ${Math.round(phase.acceptedEvents / phase.elapsedS).toLocaleString("en-US")} events/s accepted (${phase.acceptedEvents.toLocaleString("en-US")} in ${phase.elapsedS.toFixed(1)} s, ${phase.errors} failed batches)`,
    `  batch latency ${latencySummary(phase.latencies)}`,
    `  ${phase.cpu}`,
  ].join("\n");
}

async function countEvents(demo: DemoFile): Promise<number> {
  const client = new pg.Client({ connectionString: demo.databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE instance_id = 'bench-1'");
  await client.end();
  return Number(rows[0]?.n ?? 0);
}

/**
 * The ingested batches whose follow-up (settlement, loop and spend-rate checks, budget alerts) is
 * still in the outbox when a phase ends, and how long the drain job then takes to do them all: how
 * far behind the checks run at full load.
 */
async function followUpLag(demo: DemoFile): Promise<{ waiting: number; doneAfterS: number }> {
  const client = new pg.Client({ connectionString: demo.databaseUrl });
  await client.connect();
  try {
    const waitingNow = async () => Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM event_follow_ups")).rows[0]?.n ?? 0);
    const started = performance.now();
    const waiting = await waitingNow();
    while ((await waitingNow()) > 0 && performance.now() - started < 120_000) await sleep(50);
    return { waiting, doneAfterS: (performance.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}

const app = await startApp(Number(args.port));
try {
  const keys = Object.values(app.demo.agentKeys);
  console.log(await describeMachine(app.demo.databaseUrl));
  console.log(`load: ${clients} concurrent clients, ${seconds} s per phase, ${keys.length} agent keys, ${args.warmup} s warm-up not counted\n`);
  // Warm-up, not counted: the route (first requests compile and connect), then batches of 1000 for
  // --warmup seconds (V8 optimises the path of a large batch; a fresh cluster creates its first WAL
  // segments, which one that has been running recycles). `--warmup 0` measures cold.
  await maxThroughput(app, keys, 10, "warm-up", 3);
  if (Number(args.warmup) > 0) await maxThroughput(app, keys, 1000, "warm-up, batches of 1000", Number(args.warmup));
  const before = await countEvents(app.demo);
  // Each phase starts on a settled database (settleDatabase: as pgbench vacuums before its run).
  const settled = async <T>(phase: () => Promise<T>): Promise<T> => {
    await settleDatabase(app.demo.databaseUrl);
    return phase();
  };
  const bulkPhase = await settled(() => maxThroughput(app, keys, 1000, `closed loop, batches of 1000, ${clients} connections`));
  const lag = await followUpLag(app.demo);
  const phases = [bulkPhase, await settled(() => fixedRate(app, keys, 100, 10_000)), await settled(() => maxThroughput(app, keys, 100, `closed loop, batches of 100, ${clients} connections`))];
  for (const phase of phases) console.log(report(phase));
  const lagFigure = `${lag.waiting} batches waiting when it ended, all done ${lag.doneAfterS.toFixed(1)} s later`;
  console.log(`\nfollow-ups after the closed loop with batches of 1000: ${lagFigure}`);
  const accepted = phases.reduce((sum, phase) => sum + phase.acceptedEvents, 0);
  const counted = (await countEvents(app.demo)) - before;
  console.log(`\nevents accepted by the API: ${accepted.toLocaleString("en-US")}; counted in PostgreSQL: ${counted.toLocaleString("en-US")} ${counted === accepted ? "(equal)" : "(MISMATCH)"}`);
  if (counted !== accepted) process.exitCode = 1;
  // The aims: at least 40,000 events/s in batches of 1,000 (closed loop); p99 at most 100 ms at 10,000 events/s in batches of 100.
  const rate = (phase: PhaseResult) => Math.round(phase.acceptedEvents / phase.elapsedS);
  const p99 = (phase: PhaseResult) =>
    percentile(
      [...phase.latencies].sort((a, b) => a - b),
      99,
    );
  const [bulk, paced, small] = phases as [PhaseResult, PhaseResult, PhaseResult];
  benchResult("ingest", [
    { measure: `${bulk.name}: events accepted per second`, figure: `${rate(bulk).toLocaleString("en-US")} events/s`, aim: "≥ 40,000 events/s", met: rate(bulk) >= 40_000 && bulk.errors === 0 },
    {
      measure: `${paced.name}: batch latency p99`,
      figure: `${p99(paced).toFixed(0)} ms at ${rate(paced).toLocaleString("en-US")} events/s${paced.errors > 0 ? ` (${paced.errors} failed batches)` : ""}`,
      aim: "p99 ≤ 100 ms at 10,000 events/s",
      met: p99(paced) <= 100 && rate(paced) >= 0.98 * 10_000 && paced.errors === 0,
    },
    { measure: `${small.name}: events accepted per second`, figure: `${rate(small).toLocaleString("en-US")} events/s`, aim: null, met: null },
    { measure: `${bulk.name}: follow-ups still to do at its end`, figure: lagFigure, aim: null, met: null },
    { measure: "events counted in PostgreSQL against events accepted", figure: `${counted.toLocaleString("en-US")} of ${accepted.toLocaleString("en-US")}`, aim: "equal", met: counted === accepted },
  ]);
} finally {
  await app.stop();
}
