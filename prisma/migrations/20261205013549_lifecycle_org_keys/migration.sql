-- CreateIndex
CREATE UNIQUE INDEX "agent_versions_org_id_id_key" ON "agent_versions"("org_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "release_events_org_id_id_key" ON "release_events"("org_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "rollouts_org_id_id_key" ON "rollouts"("org_id", "id");
