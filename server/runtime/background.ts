// Work each app process does on its own, besides answering requests: expiring budget
// reservations and approval requests, and delivering webhooks. Every job is safe to run in
// several processes at once (rows are claimed with FOR UPDATE SKIP LOCKED).
import "server-only";
import { ensureApprovalSweep } from "../data/approvals";
import { startComplianceJobs } from "../data/compliance-jobs";
import { startBudgetSweeper } from "../data/budgets";
import { startWebhookWorker, stopWebhookWorker } from "../data/webhook-worker";
import { onShutdown } from "./shutdown";

const globalForBackground = globalThis as unknown as { agentryBackground?: { stopBudgets: () => void } };

export function startBackgroundWork(): void {
  if (globalForBackground.agentryBackground) return;
  const stopBudgets = startBudgetSweeper();
  globalForBackground.agentryBackground = { stopBudgets };
  startWebhookWorker({ publicUrl: process.env.AGENTRY_PUBLIC_URL });
  ensureApprovalSweep();
  const stopCompliance = startComplianceJobs();
  onShutdown(async () => {
    stopCompliance();
    stopBudgets();
    await stopWebhookWorker();
  });
}
