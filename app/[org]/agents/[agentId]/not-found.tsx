import { AgentNotFound } from "@/components/agents/agent-not-found";

export default function NotFound() {
  return <AgentNotFound />;
}
