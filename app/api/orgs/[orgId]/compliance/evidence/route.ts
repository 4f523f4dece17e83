// GET /api/orgs/:orgId/compliance/evidence?scope=org|team|agent&id=&from=&to=&format=zip|html: the
// evidence pack (a zip of evidence.json, controls.csv, oscal-assessment-results.json, evidence.html
// and manifest.json), or its printable page alone. Rules in server/data/evidence.ts.
import { auth } from "@/server/auth";
import { exportEvidencePack } from "@/server/data/evidence";
import { getDb } from "@/server/db";

export const dynamic = "force-dynamic";

function jsonError(status: number, code: string, message: string, details?: unknown): Response {
  return Response.json({ error: { code, message, ...(details === undefined ? {} : { details }) } }, { status, headers: { "Cache-Control": "no-store" } });
}

export async function GET(request: Request, { params }: { params: Promise<{ orgId: string }> }): Promise<Response> {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return jsonError(401, "unauthorized", "Sign in first.");
  const { orgId } = await params;
  const result = await exportEvidencePack(getDb(), userId, orgId, new URL(request.url).searchParams);
  switch (result.kind) {
    case "forbidden":
      return jsonError(403, "forbidden", result.message);
    case "invalid":
      return jsonError(400, "invalid_request", result.message, result.details);
    case "not_found":
      return jsonError(404, "not_found", result.message);
    case "empty":
      return jsonError(422, "empty_period", result.message);
    case "ok":
      return new Response(Buffer.from(result.body), {
        status: 200,
        headers: {
          "Content-Type": result.contentType,
          "Content-Disposition": `${result.contentType.startsWith("text/html") ? "inline" : "attachment"}; filename="${result.filename}"`,
          "Cache-Control": "no-store",
          "X-Evidence-Export-Seq": String(result.exportEntry.seq),
          "X-Evidence-Export-Hash": result.exportEntry.hash,
        },
      });
  }
}
