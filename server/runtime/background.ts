// Work each app process does on its own, besides answering requests: expiring budget
// reservations and approval requests, and delivering webhooks. Every job is safe to run in
// several processes at once (rows are claimed with FOR UPDATE SKIP LOCKED).
import "server-only";
import { ensureApprovalSweep } from "../data/approvals";
import { startBudgetSweeper } from "../data/budgets";
import { evaluateRollouts } from "../data/rollouts";
import { startWebhookWorker, stopWebhookWorker } from "../data/webhook-worker";
import { onShutdown } from "./shutdown";

const globalForBackground = globalThis as unknown as { agentryBackground?: { stopBudgets: () => void } };

export function startBackgroundWork(): void {
  if (globalForBackground.agentryBackground) return;
  const stopBudgets = startBudgetSweeper();
  globalForBackground.agentryBackground = { stopBudgets };
  startWebhookWorker({ publicUrl: process.env.AGENTRY_PUBLIC_URL });
  ensureApprovalSweep();
  // TEMPORARY (lifecycle branch only): rollouts are judged every 5 s until the job queue runs evaluateRollouts.
  let evaluating = false;
  const rolloutTimer = setInterval(() => {
    if (evaluating) return;
    evaluating = true;
    void evaluateRollouts()
      .catch((error: unknown) => console.error("rollout evaluation failed:", error instanceof Error ? error.message : error))
      .finally(() => {
        evaluating = false;
      });
  }, 5000);
  rolloutTimer.unref();
  onShutdown(async () => {
    clearInterval(rolloutTimer);
    stopBudgets();
    await stopWebhookWorker();
  });
}
