// The app's own log lines: one JSON object per line, so a log shipper can read them and one
// failing request is one line, not a stack trace per request. A server error's stack is added
// only with AGENTRY_LOG_STACKS=on; the request id ties the line to what the client was told.
import { randomUUID } from "node:crypto";
import { runtimeEnv } from "../env";

type Fields = Record<string, unknown>;

function write(stream: NodeJS.WriteStream, fields: Fields): void {
  stream.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);
}

export function logInfo(message: string, fields: Fields = {}): void {
  write(process.stdout, { level: "info", message, ...fields });
}

export function logWarning(message: string, fields: Fields = {}): void {
  write(process.stderr, { level: "warn", message, ...fields });
}

/**
 * One line for a failure outside a request's answer (a background job, a listener, a stream): what
 * failed, its context, and the error described as for a server error.
 */
export function logError(message: string, { error, ...fields }: Fields & { error?: unknown } = {}): void {
  write(process.stderr, { level: "error", message, ...fields, ...(error === undefined ? {} : describeError(error, stacksLogged())) });
}

/** An id for a request that arrived without a usable one (see REQUEST_ID_HEADER). */
export function newRequestId(): string {
  return randomUUID();
}

export const REQUEST_ID_HEADER = "x-request-id";

/** A request id from a load balancer is kept if it is a plain token; anything else is replaced. */
export function usableRequestId(value: string | null | undefined): string | null {
  return value && /^[A-Za-z0-9._:-]{8,128}$/.test(value) ? value : null;
}

function describeError(error: unknown, withStack: boolean): Fields {
  if (!(error instanceof Error)) return { error: { message: String(error) } };
  const out: Fields = { name: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") out.code = code;
  if (error.cause !== undefined) out.cause = describeError(error.cause, withStack).error;
  if (withStack && error.stack) out.stack = error.stack;
  return { error: out };
}

export interface ServerErrorContext {
  requestId: string;
  method?: string;
  path?: string;
  error: unknown;
  /** More context, such as the tRPC procedure. */
  [field: string]: unknown;
}

/**
 * One line for one server error (a 500): what failed, where, and the request id the client was
 * given. For every door into the app: tRPC, route handlers and pages, and the agent API's server.
 */
export function logServerError({ requestId, method, path, ...rest }: ServerErrorContext): void {
  logError("server error", { requestId, method, path, ...rest });
}

function stacksLogged(): boolean {
  try {
    return runtimeEnv().AGENTRY_LOG_STACKS;
  } catch {
    // A broken setting must not hide the error being logged.
    return false;
  }
}
