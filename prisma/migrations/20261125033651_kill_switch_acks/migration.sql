-- AlterTable
ALTER TABLE "agent_instances" ADD COLUMN     "stream_seen_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "directive_acks" (
    "org_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "instance_id" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "acked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "directive_acks_pkey" PRIMARY KEY ("agent_id","instance_id","revision")
);

-- CreateIndex
CREATE INDEX "directive_acks_org_id_revision_idx" ON "directive_acks"("org_id", "revision");
