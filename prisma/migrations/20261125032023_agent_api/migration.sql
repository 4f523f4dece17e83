-- CreateEnum
CREATE TYPE "AgentStatus" AS ENUM ('active', 'discovered', 'archived');

-- CreateEnum
CREATE TYPE "ApiKeyKind" AS ENUM ('agent', 'ingest');

-- CreateEnum
CREATE TYPE "EventType" AS ENUM ('llm_call', 'tool_call', 'task_start', 'task_end', 'decision', 'error', 'log');

-- CreateEnum
CREATE TYPE "ModelStatus" AS ENUM ('active', 'deprecated', 'disabled');

-- CreateTable
CREATE TABLE "agents" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "owner" TEXT,
    "team_id" UUID,
    "framework" TEXT,
    "models" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "tools" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "data_categories" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" "AgentStatus" NOT NULL DEFAULT 'active',
    "version" TEXT,
    "card" JSONB,
    "heartbeat_interval_sec" INTEGER NOT NULL DEFAULT 30,
    "last_seen_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "kind" "ApiKeyKind" NOT NULL,
    "agent_id" UUID,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_instances" (
    "org_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "instance_id" TEXT NOT NULL,
    "version" TEXT,
    "status" TEXT,
    "directive_version" INTEGER,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_heartbeat_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "agent_instances_pkey" PRIMARY KEY ("agent_id","instance_id")
);

-- CreateTable
CREATE TABLE "models" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "input_micros_per_mtok" BIGINT NOT NULL,
    "output_micros_per_mtok" BIGINT NOT NULL,
    "quality_tier" INTEGER NOT NULL,
    "context_window" INTEGER,
    "status" "ModelStatus" NOT NULL DEFAULT 'active',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "models_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" BIGSERIAL NOT NULL,
    "org_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "event_id" TEXT NOT NULL,
    "type" "EventType" NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "task_id" TEXT,
    "trace_id" TEXT,
    "instance_id" TEXT,
    "version" TEXT,
    "model" TEXT,
    "provider" TEXT,
    "input_tokens" INTEGER,
    "output_tokens" INTEGER,
    "cost_micros" BIGINT,
    "cost_source" TEXT,
    "latency_ms" INTEGER,
    "tool" TEXT,
    "status" TEXT,
    "decision_id" TEXT,
    "attributes" JSONB,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_rollups_hourly" (
    "org_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "team_id" UUID,
    "model" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "events" INTEGER NOT NULL DEFAULT 0,
    "llm_calls" INTEGER NOT NULL DEFAULT 0,
    "tool_calls" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "cost_micros" BIGINT NOT NULL DEFAULT 0,
    "latency_sum_ms" BIGINT NOT NULL DEFAULT 0,
    "latency_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "event_rollups_hourly_pkey" PRIMARY KEY ("agent_id","model","hour")
);

-- CreateIndex
CREATE INDEX "agents_org_id_team_id_idx" ON "agents"("org_id", "team_id");

-- CreateIndex
CREATE INDEX "agents_org_id_status_idx" ON "agents"("org_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "agents_org_id_name_key" ON "agents"("org_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "agents_org_id_id_key" ON "agents"("org_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys"("hash");

-- CreateIndex
CREATE INDEX "api_keys_org_id_kind_idx" ON "api_keys"("org_id", "kind");

-- CreateIndex
CREATE INDEX "api_keys_agent_id_idx" ON "api_keys"("agent_id");

-- CreateIndex
CREATE INDEX "agent_instances_org_id_last_heartbeat_at_idx" ON "agent_instances"("org_id", "last_heartbeat_at");

-- CreateIndex
CREATE UNIQUE INDEX "models_org_id_name_key" ON "models"("org_id", "name");

-- CreateIndex
CREATE INDEX "events_org_id_ts_idx" ON "events"("org_id", "ts" DESC);

-- CreateIndex
CREATE INDEX "events_org_id_agent_id_ts_idx" ON "events"("org_id", "agent_id", "ts" DESC);

-- CreateIndex
CREATE INDEX "events_org_id_task_id_idx" ON "events"("org_id", "task_id");

-- CreateIndex
CREATE UNIQUE INDEX "events_agent_id_event_id_key" ON "events"("agent_id", "event_id");

-- CreateIndex
CREATE INDEX "event_rollups_hourly_org_id_hour_idx" ON "event_rollups_hourly"("org_id", "hour");

-- CreateIndex
CREATE INDEX "event_rollups_hourly_org_id_team_id_hour_idx" ON "event_rollups_hourly"("org_id", "team_id", "hour");

-- AddForeignKey
ALTER TABLE "agents" ADD CONSTRAINT "agents_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_instances" ADD CONSTRAINT "agent_instances_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
