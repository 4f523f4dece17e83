// POST /api/v1/otlp/v1/traces: OTLP/HTTP JSON traces. Spans are mapped to events
// (server/domain/telemetry/otlp-mapping.ts) and stored by the events pipeline: same validation,
// redaction, pricing, deduplication (the span id is the event id) and one transaction per request.
// The answer is OTLP's own: `{}` when every span was taken, `partialSuccess` when some were not.
import "server-only";
import type { IncomingMessage } from "node:http";
import { gunzipSync } from "node:zlib";
import type { OrgFacts } from "../domain/decide/types";
import { countSpans, mapTraceRequest, otlpTraceRequestSchema } from "../domain/telemetry/otlp-mapping";
import type { AgentPrincipal } from "./auth";
import { ApiError, parseJsonText, readBody, zodDetails } from "./http";
import { storeValidEvents, validateBatch } from "./ingest";
import { MAX_BODY_BYTES, MAX_EVENTS_PER_BATCH } from "./schemas";

export interface OtlpExportResponse {
  partialSuccess?: { rejectedSpans: number; errorMessage: string };
}

const JSON_ONLY =
  "Only OTLP/HTTP JSON is supported: send Content-Type: application/json (in OpenTelemetry SDKs, set the exporter protocol to http/json).";

/** The request's JSON, within the same 1 MiB as the events endpoint, before and after gzip. */
export async function readOtlpJson(request: IncomingMessage): Promise<unknown> {
  const contentType = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (contentType !== "" && contentType !== "application/json") throw new ApiError("unsupported_media_type", JSON_ONLY);
  const encoding = (request.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip") throw new ApiError("unsupported_media_type", "Content-Encoding must be gzip or absent.");

  let body = await readBody(request, MAX_BODY_BYTES);
  if (encoding === "gzip" && body.length > 0) {
    try {
      body = gunzipSync(body, { maxOutputLength: MAX_BODY_BYTES });
    } catch (error) {
      if ((error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") {
        throw new ApiError("payload_too_large", `The body is larger than ${MAX_BODY_BYTES} bytes once decompressed; send smaller batches.`);
      }
      throw new ApiError("invalid_request", "The body is not valid gzip.", [{ path: "(body)", message: (error as Error).message }]);
    }
  }
  return parseJsonText(body.toString("utf8"));
}

const MAX_ERROR_MESSAGE = 2000;

export async function ingestOtlpTraces(principal: AgentPrincipal, facts: OrgFacts, payload: unknown, now = new Date()): Promise<OtlpExportResponse> {
  const envelope = otlpTraceRequestSchema.safeParse(payload);
  if (!envelope.success) throw new ApiError("invalid_request", "The body is not an OTLP ExportTraceServiceRequest.", zodDetails(envelope.error));
  const spanCount = countSpans(envelope.data);
  if (spanCount > MAX_EVENTS_PER_BATCH) {
    throw new ApiError("invalid_request", `At most ${MAX_EVENTS_PER_BATCH} spans per request; this one has ${spanCount}.`, [
      { path: "resourceSpans", message: `at most ${MAX_EVENTS_PER_BATCH} spans per request` },
    ]);
  }
  if (spanCount === 0) return {};

  const mapped = mapTraceRequest(envelope.data, { agentFromKey: principal.kind === "agent" });
  const rejected = [...mapped.rejected];
  if (mapped.events.length > 0) {
    const { valid, rejected: invalid } = validateBatch(principal, { events: mapped.events.map(({ event }) => event) }, now);
    for (const rejection of invalid) {
      const spanIndex = mapped.events[rejection.index]?.spanIndex ?? rejection.index;
      rejected.push({ spanIndex, message: rejection.message });
    }
    if (valid.length > 0) await storeValidEvents(principal, facts, valid);
  }
  if (rejected.length === 0) return {};

  rejected.sort((a, b) => a.spanIndex - b.spanIndex);
  let errorMessage = rejected.map(({ spanIndex, message }) => `span ${spanIndex}: ${message}`).join("; ");
  if (errorMessage.length > MAX_ERROR_MESSAGE) errorMessage = `${errorMessage.slice(0, MAX_ERROR_MESSAGE - 1)}…`;
  return { partialSuccess: { rejectedSpans: rejected.length, errorMessage } };
}
