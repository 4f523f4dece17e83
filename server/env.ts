// Every environment variable the app reads, validated here and read nowhere else (the
// create-t3-app pattern: zod schemas, one clear error naming each bad value). Groups are parsed
// lazily, on first use, because `next build` imports modules without a database or secrets.
//
// `npm start` (scripts/start.ts) reads startEnv(), resolves what was left unset (the embedded
// database, the data folder's secret, the public URL) and hands it over with provideResolvedEnv
// before the app's modules load; env() then reads the complete configuration. Next's bundles hold
// their own copy of this module, so the handover goes through process.env, which both copies read.
//
// Not here, on purpose: NEXT_RUNTIME (instrumentation.ts: Next replaces it at build time to
// drop Node-only code from other runtimes), and the separate command-line tools' own flags
// (bench/, the test runner, prisma.config.ts for the Prisma CLI). Browser code reads only
// NEXT_PUBLIC_* values, which Next inlines at build time.
import { z } from "zod";

const onOff = z
  .string()
  .regex(/^(1|true|on|yes|0|false|off|no)$/i, "on or off (also true/false, yes/no, 1/0)")
  .transform((value) => /^(1|true|on|yes)$/i.test(value));

/** An unset variable and an empty one mean the same: use the default. */
function read(names: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(names.map((name) => [name, process.env[name] || undefined]));
}

function parse<S extends z.ZodType>(schema: S, names: readonly string[]): z.output<S> {
  const parsed = schema.safeParse(read(names));
  if (!parsed.success) {
    throw new Error(`Invalid configuration:\n${parsed.error.issues.map((issue) => `- ${issue.path.join(".") || "environment"}: ${issue.message}`).join("\n")}`);
  }
  return parsed.data;
}

/** A group of variables, parsed once on first use (forgotten when start-up provides resolved values). */
function group<S extends z.ZodObject>(schema: S): () => z.output<S> {
  const names = Object.keys(schema.shape);
  let cached: z.output<S> | null = null;
  const get = () => (cached ??= parse(schema, names));
  resets.push(() => {
    cached = null;
  });
  return get;
}
const resets: (() => void)[] = [];

// --- npm start --------------------------------------------------------------------------------

const startSchema = z.object({
  /** Where the console and the agent API listen. */
  PORT: z.coerce.number("PORT must be a port number").int("PORT must be a port number").min(1, "PORT must be a port number").max(65535, "PORT must be a port number").default(3000),
  /** The data folder: the embedded PostgreSQL, the generated secrets, demo.json. */
  AGENTRY_DATA_DIR: z.string().default(".data"),
  /** An external PostgreSQL; unset: the embedded one in the data folder. */
  DATABASE_URL: z.string().url("DATABASE_URL must be a postgresql:// URL").optional(),
  /** Seed the demo organisation on an empty database (default: on with the embedded database). */
  AGENTRY_DEMO: onOff.optional(),
});
export type StartEnv = z.infer<typeof startSchema>;

/** What `npm start` needs before anything else (scripts/start.ts; scripts/simulate.ts reads the same data folder). */
export const startEnv = group(startSchema);

/**
 * Everything start-up can check before it resolves the rest: its own settings, single sign-on, the
 * HTTP edge's and the agent API's rate limit. A bad value stops the start with every problem named, before anything runs.
 */
export function checkStartEnv(): StartEnv {
  const problems: string[] = [];
  const attempt = <T>(read: () => T): T | null => {
    try {
      return read();
    } catch (error) {
      problems.push((error as Error).message.replace(/^Invalid configuration:\n/, ""));
      return null;
    }
  };
  const settings = attempt(startEnv);
  attempt(oidcEnv);
  attempt(runtimeEnv);
  attempt(rateLimitEnv);
  if (!settings || problems.length > 0) throw new Error(`Invalid configuration:\n${problems.join("\n")}`);
  return settings;
}

/**
 * Start-up's resolved values become the process's configuration. DATABASE_URL is start-up's to
 * decide (the embedded database when none was given); a secret or public URL set in the
 * environment wins over the generated one.
 */
export function provideResolvedEnv(values: { DATABASE_URL?: string; AUTH_SECRET?: string; AGENTRY_PUBLIC_URL?: string }): void {
  if (values.DATABASE_URL) process.env.DATABASE_URL = values.DATABASE_URL;
  if (values.AUTH_SECRET) process.env.AUTH_SECRET ||= values.AUTH_SECRET;
  if (values.AGENTRY_PUBLIC_URL) process.env.AGENTRY_PUBLIC_URL ||= values.AGENTRY_PUBLIC_URL;
  for (const reset of resets) reset();
}

// --- the app ------------------------------------------------------------------------------------

const oidcSchema = z
  .object({
    AUTH_OIDC_ISSUER: z.string().url("AUTH_OIDC_ISSUER must be the identity provider's URL").optional(),
    AUTH_OIDC_ID: z.string().min(1).optional(),
    AUTH_OIDC_SECRET: z.string().min(1).optional(),
  })
  .refine(
    (oidc) => {
      const set = [oidc.AUTH_OIDC_ISSUER, oidc.AUTH_OIDC_ID, oidc.AUTH_OIDC_SECRET].filter((value) => value !== undefined);
      return set.length === 0 || set.length === 3;
    },
    { message: "Set all of AUTH_OIDC_ISSUER, AUTH_OIDC_ID and AUTH_OIDC_SECRET, or none" },
  );

const appSchema = z.object({
  DATABASE_URL: z.string().url("DATABASE_URL must be a postgresql:// URL"),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
});

export type Env = z.infer<typeof appSchema> & z.infer<typeof oidcSchema>;

const appEnv = group(appSchema);
const oidcEnv = group(oidcSchema);

/** The app's configuration: its database, its secret, single sign-on. */
export function env(): Env {
  return { ...appEnv(), ...oidcEnv() };
}

/** Whether single sign-on is configured (all three AUTH_OIDC_* set; a partial set is refused). */
export function oidcConfigured(): boolean {
  return oidcEnv().AUTH_OIDC_ISSUER !== undefined;
}

/** The identity provider's origin, for the pages' form-action (a sign-in form may redirect there). */
export function oidcIssuerOrigin(): string | null {
  const issuer = oidcEnv().AUTH_OIDC_ISSUER;
  return issuer ? new URL(issuer).origin : null;
}

// --- the HTTP edge and the log ------------------------------------------------------------------

/** Settings of the HTTP edge and the log; none of them needs the database, so the proxy reads them too. */
const runtimeSchema = z.object({
  /** Where people reach the console: the base of links written to the log (password resets) and sent in webhooks. */
  AGENTRY_PUBLIC_URL: z.string().url("AGENTRY_PUBLIC_URL must be a URL such as https://agentry.example.com").optional(),
  /** Strict-Transport-Security: "auto" when the request came over HTTPS (directly or per X-Forwarded-Proto), "on" always, "off" never. */
  AGENTRY_HSTS: z.enum(["auto", "on", "off"], "AGENTRY_HSTS must be auto, on or off").default("auto"),
  /** Adds the stack trace to the one-line JSON log of a server error. */
  AGENTRY_LOG_STACKS: onOff.default(false),
  /** Next sets it: "development" under `npm run dev` (the pages' policy then allows what the dev server needs). */
  NODE_ENV: z.string().default("production"),
});
export type RuntimeEnv = z.infer<typeof runtimeSchema>;

export const runtimeEnv = group(runtimeSchema);

// --- the agent API's rate limit -------------------------------------------------------------------

const rateLimitSchema = z.object({
  /** Agent API requests per second per key, across all app processes; 0 turns the limit off. */
  AGENTRY_RATE_LIMIT_RPS: z.coerce.number("AGENTRY_RATE_LIMIT_RPS must be a number").min(0, "AGENTRY_RATE_LIMIT_RPS cannot be negative").optional(),
  /** Requests a key may send at once before the rate applies (default 200, or 4 × a non-default rate). */
  AGENTRY_RATE_LIMIT_BURST: z.coerce
    .number("AGENTRY_RATE_LIMIT_BURST must be a whole number")
    .int("AGENTRY_RATE_LIMIT_BURST must be a whole number")
    .min(1, "AGENTRY_RATE_LIMIT_BURST must be at least 1")
    .optional(),
  /** How often each process reconciles its counts with the others' through PostgreSQL, in ms. */
  AGENTRY_RATE_LIMIT_SYNC_MS: z.coerce.number("AGENTRY_RATE_LIMIT_SYNC_MS must be a whole number of milliseconds").int().min(10, "AGENTRY_RATE_LIMIT_SYNC_MS must be at least 10").default(250),
});

export const rateLimitEnv = group(rateLimitSchema);

// --- the test runner ----------------------------------------------------------------------------

const testRunnerEnv = group(z.object({ VITEST: z.string().optional() }));

/** True in Vitest's workers (it sets VITEST): modules loaded there resolve `server-only` through the test config. */
export function runningUnderVitest(): boolean {
  return testRunnerEnv().VITEST !== undefined;
}
