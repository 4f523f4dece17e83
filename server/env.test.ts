// The configuration is read through server/env.ts only, and a bad value stops the start with a
// sentence naming the variable; what start-up resolves reaches the app without overriding what
// the operator set.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";

const VARIABLES = [
  "PORT",
  "AGENTRY_DATA_DIR",
  "DATABASE_URL",
  "AGENTRY_DEMO",
  "AUTH_SECRET",
  "AUTH_OIDC_ISSUER",
  "AUTH_OIDC_ID",
  "AUTH_OIDC_SECRET",
  "DATABASE_POOL_SIZE",
  "AGENTRY_PUBLIC_URL",
  "AGENTRY_HSTS",
  "AGENTRY_LOG_STACKS",
  "AGENTRY_RATE_LIMIT_RPS",
  "AGENTRY_RATE_LIMIT_BURST",
  "AGENTRY_RATE_LIMIT_SYNC_MS",
] as const;
let saved: Record<string, string | undefined> = {};

/** A fresh copy of the module: its groups are parsed once per copy. */
async function freshEnv(values: Partial<Record<(typeof VARIABLES)[number], string>>) {
  for (const name of VARIABLES) delete process.env[name];
  Object.assign(process.env, values);
  vi.resetModules();
  return import("./env");
}

beforeEach(() => {
  saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
});
afterEach(() => {
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe("npm start's settings", () => {
  test("defaults when unset (an empty value counts as unset)", async () => {
    const { checkStartEnv } = await freshEnv({ PORT: "", AGENTRY_DEMO: "" });
    expect(checkStartEnv()).toEqual({ PORT: 3000, AGENTRY_DATA_DIR: ".data" });
  });

  test("values are read and converted", async () => {
    const { checkStartEnv } = await freshEnv({ PORT: "3231", AGENTRY_DATA_DIR: "/var/lib/agentry", DATABASE_URL: "postgresql://db.internal/agentry", AGENTRY_DEMO: "off" });
    expect(checkStartEnv()).toEqual({ PORT: 3231, AGENTRY_DATA_DIR: "/var/lib/agentry", DATABASE_URL: "postgresql://db.internal/agentry", AGENTRY_DEMO: false });
  });

  test("every bad value is named, together, before anything starts", async () => {
    const { checkStartEnv } = await freshEnv({
      PORT: "eighty",
      AGENTRY_DEMO: "maybe",
      AGENTRY_HSTS: "sometimes",
      AUTH_OIDC_ISSUER: "https://login.example.com",
      AGENTRY_RATE_LIMIT_RPS: "fast",
      AGENTRY_RATE_LIMIT_SYNC_MS: "5",
    });
    const error = (() => {
      try {
        checkStartEnv();
        return null;
      } catch (caught) {
        return (caught as Error).message;
      }
    })();
    expect(error).toMatch(/^Invalid configuration:/);
    expect(error).toContain("PORT: PORT must be a port number");
    expect(error).toContain("AGENTRY_DEMO: on or off");
    expect(error).toContain("AGENTRY_HSTS: AGENTRY_HSTS must be auto, on or off");
    expect(error).toContain("Set all of AUTH_OIDC_ISSUER, AUTH_OIDC_ID and AUTH_OIDC_SECRET, or none");
    expect(error).toContain("AGENTRY_RATE_LIMIT_RPS: AGENTRY_RATE_LIMIT_RPS must be a number");
    expect(error).toContain("AGENTRY_RATE_LIMIT_SYNC_MS: AGENTRY_RATE_LIMIT_SYNC_MS must be at least 10");
  });

  test("the rate limit's settings: defaults, and values read as numbers", async () => {
    expect((await freshEnv({})).rateLimitEnv()).toEqual({ AGENTRY_RATE_LIMIT_SYNC_MS: 250 });
    expect((await freshEnv({ AGENTRY_RATE_LIMIT_RPS: "0", AGENTRY_RATE_LIMIT_BURST: "30", AGENTRY_RATE_LIMIT_SYNC_MS: "1000" })).rateLimitEnv()).toEqual({
      AGENTRY_RATE_LIMIT_RPS: 0,
      AGENTRY_RATE_LIMIT_BURST: 30,
      AGENTRY_RATE_LIMIT_SYNC_MS: 1000,
    });
  });

  test("a port out of range is refused", async () => {
    const { checkStartEnv } = await freshEnv({ PORT: "70000" });
    expect(() => checkStartEnv()).toThrow("PORT must be a port number");
  });
});

describe("the app's configuration", () => {
  test("needs a database URL and a long enough secret", async () => {
    const { env } = await freshEnv({ DATABASE_URL: "not a url", AUTH_SECRET: "short" });
    expect(() => env()).toThrow(/DATABASE_URL: DATABASE_URL must be a postgresql:\/\/ URL[\s\S]*AUTH_SECRET: AUTH_SECRET must be at least 32 characters/);
  });

  test("what start-up resolves is read by the app; a secret the operator set wins over the generated one", async () => {
    const operatorSecret = "s".repeat(40);
    const { env, provideResolvedEnv, runtimeEnv } = await freshEnv({ AUTH_SECRET: operatorSecret });
    provideResolvedEnv({ DATABASE_URL: "postgresql://localhost:5432/agentry", AUTH_SECRET: "g".repeat(40), AGENTRY_PUBLIC_URL: "http://localhost:3231" });
    expect(env()).toMatchObject({ DATABASE_URL: "postgresql://localhost:5432/agentry", AUTH_SECRET: operatorSecret, DATABASE_POOL_SIZE: 20 });
    expect(runtimeEnv().AGENTRY_PUBLIC_URL).toBe("http://localhost:3231");
  });

  test("single sign-on is on only with all three settings, and its origin is the issuer's", async () => {
    const off = await freshEnv({});
    expect(off.oidcConfigured()).toBe(false);
    expect(off.oidcIssuerOrigin()).toBeNull();
    const on = await freshEnv({ AUTH_OIDC_ISSUER: "https://login.example.com/realms/acme", AUTH_OIDC_ID: "agentry", AUTH_OIDC_SECRET: "secret" });
    expect(on.oidcConfigured()).toBe(true);
    expect(on.oidcIssuerOrigin()).toBe("https://login.example.com");
  });

  test("the log's stack traces are a switch", async () => {
    const { runtimeEnv } = await freshEnv({ AGENTRY_LOG_STACKS: "yes" });
    expect(runtimeEnv().AGENTRY_LOG_STACKS).toBe(true);
  });
});
