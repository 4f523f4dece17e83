-- DropTable
DROP TABLE "sign_in_failures";

-- CreateTable
CREATE TABLE "sign_in_throttles" (
    "email" TEXT NOT NULL,
    "attempts" TIMESTAMPTZ(3)[] DEFAULT ARRAY[]::TIMESTAMPTZ(3)[],

    CONSTRAINT "sign_in_throttles_pkey" PRIMARY KEY ("email")
);
