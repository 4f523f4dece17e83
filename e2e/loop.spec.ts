// The $47,000 loop, stopped: an agent asks decide for the same tool call with the same arguments
// over and over; loop detection halts it within seconds without a person (a system kill switch,
// reason loop_detected), the console shows the alert, and a person resumes the agent on the Kill
// switches page. invoice-extractor is used by no other spec, so parallel specs never see its loop.
import { AgentryClient } from "../sdk";
import { demoFile, expect, signedInAs, test } from "./fixtures";

const AGENT = "invoice-extractor";
const HALT_WITHIN_MS = 10_000;

function agent(baseURL: string | undefined): AgentryClient {
  const apiKey = demoFile().agentKeys[AGENT];
  if (!baseURL || !apiKey) throw new Error(`the demo has no key for ${AGENT}`);
  return new AgentryClient({ baseUrl: baseURL, apiKey, instanceId: `${AGENT}-e2e`, flushIntervalMs: 60_000 });
}

test.describe("a runaway loop", () => {
  signedInAs("owner");

  test("is halted within seconds without a person, alerted in the console, and resumed by a person", async ({ page, alerts, killSwitches, baseURL }) => {
    test.setTimeout(60_000);
    const client = agent(baseURL);
    // Arguments unique to this run, so an earlier run's calls never count.
    const call = { type: "tool" as const, name: "extract_invoice", arguments: { file: `s3://invoices/${Date.now()}.pdf`, pages: [1, 2] } };

    const started = Date.now();
    let calls = 0;
    let answer = await client.decide({ action: call });
    calls += 1;
    while (!answer.directives.halt && Date.now() - started < HALT_WITHIN_MS) {
      answer = await client.decide({ action: call });
      calls += 1;
    }
    const elapsed = Date.now() - started;
    expect(answer.directives).toMatchObject({ halt: true, reason: "loop_detected" });
    expect(answer.directives.killSwitchId).toBeTruthy();
    expect(answer.decision).toBe("deny");
    expect(answer.reasons.map((reason) => reason.code)).toContain("loop_detected");
    expect(elapsed).toBeLessThan(HALT_WITHIN_MS);
    expect(calls).toBe(5); // the default: 5 identical calls in 60 s

    // Halted: every later call is refused, whatever it is.
    const other = await client.decide({ action: { type: "tool", name: "something_else", arguments: {} } });
    expect(other.decision).toBe("deny");
    expect((await client.heartbeat()).halt).toBe(true);

    // The alert is in the console, with the unacknowledged count in the nav.
    await alerts.goto();
    // Newest first: this run's alert is the first (a rerun on the same data may have older ones).
    const alert = alerts.alert(`Loop detected: ${AGENT} suspended`).first();
    await expect(alert).toBeVisible();
    await expect(alert).toContainText("extract_invoice");
    await expect(alerts.navLink("Alerts")).toHaveAccessibleDescription(/alerts? not acknowledged/);

    // A person resumes it on the Kill switches page.
    await alert.getByRole("link", { name: "Open kill switches" }).click();
    await page.waitForURL(/\/acme\/kill-switches$/, { timeout: 20_000 });
    const engaged = killSwitches.engaged(AGENT);
    await expect(engaged).toContainText("Loop detected");
    await expect(engaged).toContainText("By system");
    await killSwitches.release(engaged, "Fixed the extractor's retry bug");
    await expect(engaged).toHaveCount(0);

    // Resumed: the directives say so, and the calls before the resume do not halt it again.
    await expect.poll(async () => (await client.heartbeat()).halt, { timeout: 10_000 }).toBe(false);
    const after = await client.decide({ action: call });
    expect(after.directives.halt).toBe(false);
    expect(after.reasons.map((reason) => reason.code)).not.toContain("loop_detected");

    // Acknowledged by the person who looked at it: it leaves the list of alerts needing attention.
    await alerts.goto();
    const open = alerts.alert(`Loop detected: ${AGENT} suspended`);
    await expect(open.first()).toBeVisible();
    const before = await open.count();
    await alerts.acknowledge(open.first());
    await expect(open).toHaveCount(before - 1);
    await client.close();
  });
});
