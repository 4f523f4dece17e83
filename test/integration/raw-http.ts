// A raw HTTP client for tests that must send what fetch will not: any method, any header, a body
// of any bytes, with or without Content-Length, larger than the server reads. It always resolves
// with what the server answered (a server that stops reading a body it refused still answers),
// and rejects only when no answer came at all. Streams (text/event-stream) are cut after their
// headers and first bytes, so a 200 stream does not hold a test open.
import http from "node:http";
import { errorResponseSchema } from "../../server/agent-api/schemas";
import { decodeRpcStatusProtobuf } from "../../server/domain/telemetry/otlp-protobuf";

export interface RawRequest {
  method: string;
  /** Path and query, sent as they are (not normalised or encoded). */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Send the body chunked, without Content-Length (the server cannot refuse it up front). */
  chunked?: boolean;
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The body as text (UTF-8). */
  text: string;
}

const agent = new http.Agent({ keepAlive: false });

export function send(baseUrl: string, request: RawRequest, timeoutMs = 15_000): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, "utf8");
  const headers: Record<string, string | number> = { ...request.headers };
  if (body && !request.chunked) headers["content-length"] = body.length;
  if (request.chunked) headers["transfer-encoding"] = "chunked";
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, answer?: RawAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(answer as RawAnswer);
    };
    const outgoing = http.request({ agent, hostname, port, method: request.method, path: request.path, headers, setHost: true }, (response) => {
      const chunks: Buffer[] = [];
      const streaming = String(response.headers["content-type"] ?? "").startsWith("text/event-stream");
      const done = () => {
        const buffer = Buffer.concat(chunks);
        finish(null, { status: response.statusCode ?? 0, headers: response.headers, body: buffer, text: buffer.toString("utf8") });
      };
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        if (streaming) {
          done();
          response.destroy();
        }
      });
      response.on("end", done);
      response.on("error", done);
      response.on("close", done);
    });
    const timer = setTimeout(() => {
      outgoing.destroy();
      finish(new Error(`no answer to ${request.method} ${request.path.slice(0, 120)} within ${timeoutMs} ms`));
    }, timeoutMs);
    // The server may close the connection after answering a body it refused: the answer counts, the write error does not.
    outgoing.on("error", (error) => setTimeout(() => finish(error), 50));
    if (body) {
      if (request.chunked) {
        for (let offset = 0; offset < body.length; offset += 64 * 1024) outgoing.write(body.subarray(offset, offset + 64 * 1024));
        outgoing.end();
      } else outgoing.end(body);
    } else outgoing.end();
  });
}

const STATUS_OF_CODE: Record<string, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
};

/**
 * Why `answer` is not a refusal in the agent API's documented shape (`{"error":{"code","message",
 * "details?"}}` as JSON, with the status its code stands for), or null when it is one.
 */
export function apiRefusalProblem(answer: RawAnswer): string | null {
  if (answer.status < 400 || answer.status > 499) return `status ${answer.status}, not a 4xx`;
  if (!String(answer.headers["content-type"] ?? "").startsWith("application/json")) return `content-type ${answer.headers["content-type"]}`;
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    return `body is not JSON: ${answer.text.slice(0, 200)}`;
  }
  const parsed = errorResponseSchema.strict().safeParse(json);
  if (!parsed.success) return `body is not the error shape: ${answer.text.slice(0, 300)}`;
  const expected = STATUS_OF_CODE[parsed.data.error.code];
  if (expected !== answer.status) return `code ${parsed.data.error.code} with status ${answer.status}`;
  if (parsed.data.error.message.trim() === "") return "empty message";
  return null;
}

/** The same for a refused protobuf OTLP export: a google.rpc.Status in protobuf, with a message. */
export function otlpStatusProblem(answer: RawAnswer): string | null {
  if (answer.status < 400 || answer.status > 499) return `status ${answer.status}, not a 4xx`;
  if (answer.headers["content-type"] !== "application/x-protobuf") return `content-type ${answer.headers["content-type"]}`;
  try {
    const status = decodeRpcStatusProtobuf(answer.body);
    if (!Number.isInteger(status.code) || status.code <= 0) return `google.rpc.Status code ${status.code}`;
    if (status.message.trim() === "") return "google.rpc.Status without a message";
  } catch (error) {
    return `body is not a google.rpc.Status: ${(error as Error).message}`;
  }
  return null;
}
