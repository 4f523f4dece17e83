// Which stored telemetry events count as tool calls for loop detection: tool_call events that name
// their tool; the arguments are `attributes.arguments` when reported (the call is hashed by name alone otherwise).
export interface ToolCallEventLike {
  type: string;
  agentId: string;
  tool: string | null;
  attributes: unknown;
  ts: Date;
}

export interface ReportedToolCall {
  agentId: string;
  tool: string;
  arguments: unknown;
  at: Date;
}

export function reportedToolCalls(events: readonly ToolCallEventLike[]): ReportedToolCall[] {
  const calls: ReportedToolCall[] = [];
  for (const event of events) {
    if (event.type !== "tool_call" || !event.tool) continue;
    const attributes = event.attributes;
    const args = attributes !== null && typeof attributes === "object" && !Array.isArray(attributes) ? (attributes as Record<string, unknown>).arguments : undefined;
    calls.push({ agentId: event.agentId, tool: event.tool, arguments: args, at: event.ts });
  }
  return calls;
}
