// Runs `prisma generate` without network access.
// Prisma 7's CLI insists on locating a schema-engine binary even for `generate`, which needs
// none, and downloads one when missing; offline that download fails. Pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file satisfies the lookup. The query side needs
// no binary at all (wasm query compiler + @prisma/adapter-pg).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
if (!existsSync("prisma/schema.prisma")) process.exit(0);

const prismaCli = require.resolve("prisma/build/index.js");
const result = spawnSync(process.execPath, [prismaCli, "generate"], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
process.exit(result.status ?? 1);
