// A telemetry event as the agent API accepts it (validated by eventSchema in
// server/agent-api/schemas.ts, which is checked against this type), and the event types.

export const EVENT_TYPES = ["llm_call", "tool_call", "task_start", "task_end", "decision", "error", "log"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface AgentEvent {
  id: string;
  type: EventType;
  timestamp: string;
  agent?: string;
  taskId?: string;
  traceId?: string;
  instanceId?: string;
  version?: string;
  model?: string;
  provider?: string;
  inputTokens?: number;
  outputTokens?: number;
  /** US dollars, as a number or a decimal string. */
  costUsd?: number | string;
  latencyMs?: number;
  tool?: string;
  status?: string;
  decisionId?: string;
  attributes?: Record<string, unknown>;
}
