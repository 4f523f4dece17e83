// GET /api/orgs/:orgId/audit/export?from=&to=: the org's audit trail as NDJSON, one canonical
// JSON entry (hash included) per line in sequence order, for `npm run audit:verify`. Team leads
// get only their teams' entries (a partial export: verify with --partial). The rules are in
// server/data/audit-export.ts; this adds the session and the streaming.
import { auth } from "@/server/auth";
import { startAuditExport } from "@/server/data/audit-export";
import { getDb } from "@/server/db";
import { logError } from "@/server/runtime/log";

export const dynamic = "force-dynamic";

function jsonError(status: number, code: string, message: string, details?: unknown): Response {
  return Response.json({ error: { code, message, ...(details === undefined ? {} : { details }) } }, { status, headers: { "Cache-Control": "no-store" } });
}

/** Lines are batched into chunks so a large export is not one write per entry. */
const LINES_PER_CHUNK = 500;

function streamLines(lines: AsyncGenerator<string>, orgId: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        let chunk = "";
        for (let count = 0; count < LINES_PER_CHUNK; count += 1) {
          const next = await lines.next();
          if (next.done) {
            if (chunk) controller.enqueue(encoder.encode(chunk));
            controller.close();
            return;
          }
          chunk += next.value;
        }
        controller.enqueue(encoder.encode(chunk));
      } catch (error) {
        // The download ends early and the file fails verification; the cause goes to the log.
        logError("audit export failed while streaming", { orgId, error });
        controller.error(error);
      }
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
}

export async function GET(request: Request, { params }: { params: Promise<{ orgId: string }> }): Promise<Response> {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return jsonError(401, "unauthorized", "Sign in first.");

  const { orgId } = await params;
  const result = await startAuditExport(getDb(), userId, orgId, new URL(request.url).searchParams);
  if (result.kind === "forbidden") return jsonError(403, "forbidden", result.message);
  if (result.kind === "invalid") return jsonError(400, "invalid_request", result.message, result.details);

  return new Response(streamLines(result.lines, orgId), {
    status: 200,
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="${result.filename}"`,
      "Cache-Control": "no-store",
      "X-Audit-Export-Scope": result.scope,
    },
  });
}
