// The shapes a decision passes through: the org's facts (a snapshot in memory), the request, what
// the facts say about it (the judgement), the live counters read under lock, and the outcome.
// Pure types: no I/O anywhere in server/domain/decide.
import type { RequestedAction, UsableApproval } from "../approvals/rules";
import type { BudgetMode, BudgetScope } from "../budget/arithmetic";
import type { BudgetPeriod } from "../budget/period";
import type { ActiveSwitch } from "../killswitch/match";
import type { LoopSettings } from "../loops/detect";
import type { PolicyOutcome } from "../policy/outcome";
import type { CedarRequest } from "../policy/request";
import type { ActionType } from "../policy/vocabulary";
import type { RedactionDetector } from "../redaction/redact";
import type { RoutableModel, RoutingRuleSpec } from "../routing/route";
import type { AgentVersionFacts } from "../rollout/assign";

export type Verdict = "allow" | "deny" | "require_approval";

export interface Reason {
  code: string;
  message: string;
  policyId?: string;
}

export const AGENT_STATUSES = ["active", "discovered", "archived"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** What decisions, policies and directives read about an agent. */
export interface AgentProfile {
  id: string;
  name: string;
  teamId: string | null;
  teamName: string | null;
  status: AgentStatus;
  tags: readonly string[];
  riskClass: string | null;
  tools: readonly string[];
  models: readonly string[];
  dataCategories: readonly string[];
  loopThreshold: number | null;
  loopWindowSec: number | null;
}

export interface BudgetDefinition {
  id: string;
  scope: BudgetScope;
  teamId: string | null;
  agentId: string | null;
  period: BudgetPeriod;
  mode: BudgetMode;
  limitMicros: bigint;
  thresholds: readonly number[];
}

/** Evaluates a Cedar request against the org's enforced policies (server/policy/cedar.ts implements it). */
export interface PolicyEvaluator {
  evaluate(request: CedarRequest, teamName: string | null): PolicyOutcome;
}

export type DefaultDecision = "allow" | "deny";

/** One org's facts, as held in memory by every process and refreshed on change. */
export interface OrgFacts {
  orgId: string;
  agents: ReadonlyMap<string, AgentProfile>;
  agentsByName: ReadonlyMap<string, AgentProfile>;
  redaction: ReadonlySet<RedactionDetector>;
  defaultDecision: DefaultDecision;
  switches: readonly ActiveSwitch[];
  /** The org's directive revision: what agents acknowledge in heartbeats. */
  revision: number;
  policies: PolicyEvaluator;
  models: readonly RoutableModel[];
  routingRules: ReadonlyMap<string, RoutingRuleSpec>;
  budgets: readonly BudgetDefinition[];
  /** Per agent with versions: its stable version, running rollout and versions (server/domain/rollout). */
  versions: ReadonlyMap<string, AgentVersionFacts>;
}

/** A validated decide request (server/agent-api/schemas.ts). */
export interface DecisionRequest {
  action: { type: ActionType; name: string; arguments?: Record<string, unknown> };
  taskType?: string;
  estimatedCostUsd?: number | string;
  dataClasses?: string[];
  instanceId?: string;
  taskId?: string;
  approvalId?: string;
  /** The agent version the instance runs (its label or id). */
  version?: string;
}

/** A budget the decision would hold against, in the period the decision falls in. */
export interface BudgetHold {
  budgetId: string;
  /** ISO timestamp of the period's start: with the budget id, the usage row that is locked. */
  periodStart: string;
  scope: BudgetScope;
  period: BudgetPeriod;
  mode: BudgetMode;
  limitMicros: bigint;
}

export interface ModelChoice {
  name: string;
  provider: string;
  fallbacks: { name: string; provider: string }[];
}

export type RoutingJudgement = { ok: true; model: ModelChoice; reasons: Reason[] } | { ok: false; reasons: Reason[] };

/** What the facts alone say about a request: everything but what live counters decide. */
export interface Judgement {
  agentId: string;
  /** Why the agent may not act at all (kill switch, archived): nothing else is weighed then. */
  stop: Reason | null;
  /** The policies' answer; null when the agent is stopped (not evaluated). */
  policy: PolicyOutcome | null;
  defaultDecision: DefaultDecision;
  /** Compliance rules (the fourth weight): deny, require approval, or nothing to add. */
  compliance: { effect: "deny" | "require_approval" | "none"; reasons: Reason[] };
  /** Model actions only. */
  routing: RoutingJudgement | null;
  /** Every budget that applies, hard and soft, in budget-id order. */
  budgets: BudgetHold[];
  estimatedMicros: bigint | null;
  /** Tool actions: the call as loop detection counts it. */
  toolCall: { hash: string; tool: string; settings: LoopSettings } | null;
  /** The approval the request names, with the action it must match (arguments redacted). */
  approval: { id: string; action: RequestedAction } | null;
  /** What lifecycle says of the instance: the version it must run, and a deprecation warning. */
  version: { id: string; label: string } | null;
  versionWarning: { code: "version_deprecated"; message: string } | null;
  /** The version the decision is recorded against: the one it reports running, else the one it must run. */
  recordedVersionId: string | null;
}

/** An approval as the commit reads it under lock. */
export type ApprovalCounter = UsableApproval;

/** What the commit reads under lock, and advances as each decision of a batch takes effect. */
export interface Counters {
  /** Per usage row (`budgetKey`): spent in the period and held by unsettled decisions. */
  budgets: Map<string, { spentMicros: bigint; reservedMicros: bigint }>;
  /** Per (agent, call hash): calls counted in the loop window before this decision. */
  priorCalls: Map<string, number>;
  /** Per agent: an engaged loop switch that already halts it (seen under the lock). */
  loopSwitches: Map<string, string>;
  /** Per approval id: the approval, or null when there is none. */
  approvals: Map<string, ApprovalCounter | null>;
}

export const budgetKey = (hold: Pick<BudgetHold, "budgetId" | "periodStart">): string => `${hold.budgetId}|${hold.periodStart}`;
export const callKey = (agentId: string, hash: string): string => `${agentId}|${hash}`;

/** The verdict and everything the commit must write for it. */
export interface Outcome {
  decision: Verdict;
  reasons: Reason[];
  policyIds: string[];
  model: ModelChoice | null;
  /** Amounts to hold, all or none (empty unless allowed with an estimate). */
  holds: { budgetId: string; periodStart: string; amountMicros: bigint }[];
  /** Log the tool call (loop detection counts it). */
  recordToolCall: boolean;
  /** Engage a loop switch on the agent: the call was repeated `count` times. */
  engageLoopSwitch: { count: number; tool: string; windowSec: number } | null;
  /** The approval this allow uses up. */
  consumeApproval: string | null;
  /** Open an approval request with this reason. */
  openApproval: { reason: string } | null;
  /** Anything but a plain allow goes into the audit chain. */
  audited: boolean;
}
