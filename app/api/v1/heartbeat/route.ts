import { authenticateAgent, requireAgentKey } from "@/server/agent-api/auth";
import { recordHeartbeat } from "@/server/agent-api/heartbeat";
import { ApiError, apiHandler, methodNotAllowed, readJsonBody, zodDetails } from "@/server/agent-api/http";
import { heartbeatRequestSchema } from "@/server/agent-api/schemas";

export const dynamic = "force-dynamic";

export const POST = apiHandler(async (request) => {
  const principal = await authenticateAgent(request);
  const agent = requireAgentKey(principal);
  const parsed = heartbeatRequestSchema.safeParse(await readJsonBody(request, 16 * 1024));
  if (!parsed.success) throw new ApiError("invalid_request", "The heartbeat is not valid.", zodDetails(parsed.error));
  return Response.json(await recordHeartbeat(principal.orgId, agent, parsed.data));
});

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
