import { authenticateAgent, requireAgentKey } from "@/server/agent-api/auth";
import { openDirectivesStream, streamInstanceId } from "@/server/agent-api/directives-stream";
import { ApiError, apiHandler, methodNotAllowed } from "@/server/agent-api/http";

export const dynamic = "force-dynamic";

/** Server-Sent Events: the agent's directives on connect and on every change (see directives-stream.ts). */
export const GET = apiHandler(async (request) => {
  const principal = await authenticateAgent(request);
  const agent = requireAgentKey(principal);
  const instanceId = streamInstanceId(request);
  if (instanceId === "") {
    throw new ApiError("invalid_request", "instanceId must be 1–200 characters.", [{ path: "instanceId", message: "1–200 characters, no NUL" }]);
  }
  // Without an instance id, every stream of the key counts as one instance ("default").
  return openDirectivesStream(request, { orgId: principal.orgId, agent, instanceId: instanceId ?? "default", keyId: principal.keyId });
});

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
