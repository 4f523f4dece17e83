// The SDK's one error type: what the API answered (docs/agent-api.md, "Errors"), or why it never answered.
import type { ApiErrorBody, ApiErrorCode } from "../server/agent-api/schemas";

export type AgentryErrorCode = ApiErrorCode | "network_error" | "timeout" | "invalid_response" | "http_error";
export type AgentryErrorDetail = NonNullable<ApiErrorBody["error"]["details"]>[number];

export class AgentryApiError extends Error {
  override readonly name = "AgentryApiError";

  constructor(
    /** The HTTP status; 0 when no answer arrived (network error, timeout). */
    readonly status: number,
    readonly code: AgentryErrorCode,
    message: string,
    readonly details?: AgentryErrorDetail[],
    /** From a 429's Retry-After. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  /** Rate limits, the server's own failures and lost connections are worth another try; anything else is the caller's to fix. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}
