-- CreateTable (unlogged: coordination state seconds old, not worth the WAL; emptied after a crash)
CREATE UNLOGGED TABLE "rate_limit_windows" (
    "org_id" UUID NOT NULL,
    "key_id" UUID NOT NULL,
    "process_id" UUID NOT NULL,
    "window_no" BIGINT NOT NULL,
    "admitted" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rate_limit_windows_pkey" PRIMARY KEY ("org_id","key_id","process_id","window_no")
);

-- CreateIndex
CREATE INDEX "rate_limit_windows_updated_at_idx" ON "rate_limit_windows"("updated_at");
