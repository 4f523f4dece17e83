// The agent API's HTTP plumbing over node:http: bounded bodies, JSON parsing that refuses
// pathological input with a 400, the error shape of the agent API, request ids, and one structured
// log line for anything unexpected (never a stack trace per request, never HTML).
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import { newRequestId, REQUEST_ID_HEADER, usableRequestId } from "../runtime/log";
import { MAX_BODY_BYTES, type ApiErrorBody, type ApiErrorCode } from "./schemas";

export { logServerError } from "../runtime/log";

type Detail = NonNullable<ApiErrorBody["error"]["details"]>[number];

const STATUS: Record<ApiErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
};

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: Detail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export function errorBody(error: ApiError): ApiErrorBody {
  return { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
}

export function errorStatus(error: ApiError): number {
  return STATUS[error.code];
}

/** zod issues as `details`: the field's path, and the event's index where there is one. */
export function zodDetails(error: z.ZodError, prefix: (string | number)[] = []): Detail[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    const indexAt = path.indexOf("events");
    const index = indexAt >= 0 && typeof path[indexAt + 1] === "number" ? (path[indexAt + 1] as number) : undefined;
    return { path: path.map(String).join(".") || "(body)", message: issue.message, ...(index !== undefined ? { index } : {}) };
  });
}

/** Deeper JSON than this is refused: no real payload needs it, and it would exhaust stacks further on. */
export const MAX_JSON_DEPTH = 64;

/** The deepest nesting of arrays and objects in JSON text (strings skipped); stops counting past `stopAt`. */
export function jsonDepth(text: string, stopAt = MAX_JSON_DEPTH + 1): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest >= stopAt) return deepest;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** Parses JSON text from a client: every failure is a 400 naming the problem. */
export function parseJsonText(text: string): unknown {
  if (text.trim() === "") throw new ApiError("invalid_request", "The request has no body; send JSON.", [{ path: "(body)", message: "empty" }]);
  // Checked before parsing: the parser itself can run out of stack on pathological nesting.
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    const message = `nested more than ${MAX_JSON_DEPTH} levels deep`;
    throw new ApiError("invalid_request", `The body is ${message}.`, [{ path: "(body)", message }]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    throw new ApiError("invalid_request", `The body is not valid JSON: ${message}`, [{ path: "(body)", message }]);
  }
}

export function tooLarge(limit: number): ApiError {
  return new ApiError("payload_too_large", `The body is larger than ${limit} bytes; send smaller batches.`);
}

/** Reads the raw body, refusing with 413 as soon as it passes `limit` bytes (it reads no further). */
export function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error: unknown, body?: Buffer) => {
      if (done) return;
      done = true;
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onError);
      if (error) reject(error);
      else resolve(body as Buffer);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop reading; the answer closes the connection.
        request.pause();
        finish(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(null, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    const onError = (error: Error) => finish(error);
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onError);
  });
}

/**
 * Why a request's headers say its body is not JSON we read (415), or null. JSON is taken as
 * `application/json` or any `+json` type, in UTF-8 (RFC 8259), not compressed; no Content-Type
 * at all counts as JSON, as it always did. Anything else would be read as something it is not.
 */
export function jsonMediaTypeProblem(contentType: string | undefined, contentEncoding: string | undefined): string | null {
  const encoding = (contentEncoding ?? "").trim().toLowerCase();
  if (encoding !== "" && encoding !== "identity") return `Content-Encoding ${encoding} is not taken here; send the JSON uncompressed.`;
  if (contentType === undefined || contentType.trim() === "") return null;
  const [mediaType = "", ...parameters] = contentType.split(";").map((part) => part.trim().toLowerCase());
  if (mediaType !== "application/json" && !/^application\/[a-z0-9.!#$&^_+-]+\+json$/.test(mediaType)) {
    return `Content-Type ${mediaType || "(empty)"} is not taken here; send application/json.`;
  }
  for (const parameter of parameters) {
    if (parameter === "") continue;
    const [name, value = ""] = parameter.split("=").map((part) => part.trim().replace(/^"|"$/g, ""));
    if (name === "charset" && value !== "utf-8" && value !== "utf8") return `charset ${value} is not taken here; JSON is sent as UTF-8.`;
  }
  return null;
}

/** Reads a JSON body within `limit` bytes (413 beyond it; 415 when the headers say it is not JSON). */
export async function readJsonBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
  };
  const problem = jsonMediaTypeProblem(header("content-type"), header("content-encoding"));
  if (problem) throw new ApiError("unsupported_media_type", problem);
  return parseJsonText((await readBody(request, limit)).toString("utf8"));
}

/** A request id: the caller's `X-Request-Id` (a load balancer's) when it is a sane token, a fresh one otherwise. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return usableRequestId(typeof given === "string" ? given : null) ?? newRequestId();
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    ...headers,
  });
  response.end(text);
}

export function sendBytes(response: ServerResponse, status: number, contentType: string, body: Uint8Array, headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, { "Content-Type": contentType, "Content-Length": body.byteLength, "Cache-Control": "no-store", ...headers });
  response.end(body);
}

export function sendError(response: ServerResponse, error: ApiError, extraHeaders: Record<string, string> = {}): void {
  sendJson(response, errorStatus(error), errorBody(error), { ...error.headers, ...extraHeaders });
}

export const INTERNAL_ERROR = () => new ApiError("internal_error", "Something went wrong on our side; the request can be retried safely.");
