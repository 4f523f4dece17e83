-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "risk_annex_area" TEXT,
ADD COLUMN     "risk_assessed_at" TIMESTAMPTZ(3),
ADD COLUMN     "risk_assessed_by" TEXT,
ADD COLUMN     "risk_questionnaire" JSONB,
ADD COLUMN     "risk_reason" TEXT;

-- CreateTable
CREATE TABLE "agent_observed_categories" (
    "org_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "category" TEXT NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "events" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "agent_observed_categories_pkey" PRIMARY KEY ("agent_id","category")
);

-- CreateTable
CREATE TABLE "tool_call_rollups_hourly" (
    "org_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "tool" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "tool_call_rollups_hourly_pkey" PRIMARY KEY ("agent_id","tool","hour")
);

-- CreateTable
CREATE TABLE "control_evaluations" (
    "org_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "control_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "period_from" TIMESTAMPTZ(3) NOT NULL,
    "period_to" TIMESTAMPTZ(3) NOT NULL,
    "evaluated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "control_evaluations_pkey" PRIMARY KEY ("agent_id","control_id")
);

-- CreateTable
CREATE TABLE "incidents" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "agent_id" UUID,
    "team_id" UUID,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL,
    "source_ref" TEXT,
    "severity" TEXT NOT NULL,
    "serious" BOOLEAN NOT NULL DEFAULT false,
    "serious_kind" TEXT,
    "aware_at" TIMESTAMPTZ(3) NOT NULL,
    "deadline_at" TIMESTAMPTZ(3),
    "reported_at" TIMESTAMPTZ(3),
    "reported_by" TEXT,
    "report_reference" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "opened_by" TEXT NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_by" TEXT,
    "closed_at" TIMESTAMPTZ(3),
    "closing_note" TEXT,

    CONSTRAINT "incidents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "anomalies" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "team_id" UUID,
    "metric" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "statistic" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "observed" DECIMAL(30,6),
    "baseline" DECIMAL(30,6),
    "details" JSONB NOT NULL DEFAULT '{}',
    "alert_id" UUID,
    "detected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "anomalies_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "agent_observed_categories_org_id_idx" ON "agent_observed_categories"("org_id");

-- CreateIndex
CREATE INDEX "tool_call_rollups_hourly_org_id_hour_idx" ON "tool_call_rollups_hourly"("org_id", "hour");

-- CreateIndex
CREATE INDEX "control_evaluations_org_id_status_idx" ON "control_evaluations"("org_id", "status");

-- CreateIndex
CREATE INDEX "incidents_org_id_status_opened_at_idx" ON "incidents"("org_id", "status", "opened_at");

-- CreateIndex
CREATE INDEX "incidents_org_id_agent_id_idx" ON "incidents"("org_id", "agent_id");

-- CreateIndex
CREATE UNIQUE INDEX "incidents_org_id_source_source_ref_key" ON "incidents"("org_id", "source", "source_ref");

-- CreateIndex
CREATE INDEX "anomalies_org_id_detected_at_idx" ON "anomalies"("org_id", "detected_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "anomalies_agent_id_metric_hour_key" ON "anomalies"("agent_id", "metric", "hour");
