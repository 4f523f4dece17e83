// @agentry/sdk: the TypeScript client for Agentry's agent API (see sdk/README.md).
export { AgentryClient } from "./client";
export type { AgentryClientOptions, ClientStats, DecideInput, DirectedVersion, Rejection, TrackEvent } from "./client";
export { AgentryApiError } from "./errors";
export type { AgentryErrorCode, AgentryErrorDetail } from "./errors";
export { backoffDelay, DEFAULT_RETRY, parseRetryAfter } from "./retry";
export type { RetryOptions } from "./retry";
export { SseParser } from "./sse";
export type { SseMessage } from "./sse";
export type { AgentEvent, ApprovalResponse, DecideRequest, DecideResponse, Directives, EventsResponse, HeartbeatRequest } from "../server/agent-api/schemas";
