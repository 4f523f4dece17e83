-- Unique keys that include org_id, so the schema stays distributable by organisation
-- (docs/scaling.md; test/integration/schema-distribution.int.test.ts).
--
-- The write-heavy tables get no extra index: their org-first index is widened by the row's id and
-- made unique, which serves the same reads (newest first within an org, and a deterministic order
-- for paging) at the cost of a slightly wider key. On a large existing installation, build these
-- three beforehand with CREATE UNIQUE INDEX CONCURRENTLY under the same names: this migration then
-- only drops the indexes they replace.
CREATE UNIQUE INDEX IF NOT EXISTS "events_org_id_ts_id_key" ON "events"("org_id", "ts" DESC, "id" DESC);
DROP INDEX "events_org_id_ts_idx";

CREATE UNIQUE INDEX IF NOT EXISTS "decisions_org_id_at_id_key" ON "decisions"("org_id", "at" DESC, "id" DESC);
DROP INDEX "decisions_org_id_at_idx";

CREATE UNIQUE INDEX IF NOT EXISTS "budget_reservations_org_id_agent_id_id_key" ON "budget_reservations"("org_id", "agent_id", "id");
DROP INDEX "budget_reservations_org_id_agent_id_idx";

-- Small tables that take no concurrent upsert naming another conflict target: one more unique
-- index each (on webhooks it replaces the index on org_id alone, which it covers).
CREATE UNIQUE INDEX "alerts_org_id_id_key" ON "alerts"("org_id", "id");
CREATE UNIQUE INDEX "anomalies_org_id_id_key" ON "anomalies"("org_id", "id");
CREATE UNIQUE INDEX "api_keys_org_id_id_key" ON "api_keys"("org_id", "id");
CREATE UNIQUE INDEX "approvals_org_id_id_key" ON "approvals"("org_id", "id");
CREATE UNIQUE INDEX "budget_usage_org_id_budget_id_period_start_key" ON "budget_usage"("org_id", "budget_id", "period_start");
CREATE UNIQUE INDEX "kill_switches_org_id_id_key" ON "kill_switches"("org_id", "id");
CREATE UNIQUE INDEX "membership_teams_org_id_membership_id_team_id_key" ON "membership_teams"("org_id", "membership_id", "team_id");
CREATE UNIQUE INDEX "policy_versions_org_id_policy_id_version_key" ON "policy_versions"("org_id", "policy_id", "version");
CREATE UNIQUE INDEX "webhook_deliveries_org_id_id_key" ON "webhook_deliveries"("org_id", "id");
CREATE UNIQUE INDEX "webhooks_org_id_id_key" ON "webhooks"("org_id", "id");
DROP INDEX "webhooks_org_id_idx";
