// What every console page has: the org it belongs to, the main navigation, its heading and its
// main region. Each page object below adds the locators and actions its specs use, named by what
// a person sees (roles and accessible names), so the specs read like the product.
import type { Locator, Page, Response } from "@playwright/test";

export abstract class ConsolePage {
  /** The page's path under the org, without the leading slash ("" for the overview). */
  protected abstract readonly section: string;

  constructor(
    readonly page: Page,
    readonly org = "acme",
  ) {}

  /** Opens the page, with `query` as its search parameters (?tab=…, ?action=…). */
  async goto(query: Record<string, string> = {}): Promise<Response | null> {
    const search = new URLSearchParams(query).toString();
    return this.page.goto(`/${this.org}${this.section ? `/${this.section}` : ""}${search ? `?${search}` : ""}`);
  }

  get main(): Locator {
    return this.page.getByRole("main");
  }

  get nav(): Locator {
    return this.page.getByRole("navigation", { name: "Main" });
  }

  navLink(section: string): Locator {
    return this.nav.getByRole("link", { name: section, exact: true });
  }

  heading(name: string | RegExp): Locator {
    return this.page.getByRole("heading", { level: 1, name });
  }

  /** A notice in a status region (a toast or a form's confirmation). */
  notice(text: string): Locator {
    return this.page.getByRole("status").filter({ hasText: text });
  }

  /** A message in an alert role, such as a refusal from the server. */
  alertMessage(text: string): Locator {
    return this.page.getByRole("alert").filter({ hasText: text });
  }

  async signOut() {
    await this.page.getByRole("button", { name: "Sign out" }).click();
  }

  /** What a role that may not use the page is told instead. */
  roleRefusal(text: string): Locator {
    return this.page.getByText(text);
  }
}
