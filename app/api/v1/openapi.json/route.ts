import { apiHandler, methodNotAllowed } from "@/server/agent-api/http";
import { openApiDocument } from "@/server/agent-api/openapi";

// Public, like any API's documentation: it holds no data.
export const GET = apiHandler(async () => Response.json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } }));

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
