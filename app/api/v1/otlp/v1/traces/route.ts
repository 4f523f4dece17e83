import { authenticateAgent } from "@/server/agent-api/auth";
import { apiHandler, methodNotAllowed } from "@/server/agent-api/http";
import { ingestOtlpTraces, readOtlpJson } from "@/server/agent-api/otlp";

export const dynamic = "force-dynamic";

export const POST = apiHandler(async (request) => {
  const principal = await authenticateAgent(request);
  return Response.json(await ingestOtlpTraces(principal, await readOtlpJson(request)));
});

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
