import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test as base, expect } from "@playwright/test";
import pg from "pg";
import { createDb, type Db } from "../server/db";
import { ConsoleApi } from "./console-api";
import * as pages from "./pages";

export interface DemoLogin {
  email: string;
  password: string;
  role: string;
  teams: string[];
}

interface DemoFile {
  url: string;
  databaseUrl: string;
  users: DemoLogin[];
  agentKeys: Record<string, string>;
  ingestKey: string | null;
}

export function demoFile(): DemoFile {
  return JSON.parse(readFileSync(join(process.env.E2E_DATA_DIR ?? ".data-e2e", "demo.json"), "utf8")) as DemoFile;
}

export function demoLogin(email: string): DemoLogin {
  const login = demoFile().users.find((user) => user.email === email);
  if (!login) throw new Error(`${email} is not a demo user`);
  return login;
}

export const DEMO = {
  owner: "owner@acme.test",
  viewer: "cio@acme.test",
  compliance: "compliance@acme.test",
  financeLead: "lead.finance@acme.test",
  marketingLead: "lead.marketing@acme.test",
} as const;
export type DemoPerson = keyof typeof DEMO;

export const storageStatePath = (person: DemoPerson) => join("e2e", ".auth", `${person}.json`);

/** Runs SQL on the e2e database, for checking what was stored (states are made through the app or the seed module). */
export async function withDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: demoFile().databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs the seed module's functions (prisma/seed/) on the e2e database, as the demo seed does at boot. */
export async function withSeedModule<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const db = createDb(demoFile().databaseUrl, 2);
  try {
    return await work(db);
  } finally {
    await db.$disconnect();
  }
}

/**
 * Moves an approval request past its expiry, as if its 30 minutes had gone by. The app has no way
 * to do that (nor should it): only time does, and a test cannot wait half an hour. The sweep that
 * marks expired requests has not run, so the request is still pending, as it would be in the
 * moments between its expiry and the next sweep.
 */
export async function expireApprovalNow(approvalId: string): Promise<void> {
  await withDatabase((db) => db.query("UPDATE approvals SET expires_at = now() - interval '1 second' WHERE id = $1", [approvalId]));
}

interface PageObjects {
  signInPage: pages.SignInPage;
  overview: pages.OverviewPage;
  agents: pages.AgentsPage;
  /** The page of one agent, by its id. */
  agentPage: (agentId: string) => pages.AgentPage;
  budgets: pages.BudgetsPage;
  policies: pages.PoliciesPage;
  approvals: pages.ApprovalsPage;
  killSwitches: pages.KillSwitchesPage;
  rollouts: pages.RolloutsPage;
  compliance: pages.CompliancePage;
  events: pages.EventsPage;
  audit: pages.AuditPage;
  alerts: pages.AlertsPage;
  routing: pages.RoutingPage;
  settings: pages.SettingsPage;
  /** The console's API as one demo person's browser calls it (their saved session). */
  consoleAs: (person: DemoPerson) => Promise<ConsoleApi>;
}

export const test = base.extend<PageObjects>({
  signInPage: async ({ page }, use) => use(new pages.SignInPage(page)),
  overview: async ({ page }, use) => use(new pages.OverviewPage(page)),
  agents: async ({ page }, use) => use(new pages.AgentsPage(page)),
  agentPage: async ({ page }, use) => use((agentId) => new pages.AgentPage(page, agentId)),
  budgets: async ({ page }, use) => use(new pages.BudgetsPage(page)),
  policies: async ({ page }, use) => use(new pages.PoliciesPage(page)),
  approvals: async ({ page }, use) => use(new pages.ApprovalsPage(page)),
  killSwitches: async ({ page }, use) => use(new pages.KillSwitchesPage(page)),
  rollouts: async ({ page }, use) => use(new pages.RolloutsPage(page)),
  compliance: async ({ page }, use) => use(new pages.CompliancePage(page)),
  events: async ({ page }, use) => use(new pages.EventsPage(page)),
  audit: async ({ page }, use) => use(new pages.AuditPage(page)),
  alerts: async ({ page }, use) => use(new pages.AlertsPage(page)),
  routing: async ({ page }, use) => use(new pages.RoutingPage(page)),
  settings: async ({ page }, use) => use(new pages.SettingsPage(page)),
  consoleAs: async ({ playwright, baseURL }, use) => {
    const contexts: Awaited<ReturnType<typeof playwright.request.newContext>>[] = [];
    await use(async (person) => {
      const context = await playwright.request.newContext({ baseURL, storageState: storageStatePath(person) });
      contexts.push(context);
      return new ConsoleApi(context);
    });
    await Promise.all(contexts.map((context) => context.dispose()));
  },
});

/**
 * Inside a `test.describe`, signs its tests in as one demo person (the session saved by
 * auth.setup.ts). `test.use` applies to its whole enclosing block, hence the describe.
 */
export function signedInAs(person: DemoPerson) {
  test.use({ storageState: storageStatePath(person) });
}

export { expect };
