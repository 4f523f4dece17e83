// The app's configuration, validated once. scripts/start.ts resolves defaults (embedded
// database, generated secrets) and exports them before the app loads; see DESIGN.md "Running it".
import { z } from "zod";

const schema = z
  .object({
    DATABASE_URL: z.string().url("DATABASE_URL must be a postgresql:// URL"),
    AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters"),
    AUTH_OIDC_ISSUER: z.string().url().optional(),
    AUTH_OIDC_ID: z.string().min(1).optional(),
    AUTH_OIDC_SECRET: z.string().min(1).optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  })
  .refine(
    (env) => {
      const oidc = [env.AUTH_OIDC_ISSUER, env.AUTH_OIDC_ID, env.AUTH_OIDC_SECRET];
      return oidc.every((value) => value === undefined) || oidc.every((value) => value !== undefined);
    },
    { message: "Set all of AUTH_OIDC_ISSUER, AUTH_OIDC_ID and AUTH_OIDC_SECRET, or none" },
  );

export type Env = z.infer<typeof schema>;

let cached: Env | null = null;

/** Read lazily: `next build` imports modules without a database or secrets. */
export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse({
    DATABASE_URL: process.env.DATABASE_URL,
    AUTH_SECRET: process.env.AUTH_SECRET,
    AUTH_OIDC_ISSUER: process.env.AUTH_OIDC_ISSUER || undefined,
    AUTH_OIDC_ID: process.env.AUTH_OIDC_ID || undefined,
    AUTH_OIDC_SECRET: process.env.AUTH_OIDC_SECRET || undefined,
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE || undefined,
  });
  if (!parsed.success) {
    throw new Error(`Invalid configuration:\n${parsed.error.issues.map((issue) => `- ${issue.path.join(".") || "env"}: ${issue.message}`).join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

export function oidcConfigured(): boolean {
  return Boolean(process.env.AUTH_OIDC_ISSUER && process.env.AUTH_OIDC_ID && process.env.AUTH_OIDC_SECRET);
}
