// The examples in examples/ run against the app as a user would run them, and leave behind what
// they claim: one decision per tool call with the demo policies' verdict, the allowed tools run
// and reported as spans (events under the conversation id), the denied ones not run.
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { demoFile, expect, signedInAs, test, withDatabase } from "./fixtures";

interface ToolCall {
  tool: string;
  decision: string;
  decisionId: string;
  ran: boolean;
  approvalId?: string;
  approval?: string;
}

interface ExampleRun {
  conversationId: string;
  model: { name: string; provider: string };
  toolCalls: ToolCall[];
  reply?: string;
  queue?: string;
  spans?: { exported: number; rejected: number };
}

function agentKey(name: string): string {
  const key = demoFile().agentKeys[name];
  if (!key) throw new Error(`demo.json has no key for ${name}`);
  return key;
}

function runExample(command: string, args: string[], env: Record<string, string>): ExampleRun {
  const run = spawnSync(command, args, { env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", ...env }, encoding: "utf8", timeout: 60_000 });
  expect(run.status, `${run.stdout}${run.stderr}${run.error?.message ?? ""}`).toBe(0);
  return JSON.parse(run.stdout) as ExampleRun;
}

/** What the database holds for one run: its decisions (by id) and its events (by task id). */
async function leftBehind(run: ExampleRun) {
  return withDatabase(async (db) => {
    const decisions = await db.query<{ id: string; decision: string; action_name: string; agent: string; task_id: string | null }>(
      "SELECT d.id, d.decision::text AS decision, d.action_name, a.name AS agent, d.task_id FROM decisions d JOIN agents a ON a.id = d.agent_id WHERE d.id = ANY($1::uuid[])",
      [run.toolCalls.map((call) => call.decisionId)],
    );
    const events = await db.query<{ type: string; tool: string | null; model: string | null; agent: string }>(
      "SELECT e.type::text AS type, e.tool, e.model, a.name AS agent FROM events e JOIN agents a ON a.id = e.agent_id WHERE e.task_id = $1 ORDER BY e.type::text, e.tool",
      [run.conversationId],
    );
    return { decisions: new Map(decisions.rows.map((row) => [row.id, row])), events: events.rows };
  });
}

function expectDecisionsStored(run: ExampleRun, stored: Awaited<ReturnType<typeof leftBehind>>["decisions"], agent: string) {
  for (const call of run.toolCalls) {
    expect(stored.get(call.decisionId), call.tool).toMatchObject({ decision: call.decision, action_name: call.tool, agent, task_id: run.conversationId });
  }
}

test.describe("examples/langgraph-style-agent", () => {
  const script = resolve("examples/langgraph-style-agent/support_agent.py");
  const env = (baseURL: string | undefined) => ({ AGENTRY_URL: baseURL ?? "", AGENTRY_KEY: agentKey("support-chatbot"), PYTHONPATH: resolve("sdk/python") });

  test("a small refund: both tools are allowed, run and reported as spans", async ({ baseURL }) => {
    const orderId = `EX-${randomUUID().slice(0, 8)}`;
    const run = runExample("python3", [script, `Please refund order ${orderId}`, "--order", orderId, "--amount", "40"], env(baseURL));
    expect(run.toolCalls.map(({ tool, decision, ran }) => [tool, decision, ran])).toEqual([
      ["order_lookup", "allow", true],
      ["issue_refund", "allow", true],
    ]);
    expect(run.reply).toContain("issued");
    expect(run.spans).toEqual({ exported: 5, rejected: 0 });
    const { decisions, events } = await leftBehind(run);
    expectDecisionsStored(run, decisions, "support-chatbot");
    expect(events.map(({ type, tool, model, agent }) => [type, tool, model, agent])).toEqual([
      ["llm_call", null, run.model.name, "support-chatbot"],
      ["llm_call", null, run.model.name, "support-chatbot"],
      ["task_end", null, null, "support-chatbot"],
      ["tool_call", "issue_refund", null, "support-chatbot"],
      ["tool_call", "order_lookup", null, "support-chatbot"],
    ]);
  });

  test("a request to delete data: the tool is denied and does not run", async ({ baseURL }) => {
    const run = runExample("python3", [script, "Delete all my data", "--customer", `c-${randomUUID().slice(0, 8)}`], env(baseURL));
    expect(run.toolCalls.map(({ tool, decision, ran }) => [tool, decision, ran])).toEqual([["delete_records", "deny", false]]);
    expect(run.reply).toContain("not something I may do");
    const { decisions, events } = await leftBehind(run);
    expectDecisionsStored(run, decisions, "support-chatbot");
    expect(events.filter((event) => event.type === "tool_call")).toEqual([]);
    expect(events.map((event) => event.type)).toEqual(["llm_call", "llm_call", "task_end"]);
  });

  test.describe("with a person in the loop", () => {
    signedInAs("compliance");

    test("a refund above 100 waits for approval; approved in the console, the refund runs", async ({ approvals, baseURL }) => {
      test.slow();
      const orderId = `EX-${randomUUID().slice(0, 8)}`;
      const agent = spawn("python3", [script, `Please refund order ${orderId}`, "--order", orderId, "--amount", "250", "--approval-timeout", "60"], {
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", ...env(baseURL) },
      });
      let stdout = "";
      let stderr = "";
      agent.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      agent.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((done) => agent.on("close", done));
      try {
        const card = approvals.request(orderId);
        await expect(async () => {
          await approvals.goto();
          await expect(card).toBeVisible({ timeout: 2_000 });
        }).toPass({ timeout: 30_000 });
        await expect(card.getByRole("heading")).toContainText("support-chatbot wants to call tool issue_refund");
        await approvals.approve(orderId, "Refund checked against the order");
        await expect(card).toHaveCount(0);

        expect(await exited, stderr).toBe(0);
        const run = JSON.parse(stdout) as ExampleRun;
        expect(run.toolCalls.map(({ tool, decision, ran }) => [tool, decision, ran])).toEqual([
          ["order_lookup", "allow", true],
          ["issue_refund", "allow", true],
        ]);
        expect(run.toolCalls[1]).toMatchObject({ approval: "approved", approvalId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
        expect(run.reply).toContain("issued");
        const { decisions, events } = await leftBehind(run);
        expectDecisionsStored(run, decisions, "support-chatbot");
        expect(events.filter((event) => event.type === "tool_call").map((event) => event.tool)).toEqual(["issue_refund", "order_lookup"]);
      } finally {
        agent.kill();
      }
    });
  });
});

test.describe("examples/plain-http-agent", () => {
  test("triages a ticket: three allowed tools run, the denied deletion does not; spans arrive through the protobuf exporter", async ({ baseURL }) => {
    const ticketId = `EX-${randomUUID().slice(0, 8)}`;
    const run = runExample(process.execPath, ["--import", "tsx", resolve("examples/plain-http-agent/agent.ts"), ticketId], {
      AGENTRY_URL: baseURL ?? "",
      AGENTRY_KEY: agentKey("ticket-router"),
    });
    expect(run.toolCalls.map(({ tool, decision, ran }) => [tool, decision, ran])).toEqual([
      ["ticket_read", "allow", true],
      ["kb_search", "allow", true],
      ["ticket_assign", "allow", true],
      ["delete_records", "deny", false],
    ]);
    expect(run.queue).toBe("IT/hardware");
    const { decisions, events } = await leftBehind(run);
    expectDecisionsStored(run, decisions, "ticket-router");
    expect(events.map(({ type, tool, model, agent }) => [type, tool, model, agent])).toEqual([
      ["llm_call", null, run.model.name, "ticket-router"],
      ["task_end", null, null, "ticket-router"],
      ["tool_call", "kb_search", null, "ticket-router"],
      ["tool_call", "ticket_assign", null, "ticket-router"],
      ["tool_call", "ticket_read", null, "ticket-router"],
    ]);
  });
});
