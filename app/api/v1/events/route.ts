import { authenticateAgent } from "@/server/agent-api/auth";
import { apiHandler, methodNotAllowed, readJsonBody } from "@/server/agent-api/http";
import { ingestEvents } from "@/server/agent-api/ingest";

export const dynamic = "force-dynamic";

export const POST = apiHandler(async (request) => {
  const principal = await authenticateAgent(request);
  const outcome = await ingestEvents(principal, await readJsonBody(request));
  return Response.json(outcome.body, { status: outcome.status });
});

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
