// bench/decide: POST /api/v1/decide through HTTP with 200 enforced policies and a budget
// reservation on every call. `npm run bench:decide`. Prints the machine, then throughput and
// latency at a fixed 500 decisions/s (open loop) and at the most the machine sustains (closed
// loop), and checks afterwards that every allowed estimate is held or settled in the budgets.
import { parseArgs } from "node:util";
import pg from "pg";
import { describeMachine, latencySummary, sleep, startApp, type DemoFile } from "./lib";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "3201" },
    seconds: { type: "string", default: "20" },
    rate: { type: "string", default: "500" },
    clients: { type: "string", default: "16" },
    policies: { type: "string", default: "200" },
  },
});
const seconds = Number(args.seconds);

/** Agents and a tool each is registered with (allowed by the seed's "registered tools" policy). */
const CALLERS: [agent: string, tool: string][] = [
  ["ticket-router", "ticket_assign"],
  ["content-writer", "web_search"],
  ["reconciliation-agent", "ledger_query"],
  ["financial-analyst", "erp_query"],
  ["seo-optimizer", "crawl_site"],
  ["kb-summarizer", "kb_search"],
  ["access-reviewer", "idp_list_groups"],
  ["invoice-extractor", "ocr_document"],
];

async function addPolicies(demo: DemoFile, count: number): Promise<number> {
  const client = new pg.Client({ connectionString: demo.databaseUrl });
  await client.connect();
  const org = (await client.query<{ id: string }>("SELECT id FROM orgs WHERE slug = 'acme'")).rows[0]?.id;
  if (!org) throw new Error("no demo org");
  const existing = Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM policies WHERE org_id = $1 AND status = 'enforced'", [org])).rows[0]?.n ?? 0);
  const teams = ["Marketing", "Finance", "IT", "Customer Service"];
  for (let i = existing; i < count; i += 1) {
    // A realistic spread: per-team forbids and approvals on tools nobody in the bench calls, so
    // the set is evaluated in full without changing the bench's answers.
    const team = teams[i % teams.length] ?? "IT";
    const cedar =
      i % 3 === 0
        ? `forbid (principal in Team::"${team}", action == Action::"tool", resource == Tool::"bench_tool_${i}");`
        : i % 3 === 1
          ? `@approval("true")\npermit (principal in Team::"${team}", action == Action::"tool", resource == Tool::"bench_tool_${i}")\nwhen { context.arguments.hasTag("amount") && context.arguments.getTag("amount").greaterThan(decimal("${i}.0")) };`
          : `permit (principal, action == Action::"data", resource == DataClass::"bench_class_${i}") when { principal.tags.contains("bench-${i}") };`;
    await client.query("INSERT INTO policies (org_id, name, cedar, status) VALUES ($1, $2, $3, 'enforced')", [org, `bench policy ${i}`, cedar]);
  }
  await client.query("SELECT pg_notify('agentry_changes', $1)", [JSON.stringify({ orgId: org, kind: "policy" })]);
  const total = Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM policies WHERE org_id = $1 AND status = 'enforced'", [org])).rows[0]?.n ?? 0);
  await client.end();
  return total;
}

interface Phase {
  name: string;
  latencies: number[];
  decisions: Record<string, number>;
  failures: number;
  elapsedS: number;
}

let sequence = 0;

async function decideOnce(url: string, key: string, tool: string, phase: Phase): Promise<void> {
  const started = performance.now();
  try {
    const response = await fetch(`${url}/api/v1/decide`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      // Real agents call a tool with different arguments each time; the same call over and over
      // is what loop detection stops.
      body: JSON.stringify({ action: { type: "tool", name: tool, arguments: { query: `status of order ${++sequence}` } }, estimatedCostUsd: "0.0005" }),
    });
    const body = (await response.json()) as { decision?: string };
    phase.latencies.push(performance.now() - started);
    if (!response.ok || !body.decision) phase.failures += 1;
    else phase.decisions[body.decision] = (phase.decisions[body.decision] ?? 0) + 1;
  } catch {
    phase.failures += 1;
  }
}

async function fixedRate(url: string, demo: DemoFile, rate: number): Promise<Phase> {
  const phase: Phase = { name: `fixed rate ${rate} decisions/s (open loop)`, latencies: [], decisions: {}, failures: 0, elapsedS: 0 };
  const interval = 1000 / rate;
  const total = Math.floor(seconds * rate);
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const wait = started + i * interval - performance.now();
    if (wait > 1) await sleep(wait);
    const [agent, tool] = CALLERS[i % CALLERS.length] ?? CALLERS[0] ?? ["", ""];
    inFlight.push(decideOnce(url, demo.agentKeys[agent] ?? "", tool, phase));
  }
  await Promise.all(inFlight);
  phase.elapsedS = (performance.now() - started) / 1000;
  return phase;
}

async function maxThroughput(url: string, demo: DemoFile, clients: number, durationS = seconds): Promise<Phase> {
  const phase: Phase = { name: `max throughput, ${clients} concurrent clients (closed loop)`, latencies: [], decisions: {}, failures: 0, elapsedS: 0 };
  const deadline = performance.now() + durationS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      const [agent, tool] = CALLERS[client % CALLERS.length] ?? CALLERS[0] ?? ["", ""];
      while (performance.now() < deadline) await decideOnce(url, demo.agentKeys[agent] ?? "", tool, phase);
    }),
  );
  phase.elapsedS = (performance.now() - started) / 1000;
  return phase;
}

function report(phase: Phase): string {
  const count = phase.latencies.length;
  return [
    `${phase.name}:`,
    `  ${Math.round(count / phase.elapsedS)} decisions/s (${count} in ${phase.elapsedS.toFixed(1)} s; ${Object.entries(phase.decisions).map(([decision, n]) => `${decision} ${n}`).join(", ")}; ${phase.failures} failed)`,
    `  latency ${latencySummary(phase.latencies)}`,
  ].join("\n");
}

const app = await startApp(Number(args.port), ".data-bench-decide");
try {
  const policyCount = await addPolicies(app.demo, Number(args.policies));
  console.log(await describeMachine(app.demo.databaseUrl));
  console.log(`policies enforced: ${policyCount}; every call reserves $0.0005 against the agent's, its team's and the org's budgets\n`);
  await maxThroughput(app.url, app.demo, 4, 3); // warm-up: connect, load and compile the policies
  const phases = [await fixedRate(app.url, app.demo, Number(args.rate)), await maxThroughput(app.url, app.demo, Number(args.clients))];
  for (const phase of phases) console.log(report(phase));

  const client = new pg.Client({ connectionString: app.demo.databaseUrl });
  await client.connect();
  const held = (await client.query<{ n: string }>("SELECT count(*) AS n FROM budget_reservations")).rows[0]?.n ?? "0";
  const recorded = (await client.query<{ n: string }>("SELECT count(*) AS n FROM decisions")).rows[0]?.n ?? "0";
  await client.end();
  console.log(`\ndecisions recorded: ${recorded}; budget reservations made: ${held}`);
} finally {
  await app.stop();
}
