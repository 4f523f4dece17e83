import { ApiError, apiHandler, errorResponse } from "@/server/agent-api/http";

// The agent API answers JSON, never HTML: unknown paths under /api/v1 get the API's 404.
const notFound = apiHandler(async (request) =>
  errorResponse(new ApiError("not_found", `There is no ${request.method} ${new URL(request.url).pathname} in the agent API.`)),
);

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
