// AgentryClient: what an agent links to report telemetry, heartbeat, ask before acting and obey
// directives. Telemetry is queued and sent in batches by size or time; the agent is never blocked
// (a full queue drops its oldest events and counts them). Event ids are fixed when an event is
// queued, so a retried batch is deduplicated by the server, never double-counted.
import type { z } from "zod";
import {
  approvalResponseSchema,
  decideResponseSchema,
  directivesSchema,
  errorResponseSchema,
  eventsResponseSchema,
  heartbeatResponseSchema,
  MAX_EVENTS_PER_BATCH,
  type AgentEvent,
  type ApprovalResponse,
  type DecideRequest,
  type DecideResponse,
  type Directives,
  type EventsResponse,
  type HeartbeatRequest,
} from "../server/agent-api/schemas";
import { AgentryApiError } from "./errors";
import { backoffDelay, DEFAULT_RETRY, parseRetryAfter, type RetryOptions } from "./retry";
import { SseParser } from "./sse";

/** An event as an agent hands it over: `id` and `timestamp` are filled in when absent. */
export type TrackEvent = Omit<AgentEvent, "id" | "timestamp"> & { id?: string; timestamp?: string | Date };

export type Rejection = EventsResponse["rejected"][number] & { event: AgentEvent };

export type DecideInput = DecideRequest;

export interface AgentryClientOptions {
  /** Where Agentry listens, e.g. http://localhost:3000. */
  baseUrl: string;
  /** An agent key, or an org ingest key (then every event must name its `agent`). */
  apiKey: string;
  /** Events per request (default 100, at most 1000). A full batch is sent at once. */
  batchSize?: number;
  /** The longest an event waits in the queue before it is sent (default 1000 ms). */
  flushIntervalMs?: number;
  /** Events held at most (default 10 000); beyond it the oldest are dropped and counted in `stats.dropped`. */
  maxQueue?: number;
  retry?: Partial<RetryOptions>;
  /** Per request (default 30 s); long polls add their wait to it. */
  timeoutMs?: number;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
  /** This process's instance id, put on events and heartbeats that carry none (default: random). */
  instanceId?: string;
  /**
   * The agent version this process runs, put on events and heartbeats that carry none until
   * Agentry directs a version (`directives.version`); from then on the directed version's label is
   * what events and heartbeats report (see `onVersion`).
   */
  version?: string;
  /** Events the server refused (a 207's `rejected`, or a whole batch refused with 400). They are not retried. */
  onRejected?: (rejections: Rejection[]) => void;
  /** Anything that went wrong in the background (a batch given up after its retries, a heartbeat, the directives stream). */
  onError?: (error: unknown) => void;
  /** For tests: the random source of backoff jitter. */
  random?: () => number;
}

export interface ClientStats {
  /** Events handed to track(). */
  tracked: number;
  /** Events in requests the server answered with 200 or 207. */
  sent: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Dropped unsent: the queue was full, or track() was called after close(). */
  dropped: number;
  /** Given up after their retries, or refused with a 4xx as a batch. */
  failed: number;
  /** Requests repeated after a retryable failure. */
  retries: number;
  batches: number;
}

type HaltListener = (directives: Directives) => void;

/** The version Agentry tells an instance to run. */
export type DirectedVersion = NonNullable<Directives["version"]>;
type VersionListener = (version: DirectedVersion, instanceId: string) => void;

const SDK_USER_AGENT = "agentry-sdk-ts/0.1";

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

function unref(timer: ReturnType<typeof setTimeout>): void {
  // Background timers must not keep an agent's process alive on their own.
  (timer as { unref?: () => void }).unref?.();
}

export class AgentryClient {
  readonly instanceId: string;
  readonly version: string | undefined;
  /** The last directives any answer carried (null until one arrives). */
  directives: Directives | null = null;
  readonly stats: ClientStats = { tracked: 0, sent: 0, accepted: 0, duplicates: 0, rejected: 0, dropped: 0, failed: 0, retries: 0, batches: 0 };

  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxQueue: number;
  private readonly retry: RetryOptions;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly random: () => number;
  private readonly onRejected?: (rejections: Rejection[]) => void;
  private readonly onError?: (error: unknown) => void;

  private queue: AgentEvent[] = [];
  /** Events that must go out even though they do not fill a batch (the timer fired, or flush() was called). */
  private due = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private closed = false;
  private readonly haltListeners = new Set<HaltListener>();
  private readonly versionListeners = new Set<VersionListener>();
  /** The version directed to each instance this client speaks for, from the answers that named the instance. */
  private readonly directed = new Map<string, DirectedVersion>();
  private haltEpisode: string | null = null;
  private readonly background = new Set<AbortController>();

  constructor(options: AgentryClientOptions) {
    if (!options.baseUrl) throw new Error("AgentryClient: baseUrl is required");
    if (!options.apiKey) throw new Error("AgentryClient: apiKey is required");
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.apiKey = options.apiKey;
    this.batchSize = Math.max(1, Math.min(MAX_EVENTS_PER_BATCH, Math.floor(options.batchSize ?? 100)));
    this.flushIntervalMs = Math.max(0, options.flushIntervalMs ?? 1000);
    this.maxQueue = Math.max(1, Math.floor(options.maxQueue ?? 10_000));
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (!fetchImpl) throw new Error("AgentryClient: no fetch available; pass one in the options");
    this.fetchImpl = fetchImpl;
    this.random = options.random ?? Math.random;
    this.instanceId = options.instanceId ?? `instance-${crypto.randomUUID().slice(0, 8)}`;
    this.version = options.version;
    this.onRejected = options.onRejected;
    this.onError = options.onError;
  }

  /** Events waiting to be sent. */
  get queued(): number {
    return this.queue.length;
  }

  // ---- telemetry -------------------------------------------------------------------------

  /** Queues an event and returns its id. Never blocks and never throws for a full queue. */
  track(input: TrackEvent): string {
    const { timestamp, id, ...rest } = input;
    const event: AgentEvent = {
      ...rest,
      id: id ?? crypto.randomUUID(),
      timestamp: timestamp === undefined ? new Date().toISOString() : typeof timestamp === "string" ? timestamp : timestamp.toISOString(),
    };
    if (event.instanceId === undefined) event.instanceId = this.instanceId;
    if (event.version === undefined) {
      const version = this.runningVersion(event.instanceId);
      if (version !== undefined) event.version = version;
    }
    this.stats.tracked++;
    if (this.closed) {
      this.stats.dropped++;
      return event.id;
    }
    this.queue.push(event);
    if (this.queue.length > this.maxQueue) {
      const excess = this.queue.length - this.maxQueue;
      this.queue.splice(0, excess);
      this.stats.dropped += excess;
    }
    if (this.queue.length >= this.batchSize) void this.kick();
    else this.schedule();
    return event.id;
  }

  /** Sends everything queued now; resolves when those events have been answered (or given up). */
  async flush(): Promise<void> {
    this.clearTimer();
    this.due = this.queue.length;
    for (;;) {
      await this.kick();
      if (this.due <= 0 || this.queue.length === 0) break;
    }
  }

  /** Flushes, stops heartbeats and directive subscriptions. Events tracked afterwards are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    for (const controller of this.background) controller.abort();
    this.background.clear();
    await this.flush();
    this.clearTimer();
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.due = this.queue.length;
      void this.kick();
    }, this.flushIntervalMs);
    unref(this.timer);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One sender at a time: batches go out in order, and a slow server is not flooded. */
  private kick(): Promise<void> {
    if (!this.running) {
      this.running = this.drain().finally(() => {
        this.running = null;
        this.schedule();
      });
    }
    return this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const due = Math.min(this.due, this.queue.length);
      const take = this.queue.length >= this.batchSize ? this.batchSize : due > 0 ? Math.min(due, this.batchSize) : 0;
      if (take === 0) break;
      const batch = this.queue.splice(0, take);
      this.due = Math.max(0, due - take);
      await this.sendBatch(batch);
    }
    this.due = 0;
  }

  private async sendBatch(batch: AgentEvent[]): Promise<void> {
    try {
      const { body } = await this.request("POST", "/api/v1/events", { events: batch }, eventsResponseSchema);
      this.stats.batches++;
      this.stats.sent += batch.length;
      this.stats.accepted += body.accepted;
      this.stats.duplicates += body.duplicates;
      this.stats.rejected += body.rejected.length;
      if (body.rejected.length > 0) this.reportRejected(body.rejected.map((rejection) => this.withEvent(rejection, batch)));
      const instances = new Set(batch.map((event) => event.instanceId));
      const [only] = instances;
      this.applyDirectives(body.directives, instances.size === 1 ? only : undefined);
    } catch (error) {
      if (error instanceof AgentryApiError && error.status === 413 && batch.length > 1) {
        // Too large as one request: the halves keep their ids, so nothing is counted twice.
        const half = Math.ceil(batch.length / 2);
        await this.sendBatch(batch.slice(0, half));
        await this.sendBatch(batch.slice(half));
        return;
      }
      this.stats.failed += batch.length;
      if (error instanceof AgentryApiError && error.status === 400 && error.details?.some((detail) => detail.index !== undefined)) {
        // The server refused every event; say which and why, as for a 207.
        const byIndex = new Map<number, string[]>();
        for (const detail of error.details) {
          if (detail.index === undefined) continue;
          byIndex.set(detail.index, [...(byIndex.get(detail.index) ?? []), `${detail.path}: ${detail.message}`]);
        }
        this.reportRejected([...byIndex].map(([index, messages]) => this.withEvent({ index, code: "invalid_event", message: messages.join("; ") }, batch)));
      }
      this.report(error);
    }
  }

  private withEvent(rejection: EventsResponse["rejected"][number], batch: AgentEvent[]): Rejection {
    const event = batch[rejection.index] ?? { id: "", type: "log", timestamp: "" };
    return { ...rejection, event };
  }

  private reportRejected(rejections: Rejection[]): void {
    if (rejections.length === 0 || !this.onRejected) return;
    try {
      this.onRejected(rejections);
    } catch (error) {
      this.report(error);
    }
  }

  private report(error: unknown): void {
    if (!this.onError) return;
    try {
      this.onError(error);
    } catch {
      // A failing error handler must not take the sender down with it.
    }
  }

  // ---- heartbeats, decisions, approvals ------------------------------------------------------

  /** Tells Agentry this instance is alive; answers the agent's directives. Needs an agent key. */
  async heartbeat(extra: Partial<HeartbeatRequest> = {}): Promise<Directives> {
    const instanceId = extra.instanceId ?? this.instanceId;
    const version = this.runningVersion(instanceId);
    const payload: HeartbeatRequest = {
      instanceId,
      ...(version !== undefined ? { version } : {}),
      // Tells Agentry which directives this instance has applied (the kill-switch page counts acknowledgements).
      ...(this.directives ? { directiveVersion: this.directives.revision } : {}),
      ...extra,
    };
    const { body } = await this.request("POST", "/api/v1/heartbeat", payload, heartbeatResponseSchema);
    this.applyDirectives(body.directives, payload.instanceId);
    return body.directives;
  }

  /** Heartbeats every `intervalMs` (±10 %) in the background until the returned function is called or the client closes. */
  startHeartbeats(intervalMs = 10_000, extra: () => Partial<HeartbeatRequest> = () => ({})): () => void {
    const controller = new AbortController();
    this.background.add(controller);
    const beat = async () => {
      while (!controller.signal.aborted) {
        await this.heartbeat(extra()).catch((error: unknown) => this.report(error));
        await this.pause(intervalMs * (0.9 + 0.2 * this.random()), controller.signal);
      }
    };
    void beat();
    return () => {
      controller.abort();
      this.background.delete(controller);
    };
  }

  /** Asks before acting. A deny is an answer, not an error. */
  async decide(request: DecideInput): Promise<DecideResponse> {
    const instanceId = request.instanceId ?? this.instanceId;
    const version = request.version ?? this.runningVersion(instanceId);
    const payload: DecideRequest = { ...request, instanceId, ...(version !== undefined ? { version } : {}) };
    const { body } = await this.request("POST", "/api/v1/decide", payload, decideResponseSchema);
    this.applyDirectives(body.version ? { ...body.directives, version: body.directives.version ?? body.version } : body.directives, payload.instanceId);
    return body;
  }

  /**
   * Waits for a person to decide an approval (long-polling the server). Resolves with the final
   * status, or with `pending` when `timeoutMs` passes first.
   */
  async waitForApproval(approvalId: string, options: { timeoutMs?: number; pollMs?: number } = {}): Promise<ApprovalResponse> {
    const deadline = Date.now() + (options.timeoutMs ?? 5 * 60_000);
    const pollMs = options.pollMs ?? 25_000;
    let last: ApprovalResponse = { status: "pending" };
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return last;
      const waitMs = Math.max(0, Math.min(remaining, pollMs));
      const started = Date.now();
      const { body } = await this.request("GET", `/api/v1/approvals/${encodeURIComponent(approvalId)}?waitMs=${waitMs}`, undefined, approvalResponseSchema, this.timeoutMs + waitMs);
      last = body;
      if (body.status !== "pending") return body;
      // A server that answers at once (no long poll) is asked again after a second, not in a tight loop.
      const elapsed = Date.now() - started;
      if (elapsed < Math.min(1000, waitMs)) await sleep(Math.min(1000, waitMs) - elapsed);
    }
  }

  // ---- directives ------------------------------------------------------------------------------

  /**
   * Calls `callback` when the agent is told to halt: once per halt episode (a halt and its reason;
   * a new reason or kill switch while halted is a new episode; a resume ends it). Returns an unsubscribe function.
   */
  onHalt(callback: HaltListener): () => void {
    this.haltListeners.add(callback);
    return () => {
      this.haltListeners.delete(callback);
    };
  }

  // ---- versions -------------------------------------------------------------------------------

  /** The version Agentry directs this client's instance (or `instanceId`) to run; undefined until an answer names one. */
  directedVersion(instanceId: string = this.instanceId): DirectedVersion | undefined {
    return this.directed.get(instanceId);
  }

  /** The version label an instance reports on its events and heartbeats: the directed one, else the configured `version`. */
  runningVersion(instanceId: string = this.instanceId): string | undefined {
    return this.directed.get(instanceId)?.label ?? this.version;
  }

  /**
   * Calls `callback(version, instanceId)` when Agentry directs an instance of this client to a
   * different version (a rollout reached it, a rollback, a retirement): load that version's
   * prompt, tools and configuration. Returns the unsubscribe function.
   */
  onVersion(callback: VersionListener): () => void {
    this.versionListeners.add(callback);
    return () => {
      this.versionListeners.delete(callback);
    };
  }

  private applyVersion(version: DirectedVersion | undefined, instanceId: string | undefined): void {
    if (!version || instanceId === undefined) return;
    const previous = this.directed.get(instanceId);
    if (previous?.id === version.id && previous.label === version.label) return;
    this.directed.set(instanceId, version);
    for (const listener of [...this.versionListeners]) {
      try {
        listener(version, instanceId);
      } catch (error) {
        this.report(error);
      }
    }
  }

  private applyDirectives(directives: Directives | null | undefined, instanceId?: string): void {
    if (!directives) return;
    this.directives = directives;
    this.applyVersion(directives.version, instanceId);
    if (!directives.halt) {
      this.haltEpisode = null;
      return;
    }
    const episode = `${directives.reason ?? ""}\u0000${directives.killSwitchId ?? ""}`;
    if (episode === this.haltEpisode) return;
    this.haltEpisode = episode;
    for (const listener of [...this.haltListeners]) {
      try {
        listener(directives);
      } catch (error) {
        this.report(error);
      }
    }
  }

  /**
   * Follows GET /api/v1/directives/stream (Server-Sent Events): `onDirectives` gets the directives
   * on connect and on every change. Reconnects with backoff when the stream ends or fails; stops on
   * a 4xx other than 429 (reported to onError). Returns the unsubscribe function.
   */
  subscribeDirectives(onDirectives: (directives: Directives) => void, options: { instanceId?: string } = {}): () => void {
    const instanceId = options.instanceId ?? this.instanceId;
    const url = `${this.baseUrl}/api/v1/directives/stream?instanceId=${encodeURIComponent(instanceId)}`;
    let acknowledged: number | null = null;
    let acks: Promise<void> = Promise.resolve();
    const controller = new AbortController();
    this.background.add(controller);
    const signal = controller.signal;
    const follow = async () => {
      let attempt = 0;
      let lastEventId = "";
      let serverRetryMs: number | undefined;
      while (!signal.aborted) {
        let waitMs: number | undefined;
        try {
          const response = await this.fetchImpl(url, {
            method: "GET",
            headers: { ...this.headers(), accept: "text/event-stream", ...(lastEventId ? { "last-event-id": lastEventId } : {}) },
            signal,
          });
          if (!response.ok) {
            const error = await this.errorFrom(response);
            if (!error.retryable) {
              this.report(error);
              return;
            }
            waitMs = error.retryAfterMs;
            throw error;
          }
          if (!response.body) throw new AgentryApiError(response.status, "invalid_response", "The directives stream has no body.");
          const parser = new SseParser((message) => {
            attempt = 0; // a working stream resets the backoff
            const directives = this.parseDirectivesMessage(message.data);
            if (!directives) return;
            this.applyDirectives(directives, instanceId);
            try {
              onDirectives(directives);
            } catch (error) {
              this.report(error);
            }
            // Acknowledge a new revision at once (a heartbeat carrying it), in order: the Kill switches page times how fast a halt lands.
            if (directives.revision !== acknowledged) {
              acknowledged = directives.revision;
              acks = acks.then(() =>
                this.heartbeat({ instanceId, directiveVersion: directives.revision }).then(
                  () => undefined,
                  (error: unknown) => this.report(error),
                ),
              );
            }
          });
          const reader = response.body.getReader();
          const decoder = new TextDecoder();
          try {
            for (;;) {
              const { done, value } = await reader.read();
              if (done) break;
              parser.push(decoder.decode(value, { stream: true }));
            }
          } finally {
            lastEventId = parser.lastEventId;
            serverRetryMs = parser.retryMs;
            reader.releaseLock();
          }
        } catch (error) {
          if (signal.aborted) return;
          this.report(error instanceof AgentryApiError ? error : new AgentryApiError(0, "network_error", `The directives stream failed: ${(error as Error).message}`));
        }
        if (signal.aborted) return;
        const delay = waitMs ?? (serverRetryMs ?? this.retry.baseDelayMs) + backoffDelay(attempt, this.retry, this.random);
        attempt++;
        await this.pause(delay, signal);
      }
    };
    void follow();
    return () => {
      controller.abort();
      this.background.delete(controller);
    };
  }

  private parseDirectivesMessage(data: string): Directives | null {
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      return null;
    }
    // The stream may send the directives themselves or wrapped as {directives}.
    const candidate = value && typeof value === "object" && "directives" in value ? (value as { directives: unknown }).directives : value;
    const parsed = directivesSchema.safeParse(candidate);
    return parsed.success ? parsed.data : null;
  }

  // ---- HTTP --------------------------------------------------------------------------------------

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.apiKey}`, "user-agent": SDK_USER_AGENT };
  }

  /** Sleeps, keeping the process alive only while the client is open (background loops stop on close). */
  private async pause(ms: number, signal: AbortSignal): Promise<void> {
    await new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      unref(timer);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    });
  }

  /** One API call with the retry policy: 429 (after Retry-After), 5xx and lost connections are retried with backoff and full jitter. */
  private async request<T>(method: "GET" | "POST", path: string, body: unknown, schema: z.ZodType<T>, timeoutMs = this.timeoutMs): Promise<{ status: number; body: T }> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(method, path, text, schema, timeoutMs);
      } catch (error) {
        if (!(error instanceof AgentryApiError) || !error.retryable || attempt >= this.retry.retries) throw error;
        this.stats.retries++;
        await sleep(error.retryAfterMs ?? backoffDelay(attempt, this.retry, this.random));
      }
    }
  }

  private async once<T>(method: string, path: string, body: string | undefined, schema: z.ZodType<T>, timeoutMs: number): Promise<{ status: number; body: T }> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers: { ...this.headers(), accept: "application/json", ...(body !== undefined ? { "content-type": "application/json" } : {}) },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === "TimeoutError" || name === "AbortError") throw new AgentryApiError(0, "timeout", `${method} ${path} got no answer within ${timeoutMs} ms`);
      throw new AgentryApiError(0, "network_error", `${method} ${path} failed: ${(error as Error).message}`);
    }
    if (!response.ok) throw await this.errorFrom(response);
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw new AgentryApiError(response.status, "invalid_response", `${method} ${path} answered ${response.status} without JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new AgentryApiError(response.status, "invalid_response", `${method} ${path} answered an unexpected shape: ${parsed.error.message}`);
    return { status: response.status, body: parsed.data };
  }

  private async errorFrom(response: Response): Promise<AgentryApiError> {
    const retryAfterMs = response.status === 429 || response.status === 503 ? parseRetryAfter(response.headers.get("retry-after")) : undefined;
    const text = await response.text().catch(() => "");
    let parsed: ReturnType<typeof errorResponseSchema.safeParse> | null = null;
    try {
      parsed = errorResponseSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = null;
    }
    if (parsed?.success) {
      const { code, message, details } = parsed.data.error;
      return new AgentryApiError(response.status, code, message, details, retryAfterMs);
    }
    return new AgentryApiError(response.status, "http_error", `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}`, undefined, retryAfterMs);
  }
}
