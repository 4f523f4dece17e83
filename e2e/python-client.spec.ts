// The Python client (sdk/python, standard library only) against the running app: its live tests
// pass and the database holds exactly what they sent (a batch retried after a lost answer stored
// once, decisions as the demo policies say), and an approval a compliance officer gives in the
// console reaches a Python agent waiting in wait_for_approval.
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { expect, signedInAs, test, withDatabase } from "./fixtures";

const PYTHON_DIR = resolve("sdk/python");
const DEMO_JSON = resolve(process.env.E2E_DATA_DIR ?? ".data-e2e", "demo.json");

function pythonEnv(baseURL: string | undefined, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  if (!baseURL) throw new Error("no baseURL");
  return { ...process.env, AGENTRY_URL: baseURL, AGENTRY_DEMO_JSON: DEMO_JSON, PYTHONDONTWRITEBYTECODE: "1", PYTHONUNBUFFERED: "1", ...extra };
}

interface LiveReport {
  retried: { taskId: string; eventIds: string[] };
  decisions: Record<string, { id: string; agent: string; decision: string }>;
  heartbeat: { agent: string; instanceId: string; version: string };
  otlp: { taskId: string; agent: string };
}

test.describe("the Python client", () => {
  test("passes its live tests against the app, and the database holds exactly what they sent", async ({ baseURL }) => {
    test.setTimeout(120_000);
    const report = join(mkdtempSync(join(tmpdir(), "agentry-python-")), "report.json");
    const run = spawnSync("python3", ["-m", "unittest", "discover", "-s", "live_tests", "-t", ".", "-v"], {
      cwd: PYTHON_DIR,
      env: pythonEnv(baseURL, { AGENTRY_REPORT: report }),
      encoding: "utf8",
      timeout: 100_000,
    });
    const output = `${run.stdout}${run.stderr}${run.error ? `\n${run.error.message}` : ""}`;
    expect(run.status, output).toBe(0);
    expect(output).toMatch(/Ran [5-9] tests/);
    const sent = JSON.parse(readFileSync(report, "utf8")) as LiveReport;

    await withDatabase(async (db) => {
      // Sent twice (the first answer was lost), stored once.
      const events = await db.query<{ event_id: string; copies: number; agent: string }>(
        `SELECT e.event_id, count(*)::int AS copies, min(a.name) AS agent
           FROM events e JOIN agents a ON a.id = e.agent_id WHERE e.task_id = $1 GROUP BY e.event_id`,
        [sent.retried.taskId],
      );
      expect(events.rows.map((row) => row.event_id).sort()).toEqual([...sent.retried.eventIds].sort());
      expect(events.rows.every((row) => row.copies === 1 && row.agent === "access-reviewer")).toBe(true);

      const decisions = await db.query<{ id: string; decision: string; agent: string; action_name: string }>(
        "SELECT d.id, d.decision::text AS decision, a.name AS agent, d.action_name FROM decisions d JOIN agents a ON a.id = d.agent_id WHERE d.id = ANY($1::uuid[])",
        [Object.values(sent.decisions).map((decision) => decision.id)],
      );
      const stored = new Map(decisions.rows.map((row) => [row.id, row]));
      expect(sent.decisions.refund500?.decision).toBe("require_approval");
      expect(sent.decisions.deleteWriter?.decision).toBe("deny");
      for (const [label, decision] of Object.entries(sent.decisions)) {
        expect(stored.get(decision.id), label).toMatchObject({ decision: decision.decision, agent: decision.agent });
      }

      const instance = await db.query<{ version: string }>("SELECT i.version FROM agent_instances i JOIN agents a ON a.id = i.agent_id WHERE a.name = $1 AND i.instance_id = $2", [
        sent.heartbeat.agent,
        sent.heartbeat.instanceId,
      ]);
      expect(instance.rows).toEqual([{ version: sent.heartbeat.version }]);

      const spans = await db.query<{ type: string; agent: string; model: string | null }>(
        "SELECT e.type::text AS type, a.name AS agent, e.model FROM events e JOIN agents a ON a.id = e.agent_id WHERE e.task_id = $1 ORDER BY e.type::text",
        [sent.otlp.taskId],
      );
      expect(spans.rows).toEqual([
        { type: "llm_call", agent: sent.otlp.agent, model: "gpt-4.1-mini" },
        { type: "task_end", agent: sent.otlp.agent, model: null },
      ]);
    });
  });

  test.describe("waiting for an approval", () => {
    signedInAs("compliance");

    test("a refund approved in the console reaches wait_for_approval, and the approved call is then allowed", async ({ approvals, baseURL }) => {
      test.slow();
      const orderId = `PY-${randomUUID().slice(0, 8)}`;
      const agent = spawn("python3", ["-m", "live_tests.wait_for_refund", orderId], { cwd: PYTHON_DIR, env: pythonEnv(baseURL) });
      let stderr = "";
      agent.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((done) => agent.on("close", done));
      const lines: Record<string, unknown>[] = [];
      createInterface({ input: agent.stdout }).on("line", (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
      try {
        await expect.poll(() => lines.length > 0 || agent.exitCode !== null, { timeout: 20_000 }).toBe(true);
        expect(lines.length, `the agent ended without a word: ${stderr}`).toBeGreaterThan(0);
        expect(lines[0]).toMatchObject({ decision: "require_approval", approvalId: expect.stringMatching(/^[0-9a-f-]{36}$/) });

        await approvals.goto();
        const card = approvals.request(orderId);
        await expect(card.getByRole("heading")).toContainText("support-chatbot wants to call tool issue_refund");
        await expect(card.getByText("500", { exact: true })).toBeVisible();
        await approvals.approve(orderId, "Approved for the Python client's test");
        await expect(card).toHaveCount(0);

        expect(await exited, stderr).toBe(0);
        expect(lines.slice(1)).toEqual([{ status: "approved", decidedBy: "compliance@acme.test" }, { decisionWithApproval: "allow" }]);
      } finally {
        agent.kill();
      }
    });
  });
});
