// The agent API's HTTP plumbing: bounded JSON bodies, the error shape of DESIGN.md, and a wrapper
// that turns anything unexpected into a logged 500 instead of an HTML page.
import "server-only";
import type { z } from "zod";
import { MAX_BODY_BYTES, type ApiErrorBody, type ApiErrorCode } from "./schemas";

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

export function errorResponse(error: ApiError): Response {
  const body: ApiErrorBody = { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
  return Response.json(body, { status: STATUS[error.code], headers: error.headers });
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

/** Reads the raw body, refusing with 413 as soon as it passes `limit` bytes (it reads no further). */
export async function readBody(request: Request, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
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
      if (c === 0x5c) i++; // backslash: skip the escaped character
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

/** Reads a JSON body within `limit` bytes (413 beyond it, reading no further). */
export async function readJsonBody(request: Request, limit = MAX_BODY_BYTES): Promise<unknown> {
  return parseJsonText((await readBody(request, limit)).toString("utf8"));
}

function tooLarge(limit: number): ApiError {
  return new ApiError("payload_too_large", `The body is larger than ${limit} bytes; send smaller batches.`);
}

/** For the methods a route does not serve: the API's JSON error instead of an empty 405. */
export function methodNotAllowed(allow: string) {
  return apiHandler(async (request) =>
    errorResponse(new ApiError("method_not_allowed", `${request.method} is not supported here; use ${allow}.`, undefined, { Allow: allow })),
  );
}

/** Every /api/v1 handler runs inside this: a client never gets HTML, and never a bare 500 for its own input. */
export function apiHandler<Args extends unknown[]>(handler: (request: Request, ...args: Args) => Promise<Response>) {
  return async (request: Request, ...args: Args): Promise<Response> => {
    try {
      return await handler(request, ...args);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error);
      console.error(`agent API ${request.method} ${new URL(request.url).pathname}:`, error);
      return errorResponse(new ApiError("internal_error", "Something went wrong on our side; the request can be retried safely."));
    }
  };
}
