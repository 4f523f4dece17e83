-- CreateEnum
CREATE TYPE "BudgetScope" AS ENUM ('org', 'team', 'agent');

-- CreateEnum
CREATE TYPE "BudgetPeriod" AS ENUM ('daily', 'monthly');

-- CreateEnum
CREATE TYPE "BudgetMode" AS ENUM ('hard', 'soft');

-- CreateEnum
CREATE TYPE "ReservationStatus" AS ENUM ('held', 'settled', 'expired', 'released');

-- CreateEnum
CREATE TYPE "PolicyStatus" AS ENUM ('draft', 'enforced', 'disabled');

-- CreateEnum
CREATE TYPE "Decision" AS ENUM ('allow', 'deny', 'require_approval');

-- CreateEnum
CREATE TYPE "ApprovalStatus" AS ENUM ('pending', 'approved', 'denied', 'expired');

-- CreateEnum
CREATE TYPE "KillSwitchScope" AS ENUM ('agent', 'team', 'model', 'tag', 'org');

-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "loop_threshold" INTEGER,
ADD COLUMN     "loop_window_sec" INTEGER,
ADD COLUMN     "risk_class" TEXT;

-- CreateTable
CREATE TABLE "routing_rules" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "task_type" TEXT NOT NULL,
    "min_quality" INTEGER NOT NULL,
    "allowed_providers" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "fallback_chain" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "routing_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "budgets" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "scope" "BudgetScope" NOT NULL,
    "scope_key" TEXT NOT NULL,
    "team_id" UUID,
    "agent_id" UUID,
    "period" "BudgetPeriod" NOT NULL,
    "mode" "BudgetMode" NOT NULL,
    "limit_micros" BIGINT NOT NULL,
    "thresholds" INTEGER[] DEFAULT ARRAY[50, 80, 100]::INTEGER[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "budgets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "budget_usage" (
    "budget_id" UUID NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "org_id" UUID NOT NULL,
    "reserved_micros" BIGINT NOT NULL DEFAULT 0,
    "thresholds_alerted" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "exhausted_at" TIMESTAMPTZ(3),

    CONSTRAINT "budget_usage_pkey" PRIMARY KEY ("budget_id","period_start")
);

-- CreateTable
CREATE TABLE "spend_daily" (
    "org_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "team_id" UUID,
    "day" DATE NOT NULL,
    "cost_micros" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "spend_daily_pkey" PRIMARY KEY ("agent_id","day")
);

-- CreateTable
CREATE TABLE "budget_reservations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "decision_id" UUID NOT NULL,
    "amount_micros" BIGINT NOT NULL,
    "holds" JSONB NOT NULL,
    "status" "ReservationStatus" NOT NULL DEFAULT 'held',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "settled_at" TIMESTAMPTZ(3),
    "settled_micros" BIGINT,

    CONSTRAINT "budget_reservations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policies" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "cedar" TEXT NOT NULL,
    "form" JSONB,
    "status" "PolicyStatus" NOT NULL DEFAULT 'draft',
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_versions" (
    "policy_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "org_id" UUID NOT NULL,
    "cedar" TEXT NOT NULL,
    "form" JSONB,
    "status" "PolicyStatus" NOT NULL,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_versions_pkey" PRIMARY KEY ("policy_id","version")
);

-- CreateTable
CREATE TABLE "decisions" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action_type" TEXT NOT NULL,
    "action_name" TEXT NOT NULL,
    "arguments" JSONB,
    "task_type" TEXT,
    "task_id" TEXT,
    "instance_id" TEXT,
    "data_classes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "estimated_cost_micros" BIGINT,
    "decision" "Decision" NOT NULL,
    "reasons" JSONB NOT NULL,
    "policy_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "approval_id" UUID,
    "model" TEXT,
    "duration_micros" INTEGER,

    CONSTRAINT "decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approvals" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "team_id" UUID,
    "decision_id" UUID NOT NULL,
    "action_type" TEXT NOT NULL,
    "action_name" TEXT NOT NULL,
    "arguments" JSONB,
    "policy_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "reason" TEXT NOT NULL DEFAULT '',
    "status" "ApprovalStatus" NOT NULL DEFAULT 'pending',
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_by" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "note" TEXT,

    CONSTRAINT "approvals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "kill_switches" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "scope" "KillSwitchScope" NOT NULL,
    "target" TEXT NOT NULL,
    "team_id" UUID,
    "reason" TEXT NOT NULL,
    "reason_code" TEXT NOT NULL DEFAULT 'kill_switch',
    "engaged_by" TEXT NOT NULL,
    "engaged_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "released_by" TEXT,
    "released_at" TIMESTAMPTZ(3),
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "kill_switches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "directive_revisions" (
    "org_id" UUID NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "directive_revisions_pkey" PRIMARY KEY ("org_id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "agent_id" UUID,
    "team_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by" TEXT,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhooks" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "kinds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "webhook_id" UUID NOT NULL,
    "alert_id" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_status" INTEGER,
    "last_error" TEXT,
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tool_call_log" (
    "id" BIGSERIAL NOT NULL,
    "org_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "call_hash" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tool_call_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "routing_rules_org_id_task_type_key" ON "routing_rules"("org_id", "task_type");

-- CreateIndex
CREATE INDEX "budgets_org_id_team_id_idx" ON "budgets"("org_id", "team_id");

-- CreateIndex
CREATE INDEX "budgets_org_id_agent_id_idx" ON "budgets"("org_id", "agent_id");

-- CreateIndex
CREATE UNIQUE INDEX "budgets_org_id_scope_key_period_key" ON "budgets"("org_id", "scope_key", "period");

-- CreateIndex
CREATE INDEX "spend_daily_org_id_day_idx" ON "spend_daily"("org_id", "day");

-- CreateIndex
CREATE INDEX "spend_daily_org_id_team_id_day_idx" ON "spend_daily"("org_id", "team_id", "day");

-- CreateIndex
CREATE INDEX "budget_reservations_status_expires_at_idx" ON "budget_reservations"("status", "expires_at");

-- CreateIndex
CREATE INDEX "budget_reservations_org_id_agent_id_idx" ON "budget_reservations"("org_id", "agent_id");

-- CreateIndex
CREATE UNIQUE INDEX "budget_reservations_decision_id_key" ON "budget_reservations"("decision_id");

-- CreateIndex
CREATE INDEX "policies_org_id_status_idx" ON "policies"("org_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "policies_org_id_name_key" ON "policies"("org_id", "name");

-- CreateIndex
CREATE INDEX "decisions_org_id_at_idx" ON "decisions"("org_id", "at" DESC);

-- CreateIndex
CREATE INDEX "decisions_org_id_agent_id_at_idx" ON "decisions"("org_id", "agent_id", "at" DESC);

-- CreateIndex
CREATE INDEX "approvals_org_id_status_requested_at_idx" ON "approvals"("org_id", "status", "requested_at");

-- CreateIndex
CREATE INDEX "kill_switches_org_id_released_at_idx" ON "kill_switches"("org_id", "released_at");

-- CreateIndex
CREATE INDEX "alerts_org_id_created_at_idx" ON "alerts"("org_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "webhooks_org_id_idx" ON "webhooks"("org_id");

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_next_attempt_at_idx" ON "webhook_deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_webhook_id_alert_id_key" ON "webhook_deliveries"("webhook_id", "alert_id");

-- CreateIndex
CREATE INDEX "tool_call_log_agent_id_call_hash_at_idx" ON "tool_call_log"("agent_id", "call_hash", "at");

-- CreateIndex
CREATE INDEX "tool_call_log_at_idx" ON "tool_call_log"("at");

-- AddForeignKey
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "policies"("id") ON DELETE CASCADE ON UPDATE CASCADE;
