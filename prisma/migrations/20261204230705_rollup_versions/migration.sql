-- AlterTable
ALTER TABLE "decisions" ADD COLUMN     "version_id" UUID;

-- AlterTable
ALTER TABLE "event_rollups_hourly" DROP CONSTRAINT "event_rollups_hourly_pkey",
ADD COLUMN     "failed_tasks" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "latency_hist" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "tasks" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "version" TEXT NOT NULL DEFAULT '',
ADD CONSTRAINT "event_rollups_hourly_pkey" PRIMARY KEY ("agent_id", "model", "version", "hour");

-- Element-wise sum of two int arrays of any lengths (latency histograms in the rollups' upsert).
CREATE FUNCTION agentry_add_int_arrays(a INTEGER[], b INTEGER[]) RETURNS INTEGER[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT COALESCE(array_agg(COALESCE(a[i], 0) + COALESCE(b[i], 0) ORDER BY i), ARRAY[]::INTEGER[])
  FROM generate_series(1, GREATEST(COALESCE(cardinality(a), 0), COALESCE(cardinality(b), 0))) AS i
$$;
