-- AlterTable
ALTER TABLE "approvals" ADD COLUMN     "used_at" TIMESTAMPTZ(3),
ADD COLUMN     "used_by_decision_id" UUID;
