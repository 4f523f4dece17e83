-- CreateTable
CREATE TABLE "event_follow_ups" (
    "org_id" UUID NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "settlements" JSONB NOT NULL DEFAULT '[]',
    "tool_calls" JSONB NOT NULL DEFAULT '[]',
    "spent_agent_ids" UUID[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_follow_ups_pkey" PRIMARY KEY ("org_id","id")
);

-- CreateIndex
CREATE INDEX "event_follow_ups_id_idx" ON "event_follow_ups"("id");
