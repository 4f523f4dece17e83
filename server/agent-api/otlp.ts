// POST /api/v1/otlp/v1/traces: OTLP/HTTP traces, JSON or protobuf, optionally gzip-compressed
// (decoded in ./otlp-decode.ts). Spans are mapped to events (server/domain/telemetry/otlp-mapping.ts)
// and stored by the events pipeline: same validation, redaction, pricing, deduplication (the span
// id is the event id) and one transaction per request. The answer is OTLP's own: empty when every
// span was taken, `partialSuccess` when some were not, in the encoding the request came in.
import "server-only";
import type { IncomingMessage } from "node:http";
import type { OrgFacts } from "../domain/decide/types";
import { countSpans, mapTraceRequest, otlpTraceRequestSchema } from "../domain/telemetry/otlp-mapping";
import type { AgentPrincipal } from "./auth";
import { ApiError, readBody, zodDetails } from "./http";
import { storeValidEvents, validateBatch } from "./ingest";
import { decodeOtlpTraceRequest, encodeOtlpErrorStatus, encodeOtlpTraceResponse, isGzipEncoding, otlpFormatOf, type OtlpEncodedBody, type OtlpFormat } from "./otlp-decode";
import { MAX_BODY_BYTES, MAX_EVENTS_PER_BATCH } from "./schemas";

export interface OtlpExportResponse {
  partialSuccess?: { rejectedSpans: number; errorMessage: string };
}

const header = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The encoding an export came in (JSON unless it says protobuf), read before anything else so errors can answer in it. */
export function otlpFormatOfRequest(request: IncomingMessage): OtlpFormat {
  try {
    return otlpFormatOf(header(request, "content-type"));
  } catch {
    return "json";
  }
}

/**
 * Reads an OTLP/HTTP trace export: its payload in OTLP/JSON's shape, within the same 1 MiB as the
 * events endpoint before and after gzip. The media type and encoding are checked (415) before a
 * byte of the body is read.
 */
export async function readOtlpRequest(request: IncomingMessage): Promise<unknown> {
  const contentType = header(request, "content-type");
  const contentEncoding = header(request, "content-encoding");
  otlpFormatOf(contentType);
  isGzipEncoding(contentEncoding);
  const body = await readBody(request, MAX_BODY_BYTES);
  return decodeOtlpTraceRequest(body, contentType, contentEncoding);
}

/** The answer to an export, in the encoding of its request (OTLP/HTTP: protobuf for protobuf, JSON for JSON). */
export function otlpAnswer(format: OtlpFormat, result: OtlpExportResponse): OtlpEncodedBody {
  return encodeOtlpTraceResponse(result, format);
}

/** A refusal of a protobuf export, as OTLP/HTTP wants it: a google.rpc.Status body. */
export function otlpErrorAnswer(error: ApiError): OtlpEncodedBody {
  return encodeOtlpErrorStatus(error);
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
