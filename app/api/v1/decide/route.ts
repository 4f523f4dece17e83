import { authenticateAgent, requireAgentKey } from "@/server/agent-api/auth";
import { decide } from "@/server/agent-api/decide";
import { ApiError, apiHandler, methodNotAllowed, readJsonBody, zodDetails } from "@/server/agent-api/http";
import { decideRequestSchema } from "@/server/agent-api/schemas";

export const dynamic = "force-dynamic";

export const POST = apiHandler(async (request) => {
  const principal = await authenticateAgent(request);
  const agent = requireAgentKey(principal);
  const parsed = decideRequestSchema.safeParse(await readJsonBody(request, 64 * 1024));
  if (!parsed.success) throw new ApiError("invalid_request", "The decision request is not valid.", zodDetails(parsed.error));
  return Response.json(await decide(principal, agent, parsed.data));
});

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
