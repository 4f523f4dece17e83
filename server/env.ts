// The app's configuration, validated once. scripts/start.ts resolves defaults (embedded
// database, generated secrets) and exports them before the app loads; see docs/configuration.md.
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

/** The identity provider's origin, for the pages' form-action (a sign-in form may redirect there). */
export function oidcIssuerOrigin(): string | null {
  if (!oidcConfigured()) return null;
  try {
    return new URL(process.env.AUTH_OIDC_ISSUER ?? "").origin;
  } catch {
    return null;
  }
}

export function oidcConfigured(): boolean {
  return Boolean(process.env.AUTH_OIDC_ISSUER && process.env.AUTH_OIDC_ID && process.env.AUTH_OIDC_SECRET);
}

const onOff = z
  .string()
  .regex(/^(1|true|on|yes|0|false|off|no)$/i, "on or off")
  .transform((value) => /^(1|true|on|yes)$/i.test(value));

/** Settings of the HTTP edge and the log; none of them needs the database, so the proxy reads them too. */
const runtimeSchema = z.object({
  /** Where people reach the console: the base of links written to the log (password resets). */
  AGENTRY_PUBLIC_URL: z.string().url("AGENTRY_PUBLIC_URL must be a URL such as https://agentry.example.com").optional(),
  /** Strict-Transport-Security: "auto" when the request came over HTTPS (directly or per X-Forwarded-Proto), "on" always, "off" never. */
  AGENTRY_HSTS: z.enum(["auto", "on", "off"], "AGENTRY_HSTS must be auto, on or off").default("auto"),
  /** Adds the stack trace to the one-line JSON log of a server error. */
  AGENTRY_LOG_STACKS: onOff.default(false),
});
export type RuntimeEnv = z.infer<typeof runtimeSchema>;

let runtimeCached: RuntimeEnv | null = null;

export function runtimeEnv(): RuntimeEnv {
  if (runtimeCached) return runtimeCached;
  const parsed = runtimeSchema.safeParse({
    AGENTRY_PUBLIC_URL: process.env.AGENTRY_PUBLIC_URL || undefined,
    AGENTRY_HSTS: process.env.AGENTRY_HSTS || undefined,
    AGENTRY_LOG_STACKS: process.env.AGENTRY_LOG_STACKS || undefined,
  });
  if (!parsed.success) {
    throw new Error(`Invalid configuration:\n${parsed.error.issues.map((issue) => `- ${issue.path.join(".") || "env"}: ${issue.message}`).join("\n")}`);
  }
  runtimeCached = parsed.data;
  return runtimeCached;
}
