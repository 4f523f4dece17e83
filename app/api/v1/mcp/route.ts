import { apiHandler } from "@/server/agent-api/http";
import { handleMcpPost, mcpMethodNotAllowed } from "@/server/agent-api/mcp";

export const dynamic = "force-dynamic";

// MCP over Streamable HTTP (stateless), authenticated with the agent key: see server/agent-api/mcp.ts.
export const POST = apiHandler(handleMcpPost);
export const GET = apiHandler(async () => mcpMethodNotAllowed());
export const DELETE = GET;
