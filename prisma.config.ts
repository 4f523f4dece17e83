import { defineConfig } from "prisma/config";

// process.env, not env(): env() throws when DATABASE_URL is unset, and `prisma generate`
// (run at install) needs no database.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
