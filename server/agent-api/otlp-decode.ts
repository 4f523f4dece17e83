// OTLP/HTTP's two encodings, both optionally gzip-compressed, read into one shape (OTLP/JSON's)
// and answered in the encoding they came in, as the OTLP/HTTP specification asks: protobuf for
// protobuf, JSON for JSON. Pure functions over bytes and header values, so any transport (Next
// route handlers today, node:http tomorrow) calls them the same way.
import { gunzipSync } from "node:zlib";
import { decodeTraceRequestProtobuf, encodeRpcStatusProtobuf, encodeTraceResponseProtobuf, nestingDepth, type TraceResponse } from "../domain/telemetry/otlp-protobuf";
import { ApiError, MAX_JSON_DEPTH, parseJsonText } from "./http";
import { MAX_BODY_BYTES, type ApiErrorCode } from "./schemas";

export type OtlpFormat = "json" | "protobuf";

export const OTLP_CONTENT_TYPES: Record<OtlpFormat, string> = { json: "application/json", protobuf: "application/x-protobuf" };

const MEDIA_TYPES: Record<string, OtlpFormat> = {
  "": "json", // curl without -H; JSON is what we always took
  "application/json": "json",
  "application/x-protobuf": "protobuf",
  "application/protobuf": "protobuf",
};

/** The encoding a Content-Type names; 415 for anything OTLP/HTTP does not define. */
export function otlpFormatOf(contentType: string | null | undefined): OtlpFormat {
  const mediaType = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const format = MEDIA_TYPES[mediaType];
  if (!format) {
    throw new ApiError("unsupported_media_type", `OTLP/HTTP takes Content-Type: application/x-protobuf or application/json, not ${mediaType}.`);
  }
  return format;
}

/** Whether the body is gzip-compressed; 415 for other encodings. */
export function isGzipEncoding(contentEncoding: string | null | undefined): boolean {
  const encoding = (contentEncoding ?? "").trim().toLowerCase();
  if (encoding === "" || encoding === "identity") return false;
  if (encoding === "gzip") return true;
  throw new ApiError("unsupported_media_type", `Content-Encoding must be gzip or absent, not ${encoding}.`);
}

function tooLarge(what: string): ApiError {
  return new ApiError("payload_too_large", `The body is larger than ${MAX_BODY_BYTES} bytes${what}; send smaller batches.`);
}

function gunzip(body: Buffer): Buffer {
  try {
    return gunzipSync(body, { maxOutputLength: MAX_BODY_BYTES });
  } catch (error) {
    if ((error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(" once decompressed");
    throw new ApiError("invalid_request", "The body is not valid gzip.", [{ path: "(body)", message: (error as Error).message }]);
  }
}

/**
 * An OTLP/HTTP trace export's body → the request as OTLP/JSON shapes it (ids as hex, 64-bit
 * integers as strings, attributes as `{key, value: {stringValue | intValue | …}}`), for
 * `otlpTraceRequestSchema`. 415 for a media type or encoding OTLP/HTTP does not define, 413 past
 * 1 MiB before or after gunzip, 400 for a body that does not decode or nests too deep.
 */
export function decodeOtlpTraceRequest(body: Buffer, contentType: string | null | undefined, contentEncoding: string | null | undefined): unknown {
  const format = otlpFormatOf(contentType);
  const gzipped = isGzipEncoding(contentEncoding);
  if (body.length > MAX_BODY_BYTES) throw tooLarge("");
  const bytes = gzipped && body.length > 0 ? gunzip(body) : body;
  if (format === "json") return parseJsonText(bytes.toString("utf8"));

  let request: unknown;
  try {
    request = decodeTraceRequestProtobuf(bytes);
  } catch (error) {
    const message = (error as Error).message;
    throw new ApiError("invalid_request", `The body is not a protobuf ExportTraceServiceRequest: ${message}`, [{ path: "(body)", message }]);
  }
  // The same bound JSON bodies get, so what follows never meets deeper data from either encoding.
  if (nestingDepth(request, MAX_JSON_DEPTH + 1) > MAX_JSON_DEPTH) {
    const message = `nested more than ${MAX_JSON_DEPTH} levels deep`;
    throw new ApiError("invalid_request", `The body is ${message}.`, [{ path: "(body)", message }]);
  }
  return request;
}

export interface OtlpEncodedBody {
  contentType: string;
  /** Backed by a plain ArrayBuffer, so it is a BodyInit for `new Response(…)` as well as a chunk for node:http. */
  body: Uint8Array<ArrayBuffer>;
}

/** The ExportTraceServiceResponse in the request's encoding: `{}` (or empty bytes) when every span was taken. */
export function encodeOtlpTraceResponse(response: TraceResponse, format: OtlpFormat): OtlpEncodedBody {
  const body = format === "protobuf" ? encodeTraceResponseProtobuf(response) : new TextEncoder().encode(JSON.stringify(response));
  return { contentType: OTLP_CONTENT_TYPES[format], body: new Uint8Array(body) };
}

/** gRPC status codes (google.rpc.Code) for our error codes, as OTLP/HTTP's Status body carries them. */
const RPC_CODES: Record<ApiErrorCode, number> = {
  invalid_request: 3, // INVALID_ARGUMENT
  unauthorized: 16, // UNAUTHENTICATED
  forbidden: 7, // PERMISSION_DENIED
  not_found: 5, // NOT_FOUND
  method_not_allowed: 12, // UNIMPLEMENTED
  payload_too_large: 8, // RESOURCE_EXHAUSTED
  unsupported_media_type: 3, // INVALID_ARGUMENT
  rate_limited: 8, // RESOURCE_EXHAUSTED
  internal_error: 13, // INTERNAL
};

/**
 * For a failed protobuf request, the google.rpc.Status body OTLP/HTTP specifies (the HTTP status
 * and headers such as Retry-After stay those of the ApiError). JSON requests keep the API's own
 * `{"error": …}` body, so this is only for `format === "protobuf"`.
 */
export function encodeOtlpErrorStatus(error: ApiError): OtlpEncodedBody {
  return { contentType: OTLP_CONTENT_TYPES.protobuf, body: new Uint8Array(encodeRpcStatusProtobuf({ code: RPC_CODES[error.code], message: error.message })) };
}
