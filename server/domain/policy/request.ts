// A decision request as Cedar sees it: principal, action, resource, context and the entities they
// need. Pure; the mapping of arguments is documented in server/policy/schema.ts.
import type { CedarValueJson, EntityJson, TypeAndId } from "@cedar-policy/cedar-wasm/nodejs";
import { usdToMicros } from "../cost/money";
import { RESOURCE_TYPE, type ActionType } from "./vocabulary";

export interface PolicyRequest {
  agent: {
    id: string;
    name: string;
    teamId: string | null;
    teamName: string | null;
    tags: string[];
    riskClass: string | null;
    /** The agent's registered tools, models and data categories; the engine loads them when absent. */
    tools?: string[];
    models?: string[];
    dataCategories?: string[];
  };
  action: { type: ActionType; name: string; arguments: Record<string, unknown> };
  dataClasses: string[];
  estimatedCostUsd: string | null;
  now: Date;
}

/** What policies can read about an agent. */
export interface AgentFacts {
  name: string;
  teamName: string | null;
  tags: readonly string[];
  riskClass: string | null;
  tools: readonly string[];
  models: readonly string[];
  dataCategories: readonly string[];
}

export interface CedarRequest {
  principal: TypeAndId;
  action: TypeAndId;
  resource: TypeAndId;
  context: Record<string, CedarValueJson>;
  entities: EntityJson[];
}

const DECIMAL_SCALE = 10_000n;
const DECIMAL_LIMIT = 9_223_372_036_854_775_807n; // i64::MAX in ten-thousandths

/**
 * A number (or a string that is a plain decimal number) as the text of a Cedar decimal: four
 * fractional digits, rounded half away from zero, clamped to Cedar's range. Null when it is not
 * a number.
 */
export function cedarDecimal(value: unknown): string | null {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null;
    text = Math.abs(value) >= 1e15 ? BigInt(Math.trunc(value)).toString() : value.toFixed(8);
  } else if (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
    text = value.trim();
  } else {
    return null;
  }
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const [, sign = "", whole = "0", fraction = ""] = match;
  const digits = `${fraction}00000`;
  let scaled = BigInt(whole) * DECIMAL_SCALE + BigInt(digits.slice(0, 4));
  if (Number(digits[4]) >= 5) scaled += 1n;
  if (scaled > DECIMAL_LIMIT) scaled = DECIMAL_LIMIT;
  const negative = sign === "-" && scaled !== 0n;
  return `${negative ? "-" : ""}${scaled / DECIMAL_SCALE}.${(scaled % DECIMAL_SCALE).toString().padStart(4, "0")}`;
}

function agentEntity(facts: AgentFacts): EntityJson {
  return {
    uid: { type: "Agent", id: facts.name },
    attrs: {
      name: facts.name,
      team: facts.teamName ?? "",
      tags: [...facts.tags],
      riskClass: facts.riskClass ?? "",
      dataCategories: facts.dataCategories.map((id) => ({ __entity: { type: "DataClass", id } })),
      tools: facts.tools.map((id) => ({ __entity: { type: "Tool", id } })),
      models: facts.models.map((id) => ({ __entity: { type: "Model", id } })),
    },
    parents: facts.teamName ? [{ type: "Team", id: facts.teamName }] : [],
  };
}

/** Cedar's Long is 64-bit; a JSON number is exact only to 2^53, which is far past any cost. */
function clampToSafe(value: bigint): number {
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  return Number(value > limit ? limit : value < -limit ? -limit : value);
}

export function toCedarRequest(request: PolicyRequest, principal: AgentFacts, delegateTarget: AgentFacts | null): CedarRequest {
  const numbers: Record<string, CedarValueJson> = {};
  const texts: Record<string, CedarValueJson> = {};
  for (const [key, value] of Object.entries(request.action.arguments)) {
    const decimal = cedarDecimal(value);
    if (decimal !== null) numbers[key] = { __extn: { fn: "decimal", arg: decimal } };
    if (typeof value === "string") texts[key] = value;
    else if (typeof value === "boolean") texts[key] = value ? "true" : "false";
  }
  const dataClasses = new Set(request.dataClasses);
  if (request.action.type === "data") dataClasses.add(request.action.name);

  const entities: EntityJson[] = [
    agentEntity(principal),
    { uid: { type: "Arguments", id: "request" }, attrs: {}, parents: [], tags: numbers },
    { uid: { type: "TextArguments", id: "request" }, attrs: {}, parents: [], tags: texts },
  ];
  if (delegateTarget && delegateTarget.name !== principal.name) entities.push(agentEntity(delegateTarget));

  return {
    principal: { type: "Agent", id: principal.name },
    action: { type: "Action", id: request.action.type },
    resource: { type: RESOURCE_TYPE[request.action.type], id: request.action.name },
    context: {
      arguments: { __entity: { type: "Arguments", id: "request" } },
      textArguments: { __entity: { type: "TextArguments", id: "request" } },
      argumentNames: Object.keys(request.action.arguments),
      dataClasses: [...dataClasses],
      hour: request.now.getUTCHours(),
      estimatedCostMicros: request.estimatedCostUsd === null ? 0 : clampToSafe(usdToMicros(request.estimatedCostUsd)),
    },
    entities,
  };
}
