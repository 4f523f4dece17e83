import { getApproval } from "@/server/agent-api/approvals";
import { authenticateAgent, requireAgentKey } from "@/server/agent-api/auth";
import { apiHandler, methodNotAllowed } from "@/server/agent-api/http";

export const dynamic = "force-dynamic";

/** Only the agent that asked may read (and wait on) its approval: an agent key, not an ingest key. */
export const GET = apiHandler(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const principal = await authenticateAgent(request);
  const agent = requireAgentKey(principal);
  const { id } = await params;
  const body = await getApproval(principal, agent, id, new URL(request.url).searchParams.get("waitMs"), request.signal);
  return Response.json(body, { headers: { "Cache-Control": "no-store" } });
});

export const POST = methodNotAllowed("GET");
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
