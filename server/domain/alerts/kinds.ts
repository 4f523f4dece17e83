/** What alerts are about; a webhook subscribes to some of them (its `kinds`; empty = all). */
export const ALERT_KINDS = ["budget_threshold", "budget_exhausted", "loop_detected", "kill_switch", "approval_requested", "anomaly", "rollout"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export type AlertSeverity = "info" | "warning" | "critical";

export function isAlertKind(value: string): value is AlertKind {
  return (ALERT_KINDS as readonly string[]).includes(value);
}

/** The kind of the alert a "send test" creates: delivered to the one webhook, never listed as an alert. */
export const TEST_ALERT_KIND = "webhook_test";
