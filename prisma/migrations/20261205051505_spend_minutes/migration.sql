-- CreateTable
CREATE TABLE "spend_minutes" (
    "org_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "cost_micros" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "spend_minutes_pkey" PRIMARY KEY ("agent_id","minute")
);

-- CreateIndex
CREATE INDEX "spend_minutes_minute_idx" ON "spend_minutes"("minute");

-- The last few minutes of spend already stored, so the first spend-rate checks after the upgrade
-- see them (the check reads the last five minutes; ingest keeps the table from now on).
INSERT INTO "spend_minutes" ("org_id", "agent_id", "minute", "cost_micros")
SELECT e."org_id", e."agent_id", date_trunc('minute', e."ts"), sum(e."cost_micros")
  FROM "orgs" o
  JOIN "events" e ON e."org_id" = o."id" AND e."ts" > now() - interval '10 minutes' -- per org, on its (org_id, ts) index
 WHERE e."cost_micros" IS NOT NULL AND e."cost_micros" <> 0
 GROUP BY 1, 2, 3;
