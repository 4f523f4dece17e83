// bench/kill: how fast an org kill switch reaches connected agents while the server is busy
// deciding. Opens N Server-Sent Events streams (GET /api/v1/directives/stream, default 500) as
// agent instances, runs allowed tool decisions from the demo org's agents at a steady rate
// (--decide-rate, default 500/s, open loop), engages an org switch the way the console does (a
// signed-in owner calling the tRPC mutation over HTTP), and times until each stream receives `halt`. Each instance then acknowledges the revision in a heartbeat,
// as the SDK does, and the acknowledgement figures the Kill switches page shows are printed too.
//
//   npm run bench:kill                       (builds if needed, starts the app on a fresh data dir)
//   npm run bench:kill -- --url http://localhost:3000 --data-dir .data   (an app already running)
//
// An org switch halts every agent of its org, so the bench works in an org of its own (made
// through SQL, with its own owner, agents and keys): nothing else running on the server is stopped.
// Loopback only; every phase is bounded in time.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { hashPassword } from "../server/auth/password";
import { generateApiKey } from "../server/domain/keys/api-key";
import { backgroundDecisions, benchResult, describeMachine, latencySummary, percentile, sleep, startApp, type BenchFigure, type DemoFile } from "./lib";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "3300" },
    connections: { type: "string", default: "500" },
    agents: { type: "string", default: "25" },
    "decide-rate": { type: "string", default: "500" },
    url: { type: "string" },
    "data-dir": { type: "string", default: ".data" },
  },
});
const CONNECTIONS = Number(args.connections);
const AGENTS = Math.max(1, Math.min(Number(args.agents), CONNECTIONS));
const CONNECT_TIMEOUT_MS = 60_000;
const HALT_TIMEOUT_MS = 15_000;
const DECIDE_RATE = Number(args["decide-rate"]);
/** The decisions run this long before the switch is engaged, so the server is at its steady state. */
const DECIDE_WARMUP_MS = 3_000;

function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!["localhost", "127.0.0.1", "[::1]", "::1"].includes(host)) throw new Error(`bench/kill runs against this machine only, not ${host}`);
}

interface BenchOrg {
  orgId: string;
  slug: string;
  name: string;
  email: string;
  password: string;
  keys: string[];
}

/** A fresh org: an owner who can sign in, AGENTS agents in one team, one key each. */
async function createBenchOrg(databaseUrl: string): Promise<BenchOrg> {
  const suffix = randomUUID().slice(0, 8);
  const org = { slug: `bench-kill-${suffix}`, name: `Bench Kill ${suffix}`, email: `bench-${suffix}@kill.bench`, password: `pw-${randomUUID()}` };
  const passwordHash = await hashPassword(org.password);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query("BEGIN");
    const orgId = (await db.query<{ id: string }>("INSERT INTO orgs (id, slug, name) VALUES (gen_random_uuid(), $1, $2) RETURNING id", [org.slug, org.name])).rows[0]?.id;
    if (!orgId) throw new Error("org not created");
    const teamId = (await db.query<{ id: string }>("INSERT INTO teams (id, org_id, name) VALUES (gen_random_uuid(), $1, 'Fleet') RETURNING id", [orgId])).rows[0]?.id;
    const userId = (await db.query<{ id: string }>("INSERT INTO users (id, email, name, password_hash) VALUES (gen_random_uuid(), $1, 'Bench Owner', $2) RETURNING id", [org.email, passwordHash])).rows[0]?.id;
    await db.query("INSERT INTO memberships (id, org_id, user_id, role) VALUES (gen_random_uuid(), $1, $2, 'owner')", [orgId, userId]);
    const keys: string[] = [];
    for (let i = 0; i < AGENTS; i += 1) {
      const agentId = (await db.query<{ id: string }>("INSERT INTO agents (org_id, name, team_id, status) VALUES ($1, $2, $3, 'active') RETURNING id", [orgId, `fleet-agent-${i}`, teamId])).rows[0]?.id;
      const key = generateApiKey();
      await db.query("INSERT INTO api_keys (org_id, kind, agent_id, name, prefix, hash) VALUES ($1, 'agent', $2, 'bench', $3, $4)", [orgId, agentId, key.prefix, key.hash]);
      keys.push(key.key);
    }
    await db.query("COMMIT");
    return { ...org, orgId, keys };
  } finally {
    await db.end();
  }
}

/** Signs in through Auth.js's credentials endpoint, as the sign-in form does; returns the session cookies. */
async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const at = pair?.indexOf("=") ?? -1;
      if (pair && at > 0) jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const header = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/` }),
  });
  keep(response);
  if (![...jar.keys()].some((name) => name.includes("session-token"))) throw new Error(`sign-in failed (${response.status})`);
  return header();
}

async function trpcMutation(baseUrl: string, cookie: string, path: string, input: unknown): Promise<unknown> {
  const response = await fetch(`${baseUrl}/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie },
    body: JSON.stringify({ json: input }),
  });
  const body = (await response.json()) as { result?: { data?: { json?: unknown } }; error?: unknown };
  if (!response.ok || !body.result) throw new Error(`${path} failed (${response.status}): ${JSON.stringify(body.error)}`);
  return body.result.data?.json;
}

interface Stream {
  key: string;
  instanceId: string;
  connected: boolean;
  haltAt: number | null;
  revision: number | null;
  request: http.ClientRequest | null;
}

const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });

/** Opens one stream; resolves once its first directives arrive. Records when `halt` first arrives. */
function openStream(baseUrl: string, stream: Stream, onHalt: (stream: Stream) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const url = new URL(`/api/v1/directives/stream?instanceId=${encodeURIComponent(stream.instanceId)}`, baseUrl);
    const request = http.get(url, { agent, headers: { authorization: `Bearer ${stream.key}`, accept: "text/event-stream" } }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`stream answered ${response.statusCode}`));
        return;
      }
      response.setEncoding("utf8");
      let buffer = "";
      response.on("data", (chunk: string) => {
        const now = performance.now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split("\n").find((line) => line.startsWith("data: "));
          if (!data || !block.includes("event: directives")) continue;
          const directives = JSON.parse(data.slice(6)) as { halt: boolean; revision: number };
          if (!stream.connected) {
            stream.connected = true;
            resolve();
          }
          if (directives.halt && stream.haltAt === null) {
            stream.haltAt = now;
            stream.revision = directives.revision;
            onHalt(stream);
          }
        }
      });
      response.on("error", () => {});
    });
    request.on("error", reject);
    stream.request = request;
  });
}

async function heartbeat(baseUrl: string, key: string, instanceId: string, directiveVersion: number): Promise<boolean> {
  const response = await fetch(`${baseUrl}/api/v1/heartbeat`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ instanceId, directiveVersion }),
  });
  await response.arrayBuffer();
  return response.ok;
}

async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function run(baseUrl: string, demo: DemoFile): Promise<void> {
  assertLoopback(baseUrl);
  assertLoopback(demo.databaseUrl);
  console.log(await describeMachine(demo.databaseUrl));
  const org = await createBenchOrg(demo.databaseUrl);
  console.log(`org: ${org.name} (${AGENTS} agents, ${CONNECTIONS} SSE connections, ${Math.ceil(CONNECTIONS / AGENTS)} instances per agent key)`);
  const cookie = await signIn(baseUrl, org.email, org.password);

  const streams: Stream[] = Array.from({ length: CONNECTIONS }, (_, i) => ({
    key: org.keys[i % org.keys.length] ?? "",
    instanceId: `bench-${i}`,
    connected: false,
    haltAt: null,
    revision: null,
    request: null,
  }));

  // Each instance acknowledges the halt with a heartbeat carrying the revision, as the SDK does, but
  // only once every stream has its halt: 500 acknowledgements sent from this one process while
  // halts are still arriving would slow this process's own reading and inflate the figures.
  const ackQueue: Stream[] = [];
  const acknowledge = (stream: Stream) => {
    ackQueue.push(stream);
  };

  // Connect in waves, so the connect phase does not look like a flood to the per-key rate limit.
  const connectStarted = performance.now();
  await withDeadline(
    (async () => {
      for (let i = 0; i < streams.length; i += 50) {
        await Promise.all(streams.slice(i, i + 50).map((stream) => openStream(baseUrl, stream, acknowledge)));
      }
    })(),
    CONNECT_TIMEOUT_MS,
    "connecting",
  );
  console.log(`connected: ${streams.filter((s) => s.connected).length} streams in ${((performance.now() - connectStarted) / 1000).toFixed(1)} s`);
  await sleep(1000); // let the server settle (the connect phase's writes)

  // The bench listens on the change channel too: the NOTIFY arrives when the engage commits, so
  // delivery after commit is told apart from the mutation's own time (session, membership, writes).
  const listener = new pg.Client({ connectionString: demo.databaseUrl });
  await listener.connect();
  let committedAt: number | null = null;
  listener.on("notification", (message) => {
    if (committedAt === null && message.payload?.includes(org.orgId) && message.payload.includes("killswitch")) committedAt = performance.now();
  });
  await listener.query("LISTEN agentry_changes");

  // The person has the Kill switches page open before pressing the button: load it as the page does.
  await fetch(`${baseUrl}/api/trpc/killSwitches.list?input=${encodeURIComponent(JSON.stringify({ json: { orgId: org.orgId } }))}`, { headers: { cookie } }).then((r) => r.arrayBuffer());

  const decisions = DECIDE_RATE > 0 ? backgroundDecisions(baseUrl, demo, DECIDE_RATE) : null;
  if (decisions) await sleep(DECIDE_WARMUP_MS);

  const engagedAt = performance.now();
  const engaged = (await trpcMutation(baseUrl, cookie, "killSwitches.engage", {
    orgId: org.orgId,
    scope: "org",
    target: "",
    reason: "bench/kill",
    confirmation: org.name,
  })) as { id: string; revision: number };
  const mutationMs = performance.now() - engagedAt;

  const deadline = Date.now() + HALT_TIMEOUT_MS;
  while (streams.some((s) => s.haltAt === null) && Date.now() < deadline) await sleep(10);
  const halted = streams.filter((s) => s.haltAt !== null);
  const latencies = halted.map((s) => (s.haltAt ?? 0) - engagedAt);
  console.log(`engage mutation (tRPC over HTTP, until its answer): ${mutationMs.toFixed(1)} ms`);
  console.log(`halt received by ${halted.length} of ${streams.length} streams (revision ${engaged.revision})`);
  console.log(`time from the engage request to halt on each stream: ${latencySummary(latencies)}`);
  if (committedAt !== null) {
    const commit = committedAt;
    console.log(`commit (NOTIFY seen by the bench) at +${(commit - engagedAt).toFixed(1)} ms; from commit to halt: ${latencySummary(halted.map((s) => (s.haltAt ?? 0) - commit))}`);
  }
  await listener.end();
  if (decisions) {
    const tally = await decisions.stop();
    const others = Object.entries(tally.others).map(([decision, n]) => `${decision} ${n}`);
    console.log(
      `decisions meanwhile (demo org, open loop at ${DECIDE_RATE}/s for ${tally.seconds.toFixed(1)} s): ${Math.round(tally.allowed.length / tally.seconds)} allowed/s, ` +
        `latency of the allowed answers ${latencySummary(tally.allowed)}; other answers: ${others.length > 0 ? others.join(", ") : "none"}; ${tally.failures} failed`,
    );
  }
  const p99 = percentile(
    [...latencies].sort((a, b) => a - b),
    99,
  );
  const met = halted.length === streams.length && p99 <= 250;
  const aim = `p99 ≤ 250 ms, every stream${DECIDE_RATE > 0 ? `, while deciding at ${DECIDE_RATE}/s` : ""}`;
  console.log(`aim ${aim}: ${met ? "met" : "NOT met"}`);
  const sortedLatencies = [...latencies].sort((a, b) => a - b);
  const figures: BenchFigure[] = [
    { measure: `engage request → halt on each of ${streams.length} streams, p50 / p99`, figure: `${percentile(sortedLatencies, 50).toFixed(1)} / ${p99.toFixed(1)} ms`, aim, met },
    { measure: "streams that received halt", figure: `${halted.length} of ${streams.length}`, aim: null, met: null },
  ];
  if (committedAt !== null) {
    const commit = committedAt;
    const fromCommit = halted.map((s) => (s.haltAt ?? 0) - commit).sort((a, b) => a - b);
    figures.push({ measure: "commit → halt on each stream, p50 / p99", figure: `${percentile(fromCommit, 50).toFixed(1)} / ${percentile(fromCommit, 99).toFixed(1)} ms`, aim: null, met: null });
  }
  benchResult("kill", figures);

  // What the page shows once the acknowledgements are in.
  const ackCalls = ackQueue.map((stream) => heartbeat(baseUrl, stream.key, stream.instanceId, stream.revision ?? 0).catch(() => false));
  const acked = (await withDeadline(Promise.all(ackCalls), 30_000, "acknowledging")).filter(Boolean).length;
  const listing = (await (await fetch(`${baseUrl}/api/trpc/killSwitches.list?input=${encodeURIComponent(JSON.stringify({ json: { orgId: org.orgId } }))}`, { headers: { cookie } })).json()) as {
    result?: { data?: { json?: { active: { id: string; acks: { connected: number; acknowledged: number; p50Ms: number | null; p95Ms: number | null } | null }[] } } };
  };
  const acks = listing.result?.data?.json?.active.find((sw) => sw.id === engaged.id)?.acks;
  console.log(`acknowledging heartbeats answered 200: ${acked} of ${ackCalls.length}`);
  console.log(
    acks
      ? `Kill switches page: ${acks.acknowledged} of ${acks.connected} acknowledged, p50 ${acks.p50Ms ?? "–"} ms, p95 ${acks.p95Ms ?? "–"} ms (engage to acknowledgement, database clock; sent after the halt phase)`
      : "Kill switches page: no acknowledgement figures",
  );

  await trpcMutation(baseUrl, cookie, "killSwitches.release", { orgId: org.orgId, id: engaged.id, reason: "bench/kill done" });
  for (const stream of streams) stream.request?.destroy();
}

const external = args.url;
if (external) {
  const demo = JSON.parse(readFileSync(join(args["data-dir"], "demo.json"), "utf8")) as DemoFile;
  await run(external, demo);
} else {
  const app = await startApp(Number(args.port), ".data-bench-kill");
  try {
    await run(app.url, app.demo);
  } finally {
    await app.stop();
  }
}
agent.destroy();
