-- CreateEnum
CREATE TYPE "VersionStatus" AS ENUM ('draft', 'released', 'deprecated', 'retired');

-- CreateEnum
CREATE TYPE "RolloutStatus" AS ENUM ('running', 'paused', 'completed', 'rolled_back');

-- CreateEnum
CREATE TYPE "BreachAction" AS ENUM ('pause', 'rollback');

-- CreateTable
CREATE TABLE "agent_versions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "label" TEXT NOT NULL,
    "model" TEXT,
    "system_prompt" TEXT NOT NULL DEFAULT '',
    "tools" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "config" JSONB NOT NULL DEFAULT '{}',
    "notes" TEXT NOT NULL DEFAULT '',
    "status" "VersionStatus" NOT NULL DEFAULT 'draft',
    "stable_for" UUID,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "released_at" TIMESTAMPTZ(3),
    "released_by" TEXT,
    "deprecated_at" TIMESTAMPTZ(3),
    "retired_at" TIMESTAMPTZ(3),

    CONSTRAINT "agent_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollouts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "team_id" UUID,
    "from_version_id" UUID NOT NULL,
    "to_version_id" UUID NOT NULL,
    "salt" TEXT NOT NULL,
    "status" "RolloutStatus" NOT NULL DEFAULT 'running',
    "active_for" UUID,
    "stages" JSONB NOT NULL,
    "guards" JSONB NOT NULL,
    "on_breach" "BreachAction" NOT NULL DEFAULT 'pause',
    "auto_advance" BOOLEAN NOT NULL DEFAULT true,
    "require_approval" BOOLEAN NOT NULL DEFAULT false,
    "stage_index" INTEGER NOT NULL DEFAULT 0,
    "stage_started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stage_baseline" JSONB NOT NULL DEFAULT '{}',
    "skipped_guards" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "approved_by" TEXT,
    "approved_at" TIMESTAMPTZ(3),
    "paused_reason" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),
    "ended_reason" TEXT,
    "last_evaluated_at" TIMESTAMPTZ(3),
    "last_evaluation" JSONB,

    CONSTRAINT "rollouts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "release_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "seq" BIGSERIAL NOT NULL,
    "org_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "rollout_id" UUID,
    "kind" TEXT NOT NULL,
    "actor_type" "ActorType" NOT NULL,
    "actor_label" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" TEXT,
    "from_version_id" UUID,
    "to_version_id" UUID,
    "from_percent" INTEGER,
    "to_percent" INTEGER,
    "details" JSONB,

    CONSTRAINT "release_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "agent_versions_stable_for_key" ON "agent_versions"("stable_for");

-- CreateIndex
CREATE INDEX "agent_versions_org_id_agent_id_idx" ON "agent_versions"("org_id", "agent_id");

-- CreateIndex
CREATE UNIQUE INDEX "agent_versions_agent_id_label_key" ON "agent_versions"("agent_id", "label");

-- CreateIndex
CREATE UNIQUE INDEX "rollouts_active_for_key" ON "rollouts"("active_for");

-- CreateIndex
CREATE INDEX "rollouts_org_id_status_idx" ON "rollouts"("org_id", "status");

-- CreateIndex
CREATE INDEX "rollouts_agent_id_created_at_idx" ON "rollouts"("agent_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "release_events_org_id_agent_id_seq_idx" ON "release_events"("org_id", "agent_id", "seq" DESC);

-- AddForeignKey
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_from_version_id_fkey" FOREIGN KEY ("from_version_id") REFERENCES "agent_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_to_version_id_fkey" FOREIGN KEY ("to_version_id") REFERENCES "agent_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- What Prisma cannot express: the lifecycle's invariants, held by the database itself.

-- One stable version per agent (the unique index on stable_for), and only a released one.
ALTER TABLE "agent_versions" ADD CONSTRAINT "agent_versions_stable_is_released"
  CHECK ("stable_for" IS NULL OR ("stable_for" = "agent_id" AND "status" = 'released'));

-- One active rollout per agent (the unique index on active_for): set exactly while running or paused.
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_active_for_matches_status"
  CHECK (("status" IN ('running', 'paused')) = ("active_for" IS NOT NULL) AND ("active_for" IS NULL OR "active_for" = "agent_id"));

ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_candidate_is_not_stable"
  CHECK ("from_version_id" <> "to_version_id");

-- A released version is immutable, its status only moves forward (a revert may bring a deprecated
-- version back to released), and only drafts may be deleted.
CREATE FUNCTION agent_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'agent version % is %: only drafts may be deleted', OLD.label, OLD.status USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status <> 'draft' AND (NEW.org_id, NEW.agent_id, NEW.label, NEW.model, NEW.system_prompt, NEW.tools, NEW.config, NEW.notes)
       IS DISTINCT FROM (OLD.org_id, OLD.agent_id, OLD.label, OLD.model, OLD.system_prompt, OLD.tools, OLD.config, OLD.notes) THEN
    RAISE EXCEPTION 'agent version % is %: released versions are immutable', OLD.label, OLD.status USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW.status <> OLD.status AND NOT (
       (OLD.status = 'draft' AND NEW.status = 'released')
    OR (OLD.status = 'released' AND NEW.status IN ('deprecated', 'retired'))
    OR (OLD.status = 'deprecated' AND NEW.status IN ('released', 'retired'))) THEN
    RAISE EXCEPTION 'agent version % cannot go from % to %', OLD.label, OLD.status, NEW.status USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER agent_versions_guard
  BEFORE UPDATE OR DELETE ON "agent_versions"
  FOR EACH ROW EXECUTE FUNCTION agent_versions_guard();

-- The release ledger is append-only, like the audit log.
CREATE FUNCTION release_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'release_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER release_events_no_update_delete
  BEFORE UPDATE OR DELETE ON "release_events"
  FOR EACH ROW EXECUTE FUNCTION release_events_append_only();
