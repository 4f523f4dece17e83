import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import pg from "pg";

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

/** Runs SQL on the e2e database (for setting up states the UI cannot make, and for checking). */
export async function withDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: demoFile().databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export class SignInPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/signin");
  }

  async signIn(email: string, password: string) {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in", exact: true }).click();
  }

  error() {
    return this.page.getByRole("main").getByRole("alert");
  }
}

export const test = base.extend<{ signInPage: SignInPage }>({
  signInPage: async ({ page }, use) => {
    await use(new SignInPage(page));
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
