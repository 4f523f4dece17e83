-- CreateTable
CREATE TABLE "job_receipts" (
    "job_id" BIGINT NOT NULL,
    "done_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "job_receipts_pkey" PRIMARY KEY ("job_id")
);

-- CreateIndex
CREATE INDEX "job_receipts_done_at_idx" ON "job_receipts"("done_at");
