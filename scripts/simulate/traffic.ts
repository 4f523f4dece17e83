// The demo fleet's traffic model, pure: which agents exist, how each one works (models, tools,
// token sizes, latencies, error rates), and what one of its tasks looks like as events. The
// simulator sends these through the SDK; the demo history seeds weeks of them. No I/O here.
import type { AgentEvent } from "../../server/agent-api/schemas";
import { SEED_AGENTS, type SeedAgent } from "../../prisma/seed/agents";
import { TICKET_ROUTER_INSTANCES, TICKET_ROUTER_LIFECYCLE, ticketRouterVersionAt } from "../../prisma/seed/lifecycle";
import { SEED_MODELS } from "../../prisma/seed/models";
import type { Rng } from "./prng";

/** An event as the traffic model makes it: the SDK (or the seed) gives it its id. */
export type DraftEvent = Omit<AgentEvent, "id">;

export type TaskType = "classification" | "analysis" | "generation";

export interface TrafficProfile {
  taskType: TaskType;
  /** Models with their share of the agent's calls. */
  models: { name: string; share: number }[];
  tools: string[];
  /** Tokens per LLM call: log-normal around a median. */
  inputTokens: { median: number; spread: number };
  outputTokens: { median: number; spread: number };
  llmCallsPerTask: [number, number];
  toolCallsPerTask: [number, number];
  /** Chance that any one call fails. */
  errorRate: number;
  /** Tasks on a normal weekday (the history's volume, and the simulator's mix weight). */
  tasksPerWeekday: number;
  /** Weekend volume as a fraction of a weekday's. */
  weekendFactor: number;
  /** Night volume as a fraction of business hours (customer-facing agents work round the clock). */
  nightFactor: number;
}

export interface FleetMember {
  agent: string;
  /** Demo agents report with their own agent key; discovered ones through the org ingest key. */
  via: "agent-key" | "ingest-key";
  version: string;
  instances: string[];
  /** The version an instance ran at a time (the demo history's rollouts); `version` when absent. */
  versionAt?: (instanceId: string, at: Date) => string;
  profile: TrafficProfile;
  /**
   * Most this member may spend in any 5 minutes of a live run (US dollars; none when absent). A real
   * fleet's expensive agents run a few times an hour; a sped-up simulation must not make them look
   * like runaways (loop detection compares spend against the agent's own baseline).
   */
  maxUsdPer5Min?: number;
  /** A scenario may replace how this member's tasks look (a runaway loop, a failing canary…). */
  task?: (rng: Rng, member: FleetMember, end: Date) => DraftEvent[];
}

const PROVIDERS = new Map(SEED_MODELS.map((model) => [model.name, model.provider]));
const PRICES = new Map(SEED_MODELS.map((model) => [model.name, { input: Number(model.inputUsdPerMTok), output: Number(model.outputUsdPerMTok) }]));
/** The "normal" live pace: no agent spends more than this in 5 minutes (see FleetMember.maxUsdPer5Min). */
export const NORMAL_MAX_USD_PER_5_MIN = 0.5;
const QUALITY = new Map<string, number>(SEED_MODELS.map((model) => [model.name, model.qualityTier]));

/** How each demo agent works, beyond its registry record. Unknown agents get a profile from their record. */
const PROFILES: Record<string, Omit<TrafficProfile, "models" | "tools"> & { modelShares?: number[] }> = {
  "content-writer": {
    taskType: "generation",
    inputTokens: { median: 5200, spread: 0.5 },
    outputTokens: { median: 1800, spread: 0.45 },
    llmCallsPerTask: [3, 7],
    toolCallsPerTask: [1, 4],
    errorRate: 0.015,
    tasksPerWeekday: 26,
    weekendFactor: 0.08,
    nightFactor: 0.05,
    modelShares: [0.75, 0.25],
  },
  "seo-optimizer": {
    taskType: "analysis",
    inputTokens: { median: 3800, spread: 0.5 },
    outputTokens: { median: 600, spread: 0.5 },
    llmCallsPerTask: [2, 5],
    toolCallsPerTask: [2, 6],
    errorRate: 0.02,
    tasksPerWeekday: 22,
    weekendFactor: 0.1,
    nightFactor: 0.05,
  },
  "reconciliation-agent": {
    taskType: "analysis",
    inputTokens: { median: 7000, spread: 0.4 },
    outputTokens: { median: 900, spread: 0.4 },
    llmCallsPerTask: [2, 6],
    toolCallsPerTask: [2, 5],
    errorRate: 0.01,
    tasksPerWeekday: 40,
    weekendFactor: 0.05,
    nightFactor: 0.15,
    modelShares: [0.35, 0.65],
  },
  "financial-analyst": {
    taskType: "analysis",
    inputTokens: { median: 11000, spread: 0.45 },
    outputTokens: { median: 1600, spread: 0.4 },
    llmCallsPerTask: [3, 6],
    toolCallsPerTask: [2, 5],
    errorRate: 0.012,
    tasksPerWeekday: 10,
    weekendFactor: 0.05,
    nightFactor: 0.05,
    modelShares: [0.6, 0.4],
  },
  "invoice-extractor": {
    taskType: "classification",
    inputTokens: { median: 2600, spread: 0.35 },
    outputTokens: { median: 450, spread: 0.35 },
    llmCallsPerTask: [1, 2],
    toolCallsPerTask: [2, 2],
    errorRate: 0.025,
    tasksPerWeekday: 85,
    weekendFactor: 0.1,
    nightFactor: 0.1,
  },
  "ticket-router": {
    taskType: "classification",
    inputTokens: { median: 900, spread: 0.4 },
    outputTokens: { median: 60, spread: 0.4 },
    llmCallsPerTask: [1, 2],
    toolCallsPerTask: [2, 3],
    errorRate: 0.015,
    tasksPerWeekday: 170,
    weekendFactor: 0.2,
    nightFactor: 0.1,
    modelShares: [0.8, 0.2],
  },
  "doc-classifier": {
    taskType: "classification",
    inputTokens: { median: 1800, spread: 0.5 },
    outputTokens: { median: 40, spread: 0.3 },
    llmCallsPerTask: [1, 1],
    toolCallsPerTask: [1, 2],
    errorRate: 0.01,
    tasksPerWeekday: 150,
    weekendFactor: 0.3,
    nightFactor: 0.5,
  },
  "access-reviewer": {
    taskType: "analysis",
    inputTokens: { median: 4500, spread: 0.4 },
    outputTokens: { median: 800, spread: 0.4 },
    llmCallsPerTask: [2, 4],
    toolCallsPerTask: [3, 6],
    errorRate: 0.02,
    tasksPerWeekday: 7,
    weekendFactor: 0,
    nightFactor: 0.02,
  },
  "support-chatbot": {
    taskType: "generation",
    inputTokens: { median: 3200, spread: 0.45 },
    outputTokens: { median: 280, spread: 0.5 },
    llmCallsPerTask: [2, 4],
    toolCallsPerTask: [1, 3],
    errorRate: 0.02,
    tasksPerWeekday: 270,
    weekendFactor: 0.65,
    nightFactor: 0.35,
    modelShares: [0.85, 0.15],
  },
  "kb-summarizer": {
    taskType: "generation",
    inputTokens: { median: 6000, spread: 0.5 },
    outputTokens: { median: 500, spread: 0.4 },
    llmCallsPerTask: [1, 3],
    toolCallsPerTask: [1, 2],
    errorRate: 0.015,
    tasksPerWeekday: 28,
    weekendFactor: 0.2,
    nightFactor: 0.3,
  },
};

/** Agents nobody registered that report through the org ingest key: sprawl, made visible. */
export const DISCOVERED_AGENTS: { agent: string; models: string[]; tools: string[]; tasksPerWeekday: number }[] = [
  { agent: "shadow-gpt", models: ["gpt-4o"], tools: ["web_fetch", "email_send"], tasksPerWeekday: 20 },
  { agent: "marketing-scraper", models: ["gpt-4o-mini"], tools: ["crawl_site", "web_fetch"], tasksPerWeekday: 14 },
];

function defaultProfile(models: string[], tools: string[]): TrafficProfile {
  return {
    taskType: "analysis",
    models: models.map((name) => ({ name, share: 1 })),
    tools,
    inputTokens: { median: 2500, spread: 0.5 },
    outputTokens: { median: 400, spread: 0.5 },
    llmCallsPerTask: [1, 4],
    toolCallsPerTask: [0, 3],
    errorRate: 0.03,
    tasksPerWeekday: 10,
    weekendFactor: 0.3,
    nightFactor: 0.2,
  };
}

export function profileFor(agent: Pick<SeedAgent, "name" | "models" | "tools">): TrafficProfile {
  const known = PROFILES[agent.name];
  if (!known) return defaultProfile(agent.models, agent.tools);
  const { modelShares, ...rest } = known;
  return { ...rest, models: agent.models.map((name, index) => ({ name, share: modelShares?.[index] ?? 1 })), tools: agent.tools };
}

/**
 * The demo org's fleet: its registered agents (2–3 instances each; ticket-router, rolled out in
 * stages, runs 20) and the discovered ones. With `now` (the history), ticket-router's instances run
 * the versions the demo's lifecycle gave them at each time.
 */
export function demoFleet(options: { discovered?: boolean; now?: Date } = {}): FleetMember[] {
  const { now } = options;
  const registered: FleetMember[] = SEED_AGENTS.map((agent, index) => ({
    agent: agent.name,
    via: "agent-key",
    version: agent.version,
    instances: agent.name === TICKET_ROUTER_LIFECYCLE.agent ? [...TICKET_ROUTER_INSTANCES] : Array.from({ length: 2 + (index % 2) }, (_, n) => `${agent.name}-${n + 1}`),
    ...(agent.name === TICKET_ROUTER_LIFECYCLE.agent && now ? { versionAt: (instanceId: string, at: Date) => ticketRouterVersionAt(instanceId, at, now) } : {}),
    profile: profileFor(agent),
    maxUsdPer5Min: NORMAL_MAX_USD_PER_5_MIN,
  }));
  if (options.discovered === false) return registered;
  const discovered: FleetMember[] = DISCOVERED_AGENTS.map((agent) => ({
    agent: agent.agent,
    via: "ingest-key",
    version: "0.1.0",
    instances: [`${agent.agent}-1`],
    profile: { ...defaultProfile(agent.models, agent.tools), tasksPerWeekday: agent.tasksPerWeekday },
    maxUsdPer5Min: NORMAL_MAX_USD_PER_5_MIN,
  }));
  return [...registered, ...discovered];
}

const TOOL_LATENCY_MS: Record<string, number> = {
  web_search: 900,
  web_fetch: 700,
  crawl_site: 2500,
  image_generate: 6000,
  ocr_document: 1800,
  erp_query: 1200,
  ledger_query: 600,
  bank_statement_fetch: 1500,
  order_lookup: 250,
  kb_search: 180,
  ticket_read: 120,
  ticket_assign: 150,
  drive_list: 300,
  drive_label: 200,
  handoff_to_human: 100,
};

/** What each tool is called with: the argument that varies from call to call. */
const TOOL_ARGUMENT: Record<string, string> = {
  web_search: "query",
  web_fetch: "url",
  crawl_site: "url",
  cms_publish: "postId",
  cms_update: "pageId",
  image_generate: "prompt",
  ledger_query: "accountId",
  bank_statement_fetch: "statementId",
  create_journal_entry: "entryId",
  erp_query: "report",
  spreadsheet_write: "sheetId",
  chart_render: "chartId",
  ocr_document: "documentId",
  payables_create: "invoiceId",
  ticket_read: "ticketId",
  ticket_assign: "ticketId",
  kb_search: "query",
  kb_update: "articleId",
  drive_list: "folderId",
  drive_label: "fileId",
  idp_list_groups: "groupId",
  idp_list_members: "groupId",
  report_write: "reportId",
  order_lookup: "orderId",
  handoff_to_human: "conversationId",
  email_send: "to",
};

/**
 * A tool call's arguments (reported as `attributes.arguments`): different on every call, as in
 * real work, so loop detection ("the same call N times") sees no loop where there is none.
 */
export function toolArguments(rng: Rng, tool: string): Record<string, unknown> {
  if (tool === "issue_refund") return { orderId: `A-${rng.int(100_000, 999_999)}`, amount: Math.round(rng.logNormal(40, 0.8) * 100) / 100 };
  if (tool === "email_send") return { to: `customer${rng.int(1, 99_999)}@example.com`, subject: "Your request" };
  const key = TOOL_ARGUMENT[tool] ?? "id";
  return { [key]: `${key === "url" ? "https://www.example.com/p/" : ""}${rng.hex(10)}` };
}

/** What an event costs at the demo registry's list prices (0 when it has no priced model). */
export function eventCostUsd(event: Pick<DraftEvent, "model" | "inputTokens" | "outputTokens">): number {
  const price = event.model ? PRICES.get(event.model) : undefined;
  if (!price) return 0;
  return ((event.inputTokens ?? 0) * price.input + (event.outputTokens ?? 0) * price.output) / 1_000_000;
}

/** Output speed in tokens per second: frontier models are slower. */
function tokensPerSecond(model: string): number {
  const tier = QUALITY.get(model) ?? 3;
  return tier >= 5 ? 45 : tier >= 4 ? 80 : tier >= 3 ? 120 : 180;
}

const round = (value: number, min = 1) => Math.max(min, Math.round(value));

export interface TaskOptions {
  /** When the task ends; its events lead up to it (so nothing is stamped in the future). */
  end: Date;
  instanceId: string;
  version: string;
  /** The agent's name on every event (needed with an ingest key). */
  agent?: string;
  /** Overrides the profile's error rate (an incident). */
  errorRate?: number;
}

/**
 * One task as events: task_start, LLM and tool calls interleaved (each with tokens or latency,
 * sometimes failing), an error event when something failed, then task_end with the outcome.
 */
export function generateTask(rng: Rng, profile: TrafficProfile, options: TaskOptions): DraftEvent[] {
  const taskId = `task-${rng.hex(16)}`;
  const errorRate = options.errorRate ?? profile.errorRate;
  // Built field by field rather than by spreading a shared base: the history makes tens of thousands of these.
  const event = (type: DraftEvent["type"], timestamp: string): DraftEvent => {
    const made: DraftEvent = { type, timestamp, taskId, traceId: taskId, instanceId: options.instanceId, version: options.version };
    if (options.agent) made.agent = options.agent;
    return made;
  };
  interface Step {
    kind: "llm" | "tool" | "error";
    durationMs: number;
    fails: boolean;
    model?: string;
    inputTokens?: number;
    outputTokens?: number;
    tool?: string;
    args?: Record<string, unknown>;
    failure?: string;
  }
  const steps: Step[] = [];
  const llmCalls = rng.int(profile.llmCallsPerTask[0], profile.llmCallsPerTask[1]);
  const toolCalls = profile.tools.length === 0 ? 0 : rng.int(profile.toolCallsPerTask[0], profile.toolCallsPerTask[1]);
  const order: ("llm" | "tool")[] = [];
  for (let i = 0; i < llmCalls; i++) order.push("llm");
  for (let i = 0; i < toolCalls; i++) order.push("tool");
  // Interleave: an LLM call first when there is one, the rest shuffled.
  for (let i = order.length - 1; i > 1; i--) {
    const j = 1 + Math.floor(rng.next() * i);
    const swap = order[i] ?? "llm";
    order[i] = order[j] ?? "llm";
    order[j] = swap;
  }
  let failed = false;
  for (const kind of order) {
    const fails = rng.chance(errorRate);
    if (kind === "llm") {
      const model = profile.models.length > 0 ? rng.weighted(profile.models, (entry) => entry.share).name : "gpt-5-mini";
      const inputTokens = round(rng.logNormal(profile.inputTokens.median, profile.inputTokens.spread), 20);
      const outputTokens = fails ? 0 : round(rng.logNormal(profile.outputTokens.median, profile.outputTokens.spread), 5);
      const durationMs = fails ? round(rng.logNormal(8000, 0.6)) : round(rng.logNormal(450, 0.4) + (outputTokens / tokensPerSecond(model)) * 1000);
      const failure = fails ? rng.pick(["timeout", "rate_limited", "overloaded"]) : undefined;
      steps.push({ kind, durationMs, fails, model, inputTokens, outputTokens, failure });
    } else {
      const tool = rng.pick(profile.tools);
      steps.push({ kind, durationMs: round(rng.logNormal(TOOL_LATENCY_MS[tool] ?? 400, 0.5)), fails, tool, args: toolArguments(rng, tool) });
    }
    if (fails) {
      failed = true;
      steps.push({ kind: "error", durationMs: 5, fails: true, failure: kind === "llm" ? "model call failed" : "tool call failed" });
      if (rng.chance(0.5)) break; // half the failures end the task
    }
  }
  let workMs = 0;
  for (const step of steps) workMs += step.durationMs;
  const totalMs = workMs + 20 * (steps.length + 2);
  let at = options.end.getTime() - totalMs;
  const start = event("task_start", new Date(at).toISOString());
  start.attributes = { taskType: profile.taskType };
  const events: DraftEvent[] = [start];
  for (const step of steps) {
    at += 20 + step.durationMs;
    const timestamp = new Date(at).toISOString();
    if (step.kind === "llm") {
      const model = step.model ?? "gpt-5-mini";
      const made = event("llm_call", timestamp);
      made.model = model;
      made.provider = PROVIDERS.get(model) ?? "openai";
      made.inputTokens = step.inputTokens;
      made.outputTokens = step.outputTokens;
      made.latencyMs = step.durationMs;
      made.status = step.fails ? "error" : "ok";
      made.attributes = step.failure ? { taskType: profile.taskType, error: step.failure } : { taskType: profile.taskType };
      events.push(made);
    } else if (step.kind === "tool") {
      const made = event("tool_call", timestamp);
      made.tool = step.tool;
      made.attributes = { arguments: step.args };
      made.latencyMs = step.durationMs;
      made.status = step.fails ? "error" : "ok";
      events.push(made);
    } else {
      const made = event("error", timestamp);
      made.status = "error";
      made.attributes = { message: step.failure };
      events.push(made);
    }
  }
  const finish = event("task_end", options.end.toISOString());
  finish.status = failed ? "failed" : "ok";
  finish.latencyMs = totalMs;
  events.push(finish);
  return events;
}

/** One member's next task, as the member (or its scenario) makes it. */
export function taskFor(rng: Rng, member: FleetMember, end: Date, errorRate?: number): DraftEvent[] {
  if (member.task) return member.task(rng, member, end);
  const instanceId = rng.pick(member.instances);
  return generateTask(rng, member.profile, {
    end,
    instanceId,
    version: member.versionAt ? member.versionAt(instanceId, end) : member.version,
    ...(member.via === "ingest-key" ? { agent: member.agent } : {}),
    ...(errorRate !== undefined ? { errorRate } : {}),
  });
}

/** Spend per member over a sliding window, for pacing a live run (see FleetMember.maxUsdPer5Min). */
export class SpendPacer {
  private readonly spent = new Map<string, { at: number; usd: number }[]>();

  constructor(private readonly windowMs = 5 * 60_000) {}

  record(agent: string, at: number, usd: number): void {
    if (usd <= 0) return;
    const list = this.spent.get(agent) ?? [];
    list.push({ at, usd });
    this.spent.set(agent, list);
  }

  spentInWindow(agent: string, at: number): number {
    const list = this.spent.get(agent);
    if (!list) return 0;
    while (list.length > 0 && (list[0]?.at ?? at) <= at - this.windowMs) list.shift();
    return list.reduce((sum, entry) => sum + entry.usd, 0);
  }

  allows(member: FleetMember, at: number): boolean {
    return member.maxUsdPer5Min === undefined || this.spentInWindow(member.agent, at) < member.maxUsdPer5Min;
  }
}

/**
 * Picks whose task comes next, in proportion to each member's weekday volume, so a live run has
 * the same mix as the history. `active` filters out members that must not work (a halted agent).
 */
export function nextTask(rng: Rng, fleet: readonly FleetMember[], end: Date, active: (member: FleetMember) => boolean = () => true): { member: FleetMember; events: DraftEvent[] } | null {
  const candidates = fleet.filter(active);
  if (candidates.length === 0) return null;
  const member = rng.weighted(candidates, (candidate) => candidate.profile.tasksPerWeekday);
  return { member, events: taskFor(rng, member, end) };
}
