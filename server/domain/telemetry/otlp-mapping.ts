// OTLP/HTTP JSON traces (ExportTraceServiceRequest) → Agentry events. Spans that carry the
// OpenTelemetry GenAI semantic conventions (gen_ai.*) become LLM calls, tool calls and agent
// tasks; other spans become logs. The events then go through the same validation, redaction,
// pricing and deduplication as POST /api/v1/events (the span id is the event id).
import { z } from "zod";
import { identifierText, safeText } from "../text/strings";

// ---------------------------------------------------------------------------------------------
// The request, as OTLP/JSON encodes it: ids are hex strings, 64-bit integers may be strings or
// numbers, enums are integers (names are accepted too).

// z.number().int() stops at 2^53; nanosecond timestamps sent as JSON numbers are above it.
const wholeNumber = z.number().refine(Number.isInteger, "an integer");
const int64 = z.union([wholeNumber, z.string().regex(/^-?\d{1,20}$/, "an integer (as a number or a string of digits)")]);
const unixNano = z
  .union([wholeNumber.refine((value) => value >= 0, "not negative"), z.string().regex(/^\d{1,20}$/, "nanoseconds since the Unix epoch, as digits")])
  .meta({ description: "Nanoseconds since the Unix epoch (uint64, as a string or a number)", example: "1764064800000000000" });

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number | string | null;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: string;
}
export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

export const otlpAnyValueSchema: z.ZodType<OtlpAnyValue> = z
  .object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: int64.optional(),
    // null: what OpenTelemetry JS's JSON exporter sends for NaN and the infinities.
    doubleValue: z
      .union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"])])
      .nullable()
      .optional(),
    get arrayValue() {
      return z.object({ values: z.array(otlpAnyValueSchema).optional() }).optional();
    },
    get kvlistValue() {
      return z.object({ values: z.array(otlpKeyValueSchema).optional() }).optional();
    },
    bytesValue: z.string().optional().meta({ description: "base64" }),
  })
  .meta({ id: "OtlpAnyValue" });

export const otlpKeyValueSchema: z.ZodType<OtlpKeyValue> = z
  .object({
    key: z.string(),
    get value() {
      return otlpAnyValueSchema.optional();
    },
  })
  .meta({ id: "OtlpKeyValue" });

const STATUS_CODE_NAMES = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 } as const;

export const otlpSpanSchema = z
  .object({
    // Ids are compared and stored as they are: checked like the events endpoint's ids. Other
    // strings are free-form and normalised on the way to jsonb (server/domain/telemetry/pg-json.ts).
    traceId: safeText().max(64).optional().meta({ description: "32 hex digits" }),
    spanId: identifierText(64).meta({ description: "16 hex digits; becomes the event id" }),
    parentSpanId: safeText().max(64).optional(),
    name: z.string().optional(),
    kind: z.union([z.number().int(), z.string()]).optional(),
    startTimeUnixNano: unixNano,
    endTimeUnixNano: unixNano.optional(),
    attributes: z.array(otlpKeyValueSchema).optional(),
    status: z
      .object({
        code: z.union([z.number().int().min(0).max(2), z.enum(["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"])]).optional(),
        message: z.string().optional(),
      })
      .optional(),
  })
  .meta({ id: "OtlpSpan" });
export type OtlpSpan = z.infer<typeof otlpSpanSchema>;

const attributesHolder = z.object({ attributes: z.array(otlpKeyValueSchema).optional() });

/**
 * The envelope, around a schema for each span. The API parses spans as `unknown` here and checks
 * them one by one, so one malformed span is reported in `partialSuccess` instead of sinking the
 * others; the OpenAPI document shows them as OtlpSpan.
 */
export function traceRequestSchema<Span extends z.ZodType>(span: Span) {
  return z.object({
    resourceSpans: z
      .array(
        z.object({
          resource: attributesHolder.optional(),
          scopeSpans: z
            .array(
              z.object({
                scope: z.object({ name: z.string().optional(), version: z.string().optional() }).optional(),
                spans: z.array(span).optional(),
              }),
            )
            .optional(),
        }),
      )
      .optional(),
  });
}
export const otlpTraceRequestSchema = traceRequestSchema(z.unknown());
export type OtlpTraceRequest = z.infer<typeof otlpTraceRequestSchema>;

export const otlpTraceResponseSchema = z
  .object({
    partialSuccess: z.object({ rejectedSpans: z.union([z.number().int(), z.string()]).optional(), errorMessage: z.string().optional() }).optional(),
  })
  .meta({ id: "OtlpExportTraceServiceResponse", description: "OTLP's response: empty when every span was accepted" });

// ---------------------------------------------------------------------------------------------
// Attribute values → plain JSON.

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** An AnyValue as plain JSON: 64-bit integers beyond 2^53 stay strings rather than lose digits. */
export function anyValueToJson(value: OtlpAnyValue | undefined): Json {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) {
    const n = Number(value.intValue);
    return Number.isSafeInteger(n) ? n : String(value.intValue);
  }
  // "NaN" and the infinities stay strings: JSON has no such numbers.
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(anyValueToJson);
  if (value.kvlistValue !== undefined) return attributesToJson(value.kvlistValue.values ?? []);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return null;
}

function attributesToJson(list: readonly OtlpKeyValue[]): Record<string, Json> {
  const out: Record<string, Json> = {};
  // defineProperty: a key such as "__proto__" is stored as data, not as the object's prototype.
  for (const { key, value } of list) Object.defineProperty(out, key, { value: anyValueToJson(value), enumerable: true, writable: true, configurable: true });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Spans → events.

export const GEN_AI = {
  operation: "gen_ai.operation.name",
  provider: "gen_ai.provider.name",
  system: "gen_ai.system",
  requestModel: "gen_ai.request.model",
  responseModel: "gen_ai.response.model",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  promptTokens: "gen_ai.usage.prompt_tokens",
  completionTokens: "gen_ai.usage.completion_tokens",
  agentName: "gen_ai.agent.name",
  agentId: "gen_ai.agent.id",
  toolName: "gen_ai.tool.name",
  conversation: "gen_ai.conversation.id",
} as const;

const OPERATION_TYPES: Record<string, "llm_call" | "tool_call" | "task_end"> = {
  chat: "llm_call",
  text_completion: "llm_call",
  generate_content: "llm_call",
  embeddings: "llm_call",
  execute_tool: "tool_call",
  invoke_agent: "task_end",
  create_agent: "task_end",
};

/** What the mapping produces: the input of POST /api/v1/events' per-event validation. */
export interface MappedEvent {
  id: string;
  type: "llm_call" | "tool_call" | "task_end" | "log";
  timestamp: string;
  agent?: string;
  taskId?: string;
  traceId?: string;
  instanceId?: string;
  model?: string;
  provider?: string;
  inputTokens?: number;
  outputTokens?: number;
  latencyMs?: number;
  tool?: string;
  status?: string;
  attributes?: Record<string, Json>;
}

export interface MapOptions {
  /**
   * True for an agent key: the key names the agent, so span and resource attributes do not
   * (they stay in `attributes`). False for an org ingest key: each span must name its agent.
   */
  agentFromKey: boolean;
}

export interface MappedSpans {
  /** In span order across resources and scopes; `spanIndex` is the span's position in that order. */
  events: { spanIndex: number; event: MappedEvent }[];
  rejected: { spanIndex: number; message: string }[];
  spanCount: number;
}

const NANOS_PER_MS = 1_000_000n;

function nanosToMs(value: number | string): bigint {
  return BigInt(typeof value === "number" ? Math.trunc(value) : value) / NANOS_PER_MS;
}

function textOf(value: Json | undefined): string | undefined {
  if (typeof value === "string") return value.trim() === "" ? undefined : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function tokensOf(value: Json | undefined): number | undefined {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** service.name defaults such as "unknown_service:node" name no agent. */
function serviceAgent(resource: Record<string, Json>): string | undefined {
  const name = textOf(resource["service.name"]);
  return name && !name.startsWith("unknown_service") ? name : undefined;
}

function statusCode(span: OtlpSpan): number {
  const code = span.status?.code;
  if (code === undefined) return 0;
  return typeof code === "number" ? code : STATUS_CODE_NAMES[code];
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.map(String).join(".") || "span"}: ${issue.message}`).join("; ");
}

export function mapSpan(span: OtlpSpan, resource: Record<string, Json>, options: MapOptions): MappedEvent | { error: string } {
  const attributes = attributesToJson(span.attributes ?? []);
  const used = new Set<string>();
  const take = (key: string): Json | undefined => {
    if (!Object.hasOwn(attributes, key)) return undefined;
    used.add(key);
    return attributes[key];
  };
  const takeText = (...keys: string[]) => {
    for (const key of keys) {
      const text = textOf(take(key));
      if (text !== undefined) return text;
    }
    return undefined;
  };

  const start = nanosToMs(span.startTimeUnixNano);
  if (start <= 0n) return { error: "startTimeUnixNano: required (nanoseconds since the Unix epoch)" };
  const end = span.endTimeUnixNano === undefined ? undefined : nanosToMs(span.endTimeUnixNano);
  const startDate = new Date(Number(start));
  if (Number.isNaN(startDate.getTime())) return { error: "startTimeUnixNano: out of range" };

  const hasGenAi = Object.keys(attributes).some((key) => key.startsWith("gen_ai."));
  const operation = textOf(attributes[GEN_AI.operation]);
  const model = takeText(GEN_AI.requestModel) ?? takeText(GEN_AI.responseModel);
  const provider = takeText(GEN_AI.provider) ?? takeText(GEN_AI.system);
  const inputTokens = tokensOf(take(GEN_AI.inputTokens)) ?? tokensOf(take(GEN_AI.promptTokens));
  const outputTokens = tokensOf(take(GEN_AI.outputTokens)) ?? tokensOf(take(GEN_AI.completionTokens));
  const tool = takeText(GEN_AI.toolName);
  const taskId = takeText(GEN_AI.conversation);

  let type: MappedEvent["type"] = "log";
  if (operation !== undefined && OPERATION_TYPES[operation]) type = OPERATION_TYPES[operation];
  else if (hasGenAi && tool !== undefined) type = "tool_call";
  else if (hasGenAi && (model !== undefined || inputTokens !== undefined || outputTokens !== undefined)) type = "llm_call";

  let agent: string | undefined;
  if (!options.agentFromKey) {
    agent = takeText(GEN_AI.agentName, GEN_AI.agentId) ?? textOf(resource[GEN_AI.agentName]) ?? textOf(resource[GEN_AI.agentId]) ?? serviceAgent(resource);
    if (agent === undefined) return { error: `agent: an org ingest key needs ${GEN_AI.agentName} or ${GEN_AI.agentId} on the span or its resource, or service.name` };
  }

  const code = statusCode(span);
  const failed = code === 2 || Object.hasOwn(attributes, "error.type");
  const rest: Record<string, Json> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (!used.has(key)) Object.defineProperty(rest, key, { value, enumerable: true, writable: true, configurable: true });
  }
  if (span.name) rest["otel.span.name"] = span.name;
  if (span.parentSpanId) rest["otel.parent_span_id"] = span.parentSpanId;
  if (span.status?.message) rest["otel.status.message"] = span.status.message;

  const event: MappedEvent = { id: span.spanId, type, timestamp: startDate.toISOString() };
  if (agent !== undefined) event.agent = agent;
  if (taskId !== undefined) event.taskId = taskId;
  if (span.traceId) event.traceId = span.traceId;
  const instanceId = textOf(resource["service.instance.id"]);
  if (instanceId !== undefined) event.instanceId = instanceId;
  if (model !== undefined) event.model = model;
  if (provider !== undefined) event.provider = provider;
  if (inputTokens !== undefined) event.inputTokens = inputTokens;
  if (outputTokens !== undefined) event.outputTokens = outputTokens;
  if (end !== undefined && end >= start) event.latencyMs = Number(end - start);
  if (tool !== undefined) event.tool = tool;
  if (failed) event.status = "error";
  else if (code === 1) event.status = "ok";
  if (Object.keys(rest).length > 0) event.attributes = rest;
  return event;
}

/** Maps every span of a request; malformed spans are rejected one by one with a message. */
export function mapTraceRequest(request: OtlpTraceRequest, options: MapOptions): MappedSpans {
  const events: MappedSpans["events"] = [];
  const rejected: MappedSpans["rejected"] = [];
  let spanIndex = 0;
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = attributesToJson(resourceSpans.resource?.attributes ?? []);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const raw of scopeSpans.spans ?? []) {
        const index = spanIndex++;
        const parsed = otlpSpanSchema.safeParse(raw);
        if (!parsed.success) {
          rejected.push({ spanIndex: index, message: describeIssues(parsed.error) });
          continue;
        }
        const mapped = mapSpan(parsed.data, resource, options);
        if ("error" in mapped) rejected.push({ spanIndex: index, message: mapped.error });
        else events.push({ spanIndex: index, event: mapped });
      }
    }
  }
  return { events, rejected, spanCount: spanIndex };
}

/** Counts spans without parsing them, to refuse an oversized request before any work. */
export function countSpans(request: OtlpTraceRequest): number {
  let count = 0;
  for (const resourceSpans of request.resourceSpans ?? []) {
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) count += scopeSpans.spans?.length ?? 0;
  }
  return count;
}
