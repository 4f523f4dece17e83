import { createTRPCContext } from "@/server/api/context";
import { handleTrpcRequest } from "@/server/api/http-handler";

const handler = (request: Request) => handleTrpcRequest(request, createTRPCContext);

export { handler as GET, handler as POST };
